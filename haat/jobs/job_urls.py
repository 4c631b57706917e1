"""Pages: posting, editing and managing a job, its page and attachments (included by jobs.urls)."""

from django.urls import URLPattern, path

from haat.jobs import job_views as views

urlpatterns: list[URLPattern] = [
    path("jobs/new/", views.job_new, name="job-new"),
    path("jobs/mine/", views.my_jobs, name="my-jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/edit/", views.job_edit, name="job-edit"),
    path("jobs/<int:job_id>/publish/", views.job_publish, name="job-publish"),
    path("jobs/<int:job_id>/close/", views.job_close, name="job-close"),
    path("jobs/<int:job_id>/cancel/", views.job_cancel, name="job-cancel"),
    path("jobs/<int:job_id>/nda/", views.job_nda, name="job-nda"),
    path("jobs/<int:job_id>/invite/", views.job_invite, name="job-invite"),
    path("jobs/<int:job_id>/files/", views.job_attachment_add, name="job-attachment-add"),
    path("jobs/<int:job_id>/files/<int:attachment_id>/", views.job_attachment, name="job-attachment"),
    path(
        "jobs/<int:job_id>/files/<int:attachment_id>/delete/",
        views.job_attachment_delete,
        name="job-attachment-delete",
    ),
]
