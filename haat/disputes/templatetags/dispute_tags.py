"""Template helpers for disputes on the contract page."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from haat.contracts.models import Contract
from haat.contracts.services import DISPUTABLE_MILESTONE_STATUSES
from haat.disputes.models import Dispute

register = template.Library()


@register.simple_tag
def contract_disputes(contract: Contract) -> QuerySet[Dispute]:
    """The contract's disputes, newest first (one query)."""
    return Dispute.objects.filter(contract=contract).order_by("-created_at", "-pk")


@register.simple_tag
def can_open_dispute(contract: Contract) -> bool:
    """An active contract with at least one funded milestone can be disputed."""
    return (
        contract.status == "active"
        and contract.milestones.filter(status__in=DISPUTABLE_MILESTONE_STATUSES).exists()
    )
