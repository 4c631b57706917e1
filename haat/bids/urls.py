"""Pages of the bids app."""

from django.urls import URLPattern, path

from haat.bids import views

app_name = "bids"
urlpatterns: list[URLPattern] = [
    path("jobs/<int:job_id>/bids/", views.job_bids, name="job-bids"),
    path("jobs/<int:job_id>/bids/new/", views.bid_new, name="bid-new"),
    path("jobs/<int:job_id>/bids/quote/", views.bid_quote, name="bid-quote"),
    path("bids/mine/", views.my_bids, name="my-bids"),
    path("bids/<int:bid_id>/edit/", views.bid_edit, name="bid-edit"),
    path("bids/<int:bid_id>/withdraw/", views.bid_withdraw, name="bid-withdraw"),
    path("bids/<int:bid_id>/shortlist/", views.bid_shortlist, name="bid-shortlist"),
    path("bids/<int:bid_id>/reject/", views.bid_reject, name="bid-reject"),
    path("bids/<int:bid_id>/award/", views.bid_award, name="bid-award"),
    path("bids/<int:bid_id>/accept/", views.bid_accept, name="bid-accept"),
    path("bids/<int:bid_id>/decline/", views.bid_decline, name="bid-decline"),
]
