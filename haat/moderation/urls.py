"""Pages of haat.moderation: the staff queue and actions, reporting, and the user's own moderation page."""

from django.urls import URLPattern, URLResolver, path

from haat.moderation import views

app_name = "moderation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/moderation/", views.queue, name="queue"),
    path("staff/moderation/users/<int:user_id>/", views.user_detail, name="user"),
    path("staff/moderation/users/<int:user_id>/warn/", views.warn, name="warn"),
    path("staff/moderation/users/<int:user_id>/suspend/", views.suspend, name="suspend"),
    path("staff/moderation/suspensions/<int:suspension_id>/lift/", views.lift, name="lift"),
    path("staff/moderation/hide/", views.hide, name="hide"),
    path("staff/moderation/unhide/", views.unhide, name="unhide"),
    path("staff/moderation/reports/<int:report_id>/dismiss/", views.dismiss, name="dismiss"),
    path("staff/moderation/flags/<int:message_id>/reviewed/", views.review_flag, name="review-flag"),
    path("staff/moderation/appeals/<int:appeal_id>/decide/", views.decide_appeal, name="decide-appeal"),
    path("staff/moderation/fraud/", views.fraud_holds, name="fraud-holds"),
    path("staff/moderation/fraud/<int:suspension_id>/reviewed/", views.finance_review, name="finance-review"),
    path("report/", views.report, name="report"),
    path("account/moderation/", views.mine, name="mine"),
    path("account/moderation/suspensions/<int:suspension_id>/appeal/", views.appeal, name="appeal"),
]
