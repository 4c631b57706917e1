"""The Django admin, closed to staff without two-factor authentication.

``HaatAdminConfig`` (in settings' INSTALLED_APPS instead of ``django.contrib.admin``) makes this the default
site, so every ``admin.register`` lands here. Signing in always goes through allauth's log-in (which asks for the
authenticator code), never through the admin's own password-only form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from haat.staff.access import has_two_factor


class HaatAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and has_two_factor(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Anonymous → allauth's log-in; staff without 2FA → setting it up; anyone else without access → 403."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "/")
        if user.is_active and user.is_staff:
            messages.warning(
                request, _("The admin needs two-factor authentication. Set up an authenticator app first.")
            )
            return redirect("mfa_activate_totp")
        raise PermissionDenied(_("This page is for staff only."))
