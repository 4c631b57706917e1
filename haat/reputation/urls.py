"""Pages of the reputation app: reviews and the freelancer directory."""

from django.urls import URLPattern, path

from haat.reputation import views

app_name = "reputation"
urlpatterns: list[URLPattern] = [
    path("contracts/<int:contract_id>/review/", views.review_create, name="review-create"),
    path("freelancers/", views.directory, name="directory"),
]
