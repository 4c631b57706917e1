from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from haat.accounts.models import User


def site(request: HttpRequest) -> dict[str, Any]:
    from haat.staff.roles import Role, has_role, is_staff_member

    user = getattr(request, "user", None)
    signed_in = isinstance(user, User) and user.is_authenticated
    return {
        "site_name": settings.HAAT_SITE_NAME,
        # Lazy: evaluated only by templates that show staff links.
        "is_staff_member": (lambda: is_staff_member(user)) if signed_in else False,
        # The Django admin link, for superusers and the admin role.
        "can_open_admin": (lambda: bool(user.is_superuser or has_role(user, Role.ADMIN)))  # type: ignore[union-attr]
        if signed_in
        else False,
    }
