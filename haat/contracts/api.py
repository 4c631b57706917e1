"""API of the contracts app."""

from ninja import Router

router = Router(tags=["contracts"])
