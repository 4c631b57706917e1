"""API of the bids app."""

from ninja import Router

router = Router(tags=["bids"])
