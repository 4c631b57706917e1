"""Reads for disputes: the parties' lists and pages, the arbiters' queue, and the evidence of a case.

The evidence is everything the site recorded about the work, in one place: the contract timeline, the job
text, every message between the two (interview and contract threads, with earlier revisions and hidden
messages — an arbiter sees what was said), status reports, deliveries with their file lists, change requests,
cancellation requests and the secret vault's access log (never the secrets). Each part is one query (or a
fixed few), whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from haat.accounts.models import User
from haat.contracts import deliveries as delivery_files
from haat.contracts import timeline as contract_timeline
from haat.contracts.models import (
    CancellationRequest,
    ChangeRequest,
    Contract,
    Delivery,
    Milestone,
    StatusReport,
    VaultAccess,
)
from haat.disputes.models import OPEN_DISPUTE_STATUSES, Dispute, DisputeEvent, DisputeOffer, DisputeStatus
from haat.messaging.models import Message


def _parties(user: User) -> Q:
    return Q(contract__buyer=user) | Q(contract__freelancer=user)


def disputes_of(user: User) -> QuerySet[Dispute]:
    """Disputes on the user's contracts (either side), newest first."""
    return (
        Dispute.objects.filter(_parties(user))
        .select_related("contract__job", "milestone")
        .order_by("-created_at", "-pk")
    )


def dispute_for_party(user: User, dispute_id: int) -> Dispute:
    """One dispute of the user's contracts; ``Dispute.DoesNotExist`` for anyone else's (or an unknown id)."""
    return disputes_of(user).select_related("contract__buyer", "contract__freelancer").get(pk=dispute_id)


def open_dispute_of_contract(contract: Contract) -> Dispute | None:
    return Dispute.objects.filter(contract=contract, status__in=OPEN_DISPUTE_STATUSES).first()


def milestone_in_contract(user: User, contract_id: int, milestone_id: int) -> bool:
    """Whether ``milestone_id`` belongs to ``contract_id`` and ``user`` is a party to it."""
    return Milestone.objects.filter(pk=milestone_id, contract_id=contract_id).filter(_parties(user)).exists()


def offers_of(dispute: Dispute) -> QuerySet[DisputeOffer]:
    return dispute.offers.select_related("made_by", "dispute").order_by("created_at", "pk")


def events_of(dispute: Dispute) -> QuerySet[DisputeEvent]:
    return (
        DisputeEvent.objects.filter(dispute=dispute)
        .select_related("actor", "offer")
        .order_by("created_at", "pk")
    )


# --- Arbiters ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    dispute: Dispute
    age: dt.timedelta
    offers: int


def arbitration_queue(*, status: str = DisputeStatus.ARBITRATION) -> list[QueueRow]:
    """Open disputes, oldest first, with their age and number of offers (two queries)."""
    now = timezone.now()
    rows = (
        Dispute.objects.filter(status=status)
        .select_related("contract__job", "contract__buyer", "contract__freelancer", "milestone", "arbiter")
        .annotate(offer_count=Count("offers"))
        .order_by("created_at", "pk")
    )
    return [QueueRow(dispute=d, age=now - d.created_at, offers=d.offer_count) for d in rows]


def case(dispute_id: int) -> Dispute:
    """The dispute for its case page (``Dispute.DoesNotExist`` for an unknown id)."""
    return Dispute.objects.select_related(
        "contract__job", "contract__buyer", "contract__freelancer", "milestone", "arbiter", "opened_by"
    ).get(pk=dispute_id)


@dataclass(frozen=True)
class DeliveryEvidence:
    delivery: Delivery
    files: list[Any]
    unreadable: bool


@dataclass(frozen=True)
class Evidence:
    timeline: list[contract_timeline.Event]
    messages: list[Message]
    status_reports: list[StatusReport]
    deliveries: list[DeliveryEvidence]
    change_requests: list[ChangeRequest]
    cancellation_requests: list[CancellationRequest]
    vault_log: list[VaultAccess]
    milestones: list[Milestone]


def evidence(dispute: Dispute) -> Evidence:
    """Everything recorded about the dispute's contract, for the arbiter (never the vault's secrets)."""
    contract = dispute.contract
    messages = list(
        Message.objects.filter(
            Q(thread__contract=contract)
            | Q(
                thread__job=contract.job,
                thread__freelancer=contract.freelancer,
                thread__contract__isnull=True,
            )
        )
        .select_related("sender", "thread")
        .prefetch_related("revisions", "attachments")
        .order_by("created_at", "pk")
    )
    delivered = []
    for delivery in (
        Delivery.objects.filter(milestone__contract=contract)
        .select_related("milestone")
        .order_by("created_at", "pk")
    ):
        try:
            files, unreadable = list(delivery_files.list_files(delivery)), False
        except Exception:  # a missing or damaged file must not hide the rest of the evidence
            files, unreadable = [], True
        delivered.append(DeliveryEvidence(delivery=delivery, files=files, unreadable=unreadable))
    return Evidence(
        timeline=contract_timeline.timeline(contract),
        messages=messages,
        status_reports=list(StatusReport.objects.filter(contract=contract).order_by("week_ending", "pk")),
        deliveries=delivered,
        change_requests=list(
            ChangeRequest.objects.filter(milestone__contract=contract)
            .select_related("milestone")
            .order_by("created_at", "pk")
        ),
        cancellation_requests=list(
            CancellationRequest.objects.filter(milestone__contract=contract)
            .select_related("milestone", "requested_by")
            .order_by("created_at", "pk")
        ),
        vault_log=list(
            VaultAccess.objects.filter(entry__contract=contract)
            .select_related("entry", "user")
            .order_by("at", "pk")
        ),
        milestones=list(Milestone.objects.filter(contract=contract).order_by("position", "pk")),
    )
