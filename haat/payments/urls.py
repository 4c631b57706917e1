"""Pages of the payments app: wallet, deposits, payout methods, withdrawals and the finance payout queue."""

from haat.payments import deposit_urls, wallet_urls, withdrawal_urls

app_name = "payments"
urlpatterns = [*wallet_urls.urlpatterns, *deposit_urls.urlpatterns, *withdrawal_urls.urlpatterns]
