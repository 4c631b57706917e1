"""Pages: payout methods, withdrawals and the finance payout queue (included by payments.urls)."""

from django.urls import URLPattern, path

from haat.payments import withdrawal_views as views

urlpatterns: list[URLPattern] = [
    path("wallet/payout-methods/", views.payout_method_list, name="payout-method-list"),
    path("wallet/payout-methods/add/", views.payout_method_add, name="payout-method-add"),
    path(
        "wallet/payout-methods/<int:method_id>/remove/",
        views.payout_method_deactivate,
        name="payout-method-deactivate",
    ),
    path("wallet/withdrawals/", views.withdrawal_list, name="withdrawal-list"),
    path("wallet/withdrawals/new/", views.withdrawal_new, name="withdrawal-new"),
    path("staff/payouts/", views.payout_queue, name="payout-queue"),
    path("staff/payouts/<int:withdrawal_id>/mark-paid/", views.payout_mark_paid, name="payout-mark-paid"),
    path("staff/payouts/<int:withdrawal_id>/reject/", views.payout_reject, name="payout-reject"),
]
