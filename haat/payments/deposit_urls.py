"""Pages: deposits (included by payments.urls, namespace "payments")."""

from django.urls import URLPattern, path

from haat.payments import deposit_views as views

urlpatterns: list[URLPattern] = [
    path("wallet/deposits/", views.deposit_list, name="deposit-list"),
    path("wallet/deposits/new/", views.deposit_new, name="deposit-new"),
    path("wallet/deposits/<int:deposit_id>/", views.deposit_detail, name="deposit-detail"),
    path("wallet/deposits/bank-transfers/", views.deposit_queue, name="deposit-queue"),
    path("wallet/deposits/<int:deposit_id>/confirm/", views.deposit_confirm, name="deposit-confirm"),
    path("wallet/deposits/<int:deposit_id>/fail/", views.deposit_fail, name="deposit-fail"),
]
