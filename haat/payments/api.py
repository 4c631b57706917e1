"""The payments API: wallet, deposits (and gateway webhooks), payout methods and withdrawals."""

from ninja import Router

from haat.payments import deposit_api, wallet_api, withdrawal_api

router = Router()
router.add_router("/", wallet_api.router)
router.add_router("/", deposit_api.router)
router.add_router("/", withdrawal_api.router)
