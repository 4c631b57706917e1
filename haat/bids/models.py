"""Bids and awards. Writes go through ``haat.bids.services`` (a transition table, not scattered ifs)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haat.jobs.models import Job


class BidStatus(models.TextChoices):
    LIVE = "live", _("Live")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")
    AWARDED = "awarded", _("Awarded, waiting for the freelancer")
    ACCEPTED = "accepted", _("Accepted: contract created")
    DECLINED = "declined", _("Award declined")
    EXPIRED = "expired", _("Award expired")
    LOST = "lost", _("Another bid won")
    CLOSED = "closed", _("Bidding closed")


# A freelancer has at most one bid in these states per job.
LIVE_STATUSES = (BidStatus.LIVE, BidStatus.AWARDED, BidStatus.ACCEPTED)


class Bid(models.Model):
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="bids")
    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bids")
    amount = models.BigIntegerField(_("amount (minor units)"))
    delivery_days = models.PositiveIntegerField(_("delivery in days"))
    proposal = models.TextField(_("proposal"), validators=[MaxLengthValidator(10_000)])
    status = models.CharField(_("status"), max_length=16, choices=BidStatus.choices, default=BidStatus.LIVE)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    rejection_message = models.TextField(
        _("message to the freelancer"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    award_expires_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "freelancer"],
                condition=Q(status__in=["live", "awarded", "accepted"]),
                name="one_live_bid_per_freelancer",
            ),
            models.UniqueConstraint(
                fields=["job"], condition=Q(status__in=["awarded", "accepted"]), name="one_award_per_job"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bid_amount_positive"),
            models.CheckConstraint(condition=Q(delivery_days__gte=1), name="bid_delivery_days_positive"),
        ]

    def __str__(self) -> str:
        return f"Bid {self.pk} on job {self.job_id}"
