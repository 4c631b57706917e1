"""Pages: the job list with search and filters, and saved filters (included by jobs.urls)."""

from django.urls import URLPattern, path

from haat.jobs import search_views as views

urlpatterns: list[URLPattern] = [
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/saved/", views.saved_filters, name="saved-filters"),
    path("jobs/saved/<int:filter_id>/delete/", views.saved_filter_delete, name="saved-filter-delete"),
]
