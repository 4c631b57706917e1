"""Pages of the contracts app."""

from django.urls import URLPattern, path

from haat.contracts import delivery_urls, milestone_urls, report_urls, timeline_urls, vault_urls, views

app_name = "contracts"
urlpatterns: list[URLPattern] = [
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/<int:contract_id>/", views.contract_detail, name="contract-detail"),
    *milestone_urls.urlpatterns,
    *delivery_urls.urlpatterns,
    *report_urls.urlpatterns,
    *vault_urls.urlpatterns,
    *timeline_urls.urlpatterns,
]
