"""API: reports of a contract (mounted by contracts.api)."""

from ninja import Router

router = Router(tags=["contracts"])
