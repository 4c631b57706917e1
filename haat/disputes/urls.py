"""Pages of haat.disputes: the parties' pages and the arbiters' queue and case pages."""

from django.urls import URLPattern, URLResolver, path

from haat.disputes import views

app_name = "disputes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("disputes/", views.dispute_list, name="list"),
    path("contracts/<int:contract_id>/disputes/new/", views.dispute_open, name="open"),
    path("disputes/<int:dispute_id>/", views.dispute_detail, name="detail"),
    path("disputes/<int:dispute_id>/statement/", views.dispute_statement, name="statement"),
    path("disputes/<int:dispute_id>/offer/", views.dispute_offer, name="offer"),
    path("disputes/<int:dispute_id>/escalate/", views.dispute_escalate, name="escalate"),
    path("disputes/<int:dispute_id>/withdraw/", views.dispute_withdraw, name="withdraw"),
    path("dispute-offers/<int:offer_id>/accept/", views.offer_accept, name="offer-accept"),
    path("dispute-offers/<int:offer_id>/reject/", views.offer_reject, name="offer-reject"),
    path("staff/disputes/", views.queue, name="queue"),
    path("staff/disputes/<int:dispute_id>/", views.case, name="case"),
    path("staff/disputes/<int:dispute_id>/take/", views.take, name="take"),
]
