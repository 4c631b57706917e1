from django.contrib import admin

from haat.payments.models import Deposit, FeeSchedule, PayoutMethod, Withdrawal


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "currency",
        "buyer_fee_bps",
        "freelancer_fee_bps",
        "small_contract_fee_bps",
        "small_contract_threshold",
    ]


class NoWriteAdmin(admin.ModelAdmin):
    """Deposits and withdrawals change state only through their services (they move money)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Deposit)
class DepositAdmin(NoWriteAdmin):
    list_display = ["reference", "user", "gateway", "amount", "currency", "status", "created_at"]
    list_filter = ["status", "gateway", "currency"]
    search_fields = ["reference", "user__email", "gateway_reference"]


@admin.register(Withdrawal)
class WithdrawalAdmin(NoWriteAdmin):
    list_display = ["pk", "user", "amount", "fee", "currency", "status", "created_at"]
    list_filter = ["status", "currency"]
    search_fields = ["user__email", "payment_reference"]


@admin.register(PayoutMethod)
class PayoutMethodAdmin(NoWriteAdmin):
    list_display = ["user", "kind", "masked", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["user__email"]
