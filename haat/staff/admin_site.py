"""The Django admin, closed to staff without two-factor authentication, with every change audited.

``HaatAdminConfig`` (in settings' INSTALLED_APPS instead of ``django.contrib.admin``) makes this the default
site, so every ``admin.register`` lands here. Signing in always goes through allauth's log-in (which asks for the
authenticator code), never through the admin's own password-only form. Each registered admin class gets
``AuditedAdmin`` mixed in: additions, changes and deletions made in the admin are written to the audit log
next to Django's own admin history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from haat.staff.access import has_two_factor


def _record(request: HttpRequest, action: str, obj: Any, message: object) -> None:
    from haat.staff import audit

    meta = obj._meta
    audit.record(
        actor=request.user,
        action=f"admin.{action}",
        target_type=f"{meta.app_label}.{meta.model_name}"[:40],
        target_id=obj.pk,
        object=str(obj)[:200],
        change=str(message)[:2000] if message else "",
    )


class AuditedAdmin(admin.ModelAdmin):
    """Writes each admin addition, change and deletion to the staff audit log as well."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        _record(request, "add", obj, message)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        _record(request, "change", obj, message)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            _record(request, "delete", obj, "")
        return entries


class HaatAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        audited = type(base.__name__, (AuditedAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, audited, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and has_two_factor(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Anonymous → allauth's log-in; staff without 2FA → setting it up; anyone else without access → 403."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            safe = url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(next_url if safe else reverse("admin:index", current_app=self.name))
        if user.is_active and user.is_staff:
            messages.warning(
                request, _("The admin needs two-factor authentication. Set up an authenticator app first.")
            )
            return redirect("mfa_activate_totp")
        raise PermissionDenied(_("This page is for staff only."))
