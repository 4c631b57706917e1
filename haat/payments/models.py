"""Fee schedules, deposits, payout methods, withdrawals and idempotency keys."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FeeSchedule(models.Model):
    """The site's fees for one currency (``*`` = every currency without its own row). Edited in the admin.

    Rates are basis points (1/100 of a percent): 300 = 3 %.
    """

    currency = models.CharField(
        _("currency"), max_length=3, unique=True, help_text=_("ISO code, or * for the default.")
    )
    buyer_fee_bps = models.PositiveIntegerField(
        _("buyer fee (basis points)"),
        default=300,
        validators=[MaxValueValidator(5000)],
        help_text=_("Charged on top of the price when escrow is funded. 300 = 3%."),
    )
    freelancer_fee_bps = models.PositiveIntegerField(
        _("freelancer fee (basis points)"),
        default=1000,
        validators=[MaxValueValidator(5000)],
        help_text=_("Deducted from the price at release. 1000 = 10%."),
    )
    small_contract_fee_bps = models.PositiveIntegerField(
        _("freelancer fee under the threshold (basis points)"),
        default=1500,
        validators=[MaxValueValidator(5000)],
        help_text=_("Used instead when the contract price is below the threshold. 1500 = 15%."),
    )
    small_contract_threshold = models.BigIntegerField(
        _("small-contract threshold (minor units)"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Contracts priced below this pay the higher freelancer fee; 0 turns it off."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")

    def __str__(self) -> str:
        return f"Fees for {self.currency}"


class DepositStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class Deposit(models.Model):
    """Money a user sends in through a payment gateway. Credited once, when the gateway reports success."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deposits")
    gateway = models.CharField(_("gateway"), max_length=32)
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(max_length=16, choices=DepositStatus.choices, default=DepositStatus.PENDING)
    # Shown to the payer (e.g. the text to put on a bank transfer); unique across the site.
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    gateway_reference = models.CharField(max_length=128, blank=True)
    received_amount = models.BigIntegerField(null=True, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive")]

    def __str__(self) -> str:
        return f"Deposit {self.reference}"


class PayoutKind(models.TextChoices):
    PAYONEER = "payoneer", _("Payoneer")
    BANK = "bank", _("Bank account")
    MOBILE_MONEY = "mobile_money", _("Mobile money (bKash, Nagad)")
    PAYPAL = "paypal", _("PayPal")


class MobileProvider(models.TextChoices):
    BKASH = "bkash", "bKash"
    NAGAD = "nagad", "Nagad"


class PayoutMethod(models.Model):
    """Where a user wants their money sent. Details depend on the kind; services validate them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_methods"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PayoutKind.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    account_name = models.CharField(_("account holder's name"), max_length=120, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    branch = models.CharField(_("branch or routing code"), max_length=60, blank=True)
    mobile_provider = models.CharField(
        _("provider"), max_length=16, choices=MobileProvider.choices, blank=True
    )
    mobile_number = models.CharField(_("mobile number"), max_length=20, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked}"

    @property
    def masked(self) -> str:
        """A short label that does not reveal the whole account number or address."""
        if self.kind in (PayoutKind.PAYONEER, PayoutKind.PAYPAL):
            name, _at, domain = self.email.partition("@")
            return f"{name[:2]}…@{domain}"
        number = self.account_number if self.kind == PayoutKind.BANK else self.mobile_number
        return f"…{number[-4:]}"


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class Withdrawal(models.Model):
    """A request to pay out cleared money. The amount (plus fee) is held in the ledger from the start."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawals")
    payout_method = models.ForeignKey(PayoutMethod, on_delete=models.PROTECT, related_name="withdrawals")
    amount = models.BigIntegerField(_("amount (minor units)"))
    fee = models.BigIntegerField(_("fee (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        max_length=16, choices=WithdrawalStatus.choices, default=WithdrawalStatus.REQUESTED
    )
    payment_reference = models.CharField(_("payment reference"), max_length=128, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("process_withdrawals", "Can mark withdrawals paid or reject them (finance)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(fee__gte=0), name="withdrawal_amounts_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Withdrawal {self.pk}"


class IdempotencyKey(models.Model):
    """The first response to a money-moving API call, replayed for the same key (see ``payments.idempotency``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.BinaryField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key
