"""The suspension banner: every page tells a suspended user why, under which rule, and where to appeal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haat.moderation.services import active_suspension


def suspension(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"moderation_suspension": active_suspension(user) if user is not None else None}
