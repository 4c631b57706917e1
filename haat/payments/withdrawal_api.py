"""API: withdrawals (see payments.api)."""

from ninja import Router

router = Router(tags=["withdrawals"])
