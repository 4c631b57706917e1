"""Read-only views of the book: nothing in the admin may change a balance."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haat.ledger.models import Account, Transfer


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "reference",
        "currency",
        "debits_posted",
        "credits_posted",
        "debits_pending",
    ]
    list_filter = ["kind", "currency"]
    search_fields = ["reference", "owner__email"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "code",
        "phase",
        "amount",
        "currency",
        "debit_account",
        "credit_account",
        "created_at",
    ]
    list_filter = ["code", "phase", "currency"]
    search_fields = ["reference", "id"]
    date_hierarchy = "created_at"
