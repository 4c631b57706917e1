"""The contract timeline: everything that happened on a contract, oldest first, in one list.

``timeline(contract)`` merges the award, milestone funding and acceptance, the contract thread's messages
(an excerpt only), status reports and missed weeks, deliveries, change and cancellation requests, vault
accesses (who and when; never the secret), published reviews and every ledger transfer on the contract's
escrow reference. It runs a fixed number of queries however long the contract is (one per source), so
arbiters can read a year-long contract on one page.

Read-only: no function here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from haat.contracts.models import (
    CancellationRequest,
    ChangeRequest,
    Contract,
    Delivery,
    Milestone,
    MissedReport,
    StatusReport,
    VaultAccess,
)
from haat.contracts.reports import freelancer_zone, penalty, report_deadline
from haat.ledger.models import Phase, Transfer, TransferCode
from haat.web.money import format_money

EXCERPT_LENGTH = 120


@dataclass(frozen=True)
class Event:
    """One line of the timeline. ``kind`` is a stable machine name (``message``, ``funding``, ``payment``…);
    ``title`` and ``detail`` are for people, in the reader's language. ``amount`` is in minor units of
    ``currency`` when money is involved, and ``amount_text`` is it formatted."""

    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    actor: str = ""
    amount: int | None = None
    currency: str = ""
    amount_text: str = ""
    late: bool = False
    order: int = field(default=0, compare=False)


# Ties (same instant) keep the workflow's order: the money moves before the state it causes is recorded.
_ORDER = {
    "created": 0,
    "funding_requested": 1,
    "payment": 2,
    "funded": 3,
    "message": 4,
    "report": 5,
    "missed_report": 6,
    "delivery": 7,
    "change_request": 8,
    "cancellation_request": 9,
    "cancellation_answer": 10,
    "accepted": 11,
    "vault": 12,
    "review": 13,
}

_PAYMENT_TITLES = {
    TransferCode.ESCROW_FUNDING: lambda: _("Escrow funded by the buyer"),
    TransferCode.BUYER_FEE: lambda: _("Buyer fee to the site"),
    TransferCode.RELEASE: lambda: _("Paid to the freelancer"),
    TransferCode.FREELANCER_FEE: lambda: _("Freelancer fee to the site"),
    TransferCode.REFUND: lambda: _("Refunded to the buyer"),
    TransferCode.ARBITRATION_FEE: lambda: _("Arbitration fee"),
}


# Transfers of one ledger batch share a timestamp (to the microsecond on a fast machine): list them in the
# order the money moved, not in the random order of their UUIDs.
_PAYMENT_RANK = {
    TransferCode.ESCROW_FUNDING: 0,
    TransferCode.BUYER_FEE: 1,
    TransferCode.RELEASE: 2,
    TransferCode.FREELANCER_FEE: 3,
    TransferCode.REFUND: 4,
    TransferCode.ARBITRATION_FEE: 5,
}


def _event(at: dt.datetime, kind: str, title: str, *, sub_order: int = 0, **extra: Any) -> Event:
    order = _ORDER.get(kind, 99) * 100 + sub_order
    return Event(at=at, kind=kind, title=title, order=order, **extra)


def _money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "amount_text": format_money(amount, currency)}


def _names(contract: Contract) -> dict[int, str]:
    return {
        contract.buyer_id: contract.buyer.profile.public_name,
        contract.freelancer_id: contract.freelancer.profile.public_name,
    }


def _milestone_events(contract: Contract, milestones: list[Milestone], names: dict[int, str]) -> list[Event]:
    events: list[Event] = []
    buyer = names[contract.buyer_id]
    worker = names[contract.freelancer_id]
    for m in milestones:
        if m.funding_requested_at:
            events.append(
                _event(
                    m.funding_requested_at,
                    "funding_requested",
                    _("Funding requested for “%(title)s”") % {"title": m.title},
                    actor=worker,
                )
            )
        if m.funded_at:
            events.append(
                _event(
                    m.funded_at,
                    "funded",
                    _("Milestone “%(title)s” funded: work can start") % {"title": m.title},
                    actor=buyer,
                    **_money(m.amount, contract.currency),
                )
            )
        if m.accepted_at:
            percent = m.accepted_percent if m.accepted_percent is not None else 100
            detail = (
                _("%(percent)d%% of the milestone accepted; the rest is refunded.") % {"percent": percent}
                if percent < 100
                else ""
            )
            events.append(
                _event(
                    m.accepted_at,
                    "accepted",
                    _("Milestone “%(title)s” accepted and released") % {"title": m.title},
                    detail=detail,
                    actor=buyer,
                    **_money(m.released_amount or 0, contract.currency),
                )
            )
    return events


def _work_events(contract: Contract, names: dict[int, str]) -> list[Event]:
    events: list[Event] = []
    buyer = names[contract.buyer_id]
    worker = names[contract.freelancer_id]
    deliveries = Delivery.objects.filter(milestone__contract=contract).select_related("milestone")
    for d in deliveries:
        events.append(
            _event(
                d.created_at,
                "delivery",
                _("Version %(version)d delivered for “%(title)s”")
                % {"version": d.version, "title": d.milestone.title},
                detail=Truncator(d.note).chars(EXCERPT_LENGTH),
                actor=worker,
                late=d.is_late,
            )
        )
    changes = ChangeRequest.objects.filter(milestone__contract=contract).select_related("delivery")
    for c in changes:
        events.append(
            _event(
                c.created_at,
                "change_request",
                _("Changes requested on version %(version)d") % {"version": c.delivery.version},
                detail=Truncator(c.comment).chars(EXCERPT_LENGTH),
                actor=buyer,
            )
        )
    cancellations = CancellationRequest.objects.filter(milestone__contract=contract).select_related(
        "milestone"
    )
    for r in cancellations:
        asker = names.get(r.requested_by_id, "")
        other = worker if r.requested_by_id == contract.buyer_id else buyer
        events.append(
            _event(
                r.created_at,
                "cancellation_request",
                _("Cancellation and refund of “%(title)s” asked") % {"title": r.milestone.title},
                detail=Truncator(r.reason).chars(EXCERPT_LENGTH),
                actor=asker,
            )
        )
        if r.answered_at:
            events.append(
                _event(
                    r.answered_at,
                    "cancellation_answer",
                    _("Cancellation agreed") if r.agreed else _("Cancellation refused"),
                    actor=other,
                )
            )
    return events


def _report_events(contract: Contract, names: dict[int, str]) -> list[Event]:
    events: list[Event] = []
    worker = names[contract.freelancer_id]
    zone = None
    for r in StatusReport.objects.filter(contract=contract):
        if zone is None:
            zone = freelancer_zone(contract)
        deadline = report_deadline(contract, r.week_ending, zone=zone)
        events.append(
            _event(
                r.filed_at,
                "report",
                _("Status report for the week ending %(week)s: %(percent)d%% complete")
                % {"week": r.week_ending.isoformat(), "percent": r.percent_complete},
                detail=Truncator(r.done).chars(EXCERPT_LENGTH),
                actor=worker,
                late=r.filed_at > deadline,
            )
        )
    for missed in MissedReport.objects.filter(contract=contract):
        events.append(
            _event(
                missed.recorded_at,
                "missed_report",
                _("No status report for the week ending %(week)s") % {"week": missed.week_ending.isoformat()},
                detail=_("%(points)d ranking points taken off.") % {"points": penalty()},
                actor=worker,
                late=True,
            )
        )
    return events


def _message_events(contract: Contract, names: dict[int, str]) -> list[Event]:
    from haat.messaging.models import Message, ThreadKind

    messages = Message.objects.filter(thread__contract=contract, thread__kind=ThreadKind.CONTRACT).only(
        "sender_id", "body", "created_at"
    )
    return [
        _event(
            m.created_at,
            "message",
            _("Message"),
            detail=Truncator(m.body).chars(EXCERPT_LENGTH),
            actor=names.get(m.sender_id, ""),
        )
        for m in messages
    ]


def _vault_events(contract: Contract, names: dict[int, str]) -> list[Event]:
    labels = {
        VaultAccess.Action.CREATE: _("Vault entry “%(label)s” added"),
        VaultAccess.Action.READ: _("Vault entry “%(label)s” read"),
        VaultAccess.Action.UPDATE: _("Vault entry “%(label)s” changed"),
        VaultAccess.Action.DELETE: _("Vault entry “%(label)s” deleted"),
    }
    accesses = VaultAccess.objects.filter(entry__contract=contract).select_related("entry")
    return [
        _event(
            a.at,
            "vault",
            labels.get(a.action, _("Vault entry “%(label)s”")) % {"label": a.entry.label},  # type: ignore[call-overload]
            actor=names.get(a.user_id, ""),
        )
        for a in accesses
    ]


def _review_events(contract: Contract, names: dict[int, str], now: dt.datetime) -> list[Event]:
    from haat.reputation.models import Review

    reviews = Review.objects.filter(contract=contract, published_at__isnull=False, published_at__lte=now)
    events = []
    for r in reviews:
        assert r.published_at is not None
        stars = _("Quality %(q)d/5, communication %(c)d/5, deadlines %(d)d/5") % {
            "q": r.quality,
            "c": r.communication,
            "d": r.deadlines,
        }
        events.append(
            _event(
                r.published_at,
                "review",
                _("Review of %(name)s") % {"name": names.get(r.subject_id, "")},
                detail=f"{stars}. {Truncator(r.text).chars(EXCERPT_LENGTH)}".rstrip(" ."),
                actor=names.get(r.author_id, ""),
            )
        )
    return events


def _payment_events(contract: Contract) -> list[Event]:
    transfers = Transfer.objects.filter(
        reference=contract.escrow_reference, phase__in=[Phase.POSTED, Phase.POST_PENDING]
    ).only("amount", "currency", "code", "created_at")
    events = []
    for t in transfers:
        title = _PAYMENT_TITLES.get(t.code)  # type: ignore[call-overload]
        events.append(
            _event(
                t.created_at,
                "payment",
                title() if title else t.get_code_display(),
                sub_order=_PAYMENT_RANK.get(t.code, 9),  # type: ignore[call-overload]
                **_money(t.amount, t.currency),
            )
        )
    return events


def timeline(contract: Contract, *, now: dt.datetime | None = None) -> list[Event]:
    """Everything that happened on ``contract``, oldest first (see the module docstring).

    Takes ``contract`` as loaded by ``selectors.contract_of`` (parties' profiles joined); the caller has
    already checked the reader is a party. Runs a fixed number of queries.
    """
    now = now or timezone.now()
    names = _names(contract)
    milestones = list(Milestone.objects.filter(contract=contract))
    events = [
        _event(
            contract.created_at,
            "created",
            _("Contract started from the award"),
            detail=_("%(buyer)s awarded the job to %(freelancer)s.")
            % {"buyer": names[contract.buyer_id], "freelancer": names[contract.freelancer_id]},
            actor=names[contract.buyer_id],
            **_money(contract.price, contract.currency),
        )
    ]
    events += _milestone_events(contract, milestones, names)
    events += _work_events(contract, names)
    events += _report_events(contract, names)
    events += _message_events(contract, names)
    events += _vault_events(contract, names)
    events += _review_events(contract, names, now)
    events += _payment_events(contract)
    events.sort(key=lambda e: (e.at, e.order))
    return events
