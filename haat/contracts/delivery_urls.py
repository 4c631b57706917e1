"""Pages: delivered work of a contract (included by contracts.urls)."""

from django.urls import URLPattern, path

from haat.contracts import delivery_views

urlpatterns: list[URLPattern] = [
    path("deliveries/<int:delivery_id>/", delivery_views.delivery_detail, name="delivery-detail"),
    path(
        "deliveries/<int:delivery_id>/download/", delivery_views.delivery_download, name="delivery-download"
    ),
]
