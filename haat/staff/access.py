"""Who may open a staff page: a member of one of the page's roles, signed in with two-factor authentication.

Views use ``@staff_required(Role.ARBITER)``; services check roles again (``roles.has_role``), so a page is
never the only guard.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from haat.staff.roles import Role, has_role


def has_two_factor(user: Any) -> bool:
    """Whether ``user`` has an authenticator app (TOTP) set up."""
    return bool(
        user.is_authenticated
        and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def staff_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: anonymous → log-in page; without any of ``roles`` → 403; without 2FA → the page that
    sets it up, with a message saying why."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_role(user, role) for role in roles):
                raise PermissionDenied(_("This page is for staff only."))
            if not has_two_factor(user):
                messages.warning(
                    request,
                    _("Staff pages need two-factor authentication. Set up an authenticator app first."),
                )
                return redirect("mfa_activate_totp")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
