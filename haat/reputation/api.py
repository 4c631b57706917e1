"""API of the reputation app: reviews and the freelancer directory."""

from ninja import Router

router = Router(tags=["reputation"])
