"""Pages: milestones of a contract (included by contracts.urls, namespace "contracts")."""

from django.urls import URLPattern, path

from haat.contracts import milestone_views as views

urlpatterns: list[URLPattern] = [
    path("contracts/<int:contract_id>/milestones/", views.milestone_split, name="milestone-split"),
    path("milestones/<int:milestone_id>/fund/", views.milestone_fund, name="milestone-fund"),
    path(
        "milestones/<int:milestone_id>/request-funding/",
        views.milestone_request_funding,
        name="milestone-request-funding",
    ),
    path("milestones/<int:milestone_id>/deliver/", views.milestone_deliver, name="milestone-deliver"),
    path(
        "milestones/<int:milestone_id>/request-changes/",
        views.milestone_request_changes,
        name="milestone-request-changes",
    ),
    path("milestones/<int:milestone_id>/accept/", views.milestone_accept, name="milestone-accept"),
    path(
        "milestones/<int:milestone_id>/agree-partial/",
        views.milestone_agree_partial,
        name="milestone-agree-partial",
    ),
    path("milestones/<int:milestone_id>/cancel/", views.milestone_cancel, name="milestone-cancel"),
    path(
        "milestones/<int:milestone_id>/cancellation-requests/",
        views.milestone_ask_cancellation,
        name="milestone-ask-cancellation",
    ),
    path(
        "cancellation-requests/<int:request_id>/answer/",
        views.cancellation_answer,
        name="cancellation-answer",
    ),
]
