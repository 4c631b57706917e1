"""Pages: status reports of a contract and a user's ranking history (included by contracts.urls)."""

from django.urls import URLPattern, path

from haat.contracts import report_views

urlpatterns: list[URLPattern] = [
    path(
        "contracts/<int:contract_id>/status-reports/new/",
        report_views.report_file,
        name="report-file",
    ),
    path("people/<int:user_id>/ranking/", report_views.ranking_history, name="ranking-history"),
]
