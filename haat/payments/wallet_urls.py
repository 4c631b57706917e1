"""Pages: the wallet (included by payments.urls)."""

from django.urls import URLPattern, path

from haat.payments import wallet_views

urlpatterns: list[URLPattern] = [
    path("wallet/", wallet_views.wallet, name="wallet"),
    path("wallet/statement.csv", wallet_views.statement_csv, name="wallet-statement-csv"),
]
