"""Admin for moderation records: read-mostly. Actions go through the staff pages (which write the audit log
and e-mail the person affected), so the admin does not let anyone add or change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haat.moderation.models import AccountWarning, Appeal, ContactFlagReview, Report, Suspension


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "target_type", "target_id", "reason", "status", "reporter", "created_at"]
    list_filter = ["status", "target_type", "reason"]


@admin.register(AccountWarning)
class AccountWarningAdmin(ReadOnlyAdmin):
    list_display = ["pk", "user", "rule", "by", "created_at"]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "user", "rule", "is_fraud", "by", "created_at", "lifted_at"]
    list_filter = ["is_fraud", "rule"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["pk", "suspension", "status", "decided_by", "created_at"]
    list_filter = ["status"]


@admin.register(ContactFlagReview)
class ContactFlagReviewAdmin(ReadOnlyAdmin):
    list_display = ["pk", "message", "by", "created_at"]
