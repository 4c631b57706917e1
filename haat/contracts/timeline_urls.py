"""Pages: the contract timeline (included by contracts.urls)."""

from django.urls import URLPattern, path

from haat.contracts import timeline_views

urlpatterns: list[URLPattern] = [
    path(
        "contracts/<int:contract_id>/timeline/",
        timeline_views.contract_timeline,
        name="contract-timeline",
    ),
]
