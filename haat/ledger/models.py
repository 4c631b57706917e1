"""Accounts and transfers of the double-entry book, in the spirit of TigerBeetle.

Every account keeps four running totals (pending and posted, debits and credits). A transfer moves an amount
from its debit account to its credit account; it is never changed or deleted. Two-phase transfers (holds)
are a *pending* transfer followed by exactly one *post* or *void* transfer that references it.

User balances are credit-normal: balance = credits - debits. An account flagged ``no_negative`` may never have
``debits_posted + debits_pending > credits_posted`` — enforced by the service under a row lock and by a CHECK
constraint as the last line of defence.

Hot system accounts (platform revenue, gateway and payout clearing) have no floor, so postings to them never
read-then-check: instead of updating their row (one lock every release would queue on) each posting appends
a ``HotDelta`` row, and ``services.roll_up_hot_accounts`` folds those into the totals later.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MAX_AMOUNT = 2**63 - 1


class AccountKind(models.TextChoices):
    WALLET = "wallet", _("Wallet")
    CLEARING = "clearing", _("Earnings waiting for clearance")
    ESCROW = "escrow", _("Escrow")
    PLATFORM_REVENUE = "platform_revenue", _("Platform revenue")
    GATEWAY_CLEARING = "gateway_clearing", _("Payment gateway clearing")
    PAYOUT_CLEARING = "payout_clearing", _("Payout clearing")


# Kinds whose balance belongs to someone and so may never go below zero.
FLOORED_KINDS = frozenset({AccountKind.WALLET, AccountKind.CLEARING, AccountKind.ESCROW})
HOT_KINDS = frozenset(
    {AccountKind.PLATFORM_REVENUE, AccountKind.GATEWAY_CLEARING, AccountKind.PAYOUT_CLEARING}
)


class Account(models.Model):
    kind = models.CharField(max_length=32, choices=AccountKind.choices)
    # What the account is for: "user:<id>", "contract:<id>", "gateway:<code>", "platform".
    reference = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    currency = models.CharField(max_length=3)
    no_negative = models.BooleanField(default=True)
    is_hot = models.BooleanField(default=False)
    debits_pending = models.BigIntegerField(default=0)
    debits_posted = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference", "currency"], name="ledger_account_unique"),
            models.CheckConstraint(
                condition=Q(debits_pending__gte=0)
                & Q(debits_posted__gte=0)
                & Q(credits_pending__gte=0)
                & Q(credits_posted__gte=0),
                name="ledger_account_totals_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(no_negative=False)
                | Q(debits_posted__lte=F("credits_posted") - F("debits_pending")),
                name="ledger_account_no_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.reference}:{self.currency}"


class TransferCode(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    ESCROW_FUNDING = "escrow_funding", _("Escrow funding")
    BUYER_FEE = "buyer_fee", _("Buyer fee")
    RELEASE = "release", _("Release to freelancer")
    FREELANCER_FEE = "freelancer_fee", _("Freelancer fee")
    REFUND = "refund", _("Refund to buyer")
    CLEARANCE = "clearance", _("Earnings cleared")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    WITHDRAWAL_FEE = "withdrawal_fee", _("Withdrawal fee")
    ARBITRATION_FEE = "arbitration_fee", _("Arbitration fee")


class Phase(models.TextChoices):
    POSTED = "posted", _("Posted")
    PENDING = "pending", _("Pending")
    POST_PENDING = "post_pending", _("Pending transfer posted")
    VOID_PENDING = "void_pending", _("Pending transfer voided")


class Transfer(models.Model):
    """An immutable movement of money. The id is chosen by the caller, so a retried posting is a no-op."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    debit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="debits")
    credit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credits")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    code = models.CharField(max_length=32, choices=TransferCode.choices)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.POSTED)
    # For POST_PENDING / VOID_PENDING: the pending transfer this one resolves (at most one resolution each).
    pending = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="resolution"
    )
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")), name="ledger_transfer_distinct_accounts"
            ),
            models.CheckConstraint(
                condition=Q(phase__in=["posted", "pending"], pending__isnull=True)
                | Q(phase__in=["post_pending", "void_pending"], pending__isnull=False),
                name="ledger_transfer_pending_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["debit_account", "created_at"]),
            models.Index(fields=["credit_account", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.amount} {self.currency} ({self.phase})"


class HotDelta(models.Model):
    """A not-yet-rolled-up change to a hot account's totals (see the module docstring)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="hot_deltas")
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="+")
    debits_pending = models.BigIntegerField(default=0)
    debits_posted = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"delta for {self.account_id}"
