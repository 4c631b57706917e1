"""API of haat.disputes."""

from ninja import Router

router = Router(tags=["disputes"])
