"""API: wallets (see payments.api)."""

from ninja import Router

router = Router(tags=["wallets"])
