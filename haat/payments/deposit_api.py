"""API: deposits (see payments.api)."""

from ninja import Router

router = Router(tags=["deposits"])
