"""Contracts. So far created by an accepted award, in the state ``awaiting funding``."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="contract_price_positive")]

    def __str__(self) -> str:
        return f"Contract {self.pk}"

    @property
    def escrow_reference(self) -> str:
        return f"contract:{self.pk}"
