"""API: the contract timeline (mounted by contracts.api)."""

from ninja import Router

router = Router(tags=["contracts"])
