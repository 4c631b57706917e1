"""Contracts, milestones, deliveries, change and cancellation requests, weekly status reports and the secret
vault. Writes go through ``haat.contracts`` services; models hold data and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    AWAITING_FUNDING = "awaiting_funding", _("Awaiting funding")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    DISPUTED = "disputed", _("Disputed")


class Contract(models.Model):
    job = models.OneToOneField("jobs.Job", on_delete=models.PROTECT, related_name="contract")
    bid = models.OneToOneField("bids.Bid", on_delete=models.PROTECT, related_name="contract")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_buyer"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_freelancer"
    )
    price = models.BigIntegerField(_("price (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.AWAITING_FUNDING
    )
    # The fee schedule in force at the award, locked in: a later change of fees never touches this contract.
    buyer_fee_bps = models.PositiveIntegerField(default=300)
    freelancer_fee_bps = models.PositiveIntegerField(default=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="contract_price_positive")]

    def __str__(self) -> str:
        return f"Contract {self.pk}"

    @property
    def escrow_reference(self) -> str:
        return f"contract:{self.pk}"


class MilestoneStatus(models.TextChoices):
    AWAITING_FUNDING = "awaiting_funding", _("Awaiting funding")
    FUNDED = "funded", _("Funded: work in progress")
    DELIVERED = "delivered", _("Delivered: waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted and paid")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Milestone(models.Model):
    """A part of the contract's price, funded into escrow and released on acceptance."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=200)
    amount = models.BigIntegerField(_("amount (minor units)"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.AWAITING_FUNDING
    )
    funding_requested_at = models.DateTimeField(null=True, blank=True)
    funded_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Percent of the amount released on acceptance (100 unless both sides agreed to less; the rest is refunded).
    accepted_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    released_amount = models.BigIntegerField(null=True, blank=True)
    auto_accept_warned_at = models.DateTimeField(null=True, blank=True)
    funding_reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["contract", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="milestone_amount_positive"),
            models.UniqueConstraint(fields=["contract", "position"], name="milestone_position_unique"),
        ]

    def __str__(self) -> str:
        return f"Milestone {self.position} of contract {self.contract_id}"

    @property
    def escrow_reference(self) -> str:
        return f"contract:{self.contract_id}"


def delivery_upload_to(instance: Delivery, filename: str) -> str:
    import secrets

    return f"deliveries/{instance.milestone.contract_id}/{secrets.token_hex(16)}.zip"


class Delivery(models.Model):
    """One version of the delivered work: a checked zip, kept forever with its sha256."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="deliveries")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=delivery_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField()
    uncompressed_size = models.PositiveBigIntegerField()
    note = models.TextField(_("note"), blank=True)
    is_late = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["milestone", "version"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "version"], name="delivery_version_unique")
        ]

    def __str__(self) -> str:
        return f"Delivery {self.version} of milestone {self.milestone_id}"


class ChangeRequest(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="change_requests")
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="change_requests")
    comment = models.TextField(_("what should change"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Change request on milestone {self.milestone_id}"


class CancellationRequest(models.Model):
    """One side asks to cancel a funded milestone and refund the escrow; the other side agrees or not."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="cancellation_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    agreed = models.BooleanField(null=True)

    def __str__(self) -> str:
        return f"Cancellation request on milestone {self.milestone_id}"


class StatusReport(models.Model):
    """The freelancer's weekly report on a large contract, due Friday 23:59 in their time zone."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="status_reports")
    week_ending = models.DateField(_("week ending (Friday)"))
    done = models.TextField(_("what was done"))
    next_steps = models.TextField(_("what is next"))
    blockers = models.TextField(_("blockers"), blank=True)
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"))
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "week_ending"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "week_ending"], name="one_report_per_week"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="report_percent_range"),
        ]

    def __str__(self) -> str:
        return f"Report for week ending {self.week_ending}"


class MissedReport(models.Model):
    """A week whose report never came; the ranking penalty refers to it (recorded once per week)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="missed_reports")
    week_ending = models.DateField()
    deadline = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "week_ending"], name="missed_report_once")]

    def __str__(self) -> str:
        return f"Missed report, week ending {self.week_ending}"


class VaultEntry(models.Model):
    """A secret the buyer shares for the work (server, database), encrypted at rest (Fernet)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="vault_entries")
    label = models.CharField(_("label"), max_length=120)
    ciphertext = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract", "pk"]

    def __str__(self) -> str:
        return self.label


class VaultAccess(models.Model):
    """Every read or change of a vault entry: the access log arbiters see (never the secret)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        READ = "read", _("Read")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")

    entry = models.ForeignKey(VaultEntry, on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} of {self.entry_id} by {self.user_id}"
