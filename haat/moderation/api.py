"""API of haat.moderation."""

from ninja import Router

router = Router(tags=["moderation"])
