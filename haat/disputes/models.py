"""Disputes on a funded milestone: the parties' offers, the arbiter's decision and the dispute's timeline.
Writes go through ``haat.disputes.services``; models hold data and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DisputeReason(models.TextChoices):
    NOT_DELIVERED = "not_delivered", _("The work was not delivered")
    QUALITY = "quality", _("The work does not match what was agreed")
    LATE = "late", _("The work is very late")
    SCOPE = "scope", _("We disagree about the scope of the work")
    UNRESPONSIVE = "unresponsive", _("The other side stopped responding")
    OTHER = "other", _("Another reason")


class DisputeStatus(models.TextChoices):
    NEGOTIATION = "negotiation", _("The two sides are negotiating")
    ARBITRATION = "arbitration", _("Waiting for the arbiter")
    SETTLED = "settled", _("Settled by agreement")
    DECIDED = "decided", _("Decided by the arbiter")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_DISPUTE_STATUSES = (DisputeStatus.NEGOTIATION, DisputeStatus.ARBITRATION)


class Dispute(models.Model):
    """A dispute over one funded milestone. While it is open the contract's escrow is frozen."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="disputes")
    milestone = models.ForeignKey("contracts.Milestone", on_delete=models.PROTECT, related_name="disputes")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=DisputeReason.choices)
    statement = models.TextField(_("statement"))
    # The escrowed amount in dispute (the milestone's amount), in minor units of the contract's currency.
    amount = models.BigIntegerField(_("amount in dispute"))
    currency = models.CharField(max_length=3)
    status = models.CharField(
        _("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.NEGOTIATION
    )
    negotiation_ends_at = models.DateTimeField(_("negotiation ends"))
    escalated_at = models.DateTimeField(null=True, blank=True)
    arbiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The outcome, in minor units: what the freelancer was given before fees, and how it was paid.
    freelancer_amount = models.BigIntegerField(null=True, blank=True)
    freelancer_fee = models.BigIntegerField(null=True, blank=True)
    arbitration_fee = models.BigIntegerField(null=True, blank=True)
    freelancer_receives = models.BigIntegerField(null=True, blank=True)
    buyer_refund = models.BigIntegerField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("arbitrate", "Can arbitrate disputes (arbiter)")]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status__in=["negotiation", "arbitration"]),
                name="one_open_dispute_per_contract",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dispute_amount_positive"),
            models.CheckConstraint(
                condition=Q(freelancer_amount__isnull=True)
                | (Q(freelancer_amount__gte=0) & Q(freelancer_amount__lte=models.F("amount"))),
                name="dispute_split_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"Dispute {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DISPUTE_STATUSES


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Replaced by a newer offer")
    LAPSED = "lapsed", _("Lapsed (the dispute moved on)")


class DisputeOffer(models.Model):
    """A proposal by one side of how to split the escrow: ``freelancer_amount`` to the freelancer (before the
    freelancer fee), the rest back to the buyer."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="offers")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    freelancer_amount = models.BigIntegerField(_("to the freelancer"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(max_length=12, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(freelancer_amount__gte=0), name="offer_amount_not_negative"),
            models.UniqueConstraint(
                fields=["dispute", "made_by"], condition=Q(status="open"), name="one_open_offer_per_side"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer {self.pk} on dispute {self.dispute_id}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Dispute opened")
    STATEMENT = "statement", pgettext_lazy("dispute", "Statement")
    OFFER = "offer", _("Offer")
    OFFER_ACCEPTED = "offer_accepted", _("Offer accepted")
    OFFER_REJECTED = "offer_rejected", _("Offer rejected")
    ESCALATED = "escalated", _("Sent to an arbiter")
    ASSIGNED = "assigned", _("Arbiter assigned")
    DECIDED = "decided", _("Decided by the arbiter")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DisputeEvent(models.Model):
    """One entry of the dispute's timeline, seen by both sides and the arbiter. Append-only."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    text = models.TextField(blank=True)
    offer = models.ForeignKey(DisputeOffer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on dispute {self.dispute_id}"
