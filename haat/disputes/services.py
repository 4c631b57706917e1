"""Every write to disputes: opening one, statements, the two sides' offers, escalation to an arbiter, the
arbiter's decision, withdrawal, and the task that escalates disputes nobody settled in time.

A dispute moves through one state machine, ``TRANSITIONS`` ((status now, action) → status after)::

    (a funded milestone) ──open (either side)──▶ negotiation     the contract becomes ``disputed``: escrow frozen
    negotiation ──accept an offer (other side)─▶ settled         escrow split as offered, no arbitration fee
        ├──escalate (either side, or the task after HAAT_DISPUTE_NEGOTIATION_DAYS)──▶ arbitration
        └──withdraw (the side that opened)─────▶ withdrawn       the contract is active again, nothing moved
    arbitration ──accept an offer (other side)─▶ settled         the sides may still agree until the decision
        ├──decide (an arbiter who is not a party, with a reason)──▶ decided    escrow split as decided
        └──withdraw (the side that opened)─────▶ withdrawn
    statements and offers: either side while the dispute is open (the assigned arbiter may write too)

Money: a settlement or decision gives the freelancer ``freelancer_amount`` (0 … the amount in dispute, to the
minor unit) and the buyer the rest, in **one** ledger batch (``haat.ledger.operations.split_escrow``): the
freelancer fee (the contract's locked rate) applies only to what the freelancer is given; an arbiter's
decision may also carry the arbitration fee (``HAAT_ARBITRATION_FEE_BPS``, default 0), borne by each side on
its own share. Transfer ids derive from the dispute, so a retried call never pays twice.

Reputation: when an arbiter decides and one side gets less than half of the amount in dispute, that side
loses ``HAAT_DISPUTE_LOST_PENALTY`` ranking points (one ``RankingEvent``, keyed by the dispute). A settlement
by agreement counts against nobody.

Locks: the contract row first, then the milestone, then the dispute (the order of every contract write), so a
dispute and an acceptance of the same milestone cannot both win. Illegal moves raise ``DisputeStateError``
(the API answers 409); other refusals ``ValidationError`` keyed by field; a dispute or contract the user is
not a party to ``DoesNotExist``; staff checks ``PermissionDenied``. Every step e-mails both sides after the
transaction commits; staff actions are written to the audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass
from functools import partial
from typing import TypeGuard

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.contracts import services as contract_services
from haat.contracts.models import Contract, Milestone
from haat.disputes.models import (
    OPEN_DISPUTE_STATUSES,
    Dispute,
    DisputeEvent,
    DisputeOffer,
    DisputeReason,
    DisputeStatus,
    EventKind,
    OfferStatus,
)
from haat.ledger import operations
from haat.ledger.models import MAX_AMOUNT
from haat.ledger.services import retry_on_conflict
from haat.payments.fees import percent_of
from haat.staff import audit
from haat.staff.roles import Role, has_role

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 10_000
MIN_DECISION_REASON_LENGTH = 20


class DisputeStateError(ValidationError):
    """The dispute is not in a state that allows this (the API answers 409 Conflict)."""


class Action(enum.StrEnum):
    ESCALATE = "escalate"
    SETTLE = "settle"
    DECIDE = "decide"
    WITHDRAW = "withdraw"


_D = DisputeStatus

# The whole state machine. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, Action], str] = {
    (_D.NEGOTIATION, Action.ESCALATE): _D.ARBITRATION,
    (_D.NEGOTIATION, Action.SETTLE): _D.SETTLED,
    (_D.NEGOTIATION, Action.WITHDRAW): _D.WITHDRAWN,
    (_D.ARBITRATION, Action.SETTLE): _D.SETTLED,
    (_D.ARBITRATION, Action.DECIDE): _D.DECIDED,
    (_D.ARBITRATION, Action.WITHDRAW): _D.WITHDRAWN,
}


def _move(dispute: Dispute, action: Action) -> None:
    target = TRANSITIONS.get((dispute.status, action))
    if target is None:
        if dispute.is_open:
            message = _("This is not possible now: the dispute is “%(status)s”.")
        else:
            message = _("This dispute is closed (“%(status)s”).")
        raise DisputeStateError({"status": message % {"status": dispute.get_status_display()}})
    dispute.status = target


# --- Figures ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """How the amount in dispute is paid out, in minor units: the parts always add up to ``amount``."""

    amount: int
    freelancer_amount: int
    freelancer_fee: int
    arbitration_fee: int
    freelancer_receives: int
    buyer_refund: int

    @property
    def buyer_share(self) -> int:
        return self.amount - self.freelancer_amount


def arbitration_fee_bps() -> int:
    bps = int(settings.HAAT_ARBITRATION_FEE_BPS)
    if not 0 <= bps <= 2000:
        raise ImproperlyConfigured("HAAT_ARBITRATION_FEE_BPS must be between 0 and 2000 (20 %).")
    return bps


def split_figures(dispute: Dispute, contract: Contract, freelancer_amount: int, *, arbitrated: bool) -> Split:
    """The payout of giving ``freelancer_amount`` to the freelancer: the locked freelancer fee on that share
    only; with ``arbitrated``, the arbitration fee on each side's share (rounded half-even, each side's fee
    never more than what is left of its share)."""
    amount = dispute.amount
    freelancer_fee = percent_of(freelancer_amount, contract.freelancer_fee_bps)
    bps = arbitration_fee_bps() if arbitrated else 0
    fee_on_freelancer = min(percent_of(freelancer_amount, bps), freelancer_amount - freelancer_fee)
    fee_on_buyer = percent_of(amount - freelancer_amount, bps)
    return Split(
        amount=amount,
        freelancer_amount=freelancer_amount,
        freelancer_fee=freelancer_fee,
        arbitration_fee=fee_on_freelancer + fee_on_buyer,
        freelancer_receives=freelancer_amount - freelancer_fee - fee_on_freelancer,
        buyer_refund=amount - freelancer_amount - fee_on_buyer,
    )


def _valid_id(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_AMOUNT


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def freelancer_amount_of(dispute: Dispute, *, amount: object = None, percent: object = None) -> int:
    """The freelancer's share from exactly one of ``amount`` (minor units, 0 … the amount in dispute) or
    ``percent`` (0 … 100 of it, rounded half-even to the minor unit). ``ValidationError`` otherwise."""
    if (amount is None) == (percent is None):
        raise ValidationError(
            {"freelancer_amount": _("Give the freelancer's share either as an amount or as a percentage.")}
        )
    if percent is not None:
        if not _whole(percent) or not 0 <= percent <= 100:  # type: ignore[operator]
            raise ValidationError({"freelancer_percent": _("Give a whole percentage from 0 to 100.")})
        assert isinstance(percent, int)
        return percent_of(dispute.amount, percent * 100)
    if not _whole(amount) or not 0 <= amount <= dispute.amount:  # type: ignore[operator]
        raise ValidationError(
            {"freelancer_amount": _("The freelancer's share must be between zero and the amount in dispute.")}
        )
    assert isinstance(amount, int)
    return amount


def _text(value: object, field: str, *, required: bool, minimum: int = 0) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": MAX_TEXT_LENGTH}})
    if minimum and len(text) < minimum:
        raise ValidationError(
            {field: _("Explain in at least %(n)d characters: both sides will read it.") % {"n": minimum}}
        )
    return text


# --- Locking ------------------------------------------------------------------------------------------------


def _party_dispute_ids(user: User, dispute_id: object) -> tuple[int, int, int]:
    """(dispute, contract, milestone) ids if ``user`` is a party; ``Dispute.DoesNotExist`` otherwise."""
    if not _valid_id(dispute_id):
        raise Dispute.DoesNotExist
    row = (
        Dispute.objects.filter(pk=dispute_id)
        .filter(Q(contract__buyer=user) | Q(contract__freelancer=user))
        .values_list("pk", "contract_id", "milestone_id")
        .first()
    )
    if row is None:
        raise Dispute.DoesNotExist
    return row


def _lock(dispute_id: int, contract_id: int, milestone_id: int) -> tuple[Dispute, Contract, Milestone]:
    contract, milestone = contract_services.lock_for_dispute(contract_id, milestone_id)
    dispute = Dispute.objects.select_for_update().get(pk=dispute_id)
    dispute.contract = contract
    dispute.milestone = milestone
    return dispute, contract, milestone


def _lock_as_party(user: User, dispute_id: object) -> tuple[Dispute, Contract, Milestone]:
    return _lock(*_party_dispute_ids(user, dispute_id))


def _event(dispute: Dispute, kind: EventKind, actor: User | None, text: str = "", **extra: object) -> None:
    DisputeEvent.objects.create(dispute=dispute, kind=kind, actor=actor, text=text, **extra)


def _lapse_offers(dispute: Dispute, *, except_offer: DisputeOffer | None = None) -> None:
    offers = DisputeOffer.objects.filter(dispute=dispute, status=OfferStatus.OPEN)
    if except_offer is not None:
        offers = offers.exclude(pk=except_offer.pk)
    offers.update(status=OfferStatus.LAPSED, answered_at=timezone.now())


# --- The parties ---------------------------------------------------------------------------------------------


@retry_on_conflict()
def open_dispute(*, user: User, milestone_id: object, reason: object, statement: object) -> Dispute:
    """Either side opens a dispute on a funded milestone (funded, delivered or changes requested) of an
    active contract, with a reason from ``DisputeReason`` and a statement. The contract becomes ``disputed``:
    its escrow is frozen until the dispute ends. The two sides have ``HAAT_DISPUTE_NEGOTIATION_DAYS`` to agree
    on a split, then an arbiter decides. Raises ``Milestone.DoesNotExist`` (not a party), ``ValidationError``
    (reason, statement) or ``DisputeStateError`` (not disputable now, or a dispute is already open)."""
    if reason not in DisputeReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    text = _text(statement, "statement", required=True)
    if not _valid_id(milestone_id):
        raise Milestone.DoesNotExist
    contract_id = contract_services._party_contract_id(user, milestone_id=milestone_id)
    with transaction.atomic():
        contract, milestone = contract_services.lock_for_dispute(contract_id, milestone_id)
        if Dispute.objects.filter(contract=contract, status__in=OPEN_DISPUTE_STATUSES).exists():
            raise DisputeStateError({"milestone": _("A dispute on this contract is already open.")})
        try:
            contract_services.freeze_for_dispute(contract, milestone)
        except contract_services.MilestoneStateError as exc:
            raise DisputeStateError(exc.message_dict) from exc
        now = timezone.now()
        dispute = Dispute.objects.create(
            contract=contract,
            milestone=milestone,
            opened_by=user,
            reason=reason,
            statement=text,
            amount=milestone.amount,
            currency=contract.currency,
            negotiation_ends_at=now + dt.timedelta(days=settings.HAAT_DISPUTE_NEGOTIATION_DAYS),
        )
        _event(dispute, EventKind.OPENED, user, text)
        _notify(dispute.pk, "opened")
        return dispute


@retry_on_conflict()
def add_statement(*, user: User, dispute_id: object, text: object) -> DisputeEvent:
    """A party (or the assigned arbiter) adds a statement to an open dispute: evidence, an answer, a question."""
    body = _text(text, "text", required=True)
    with transaction.atomic():
        if _valid_id(dispute_id) and _is_assigned_arbiter(user, dispute_id):
            dispute = Dispute.objects.select_for_update().get(pk=dispute_id)
        else:
            dispute, _contract, _milestone = _lock_as_party(user, dispute_id)
        if not dispute.is_open:
            raise DisputeStateError({"status": _("This dispute is closed: nothing can be added.")})
        event = DisputeEvent.objects.create(dispute=dispute, kind=EventKind.STATEMENT, actor=user, text=body)
        _notify(dispute.pk, "statement")
        return event


@retry_on_conflict()
def make_offer(
    *, user: User, dispute_id: object, amount: object = None, percent: object = None, note: object = ""
) -> DisputeOffer:
    """A party proposes a split: the freelancer's share as ``amount`` (minor units) or ``percent``, the rest
    back to the buyer. It replaces the party's own earlier open offer; the other side accepts or rejects it."""
    text = _text(note, "note", required=False)
    with transaction.atomic():
        dispute, _contract, _milestone = _lock_as_party(user, dispute_id)
        if not dispute.is_open:
            raise DisputeStateError({"status": _("This dispute is closed: offers are no longer possible.")})
        share = freelancer_amount_of(dispute, amount=amount, percent=percent)
        DisputeOffer.objects.filter(dispute=dispute, made_by=user, status=OfferStatus.OPEN).update(
            status=OfferStatus.SUPERSEDED, answered_at=timezone.now()
        )
        offer = DisputeOffer.objects.create(dispute=dispute, made_by=user, freelancer_amount=share, note=text)
        _event(dispute, EventKind.OFFER, user, text, offer=offer)
        _notify(dispute.pk, "offer")
        return offer


def _locked_offer(user: User, offer_id: object) -> tuple[Dispute, Contract, Milestone, DisputeOffer]:
    if not _valid_id(offer_id):
        raise DisputeOffer.DoesNotExist
    dispute_id = (
        DisputeOffer.objects.filter(pk=offer_id)
        .filter(Q(dispute__contract__buyer=user) | Q(dispute__contract__freelancer=user))
        .values_list("dispute_id", flat=True)
        .first()
    )
    if dispute_id is None:
        raise DisputeOffer.DoesNotExist
    dispute, contract, milestone = _lock_as_party(user, dispute_id)
    offer = DisputeOffer.objects.select_for_update().get(pk=offer_id)
    if offer.made_by_id == user.pk:
        raise PermissionDenied(_("The other side must answer your offer."))
    if offer.status != OfferStatus.OPEN:
        raise DisputeStateError(
            {
                "offer": _("This offer is no longer open (“%(status)s”).")
                % {"status": offer.get_status_display()}
            }
        )
    return dispute, contract, milestone, offer


@retry_on_conflict()
def accept_offer(*, user: User, offer_id: object) -> Dispute:
    """The other side accepts an open offer: the dispute is settled and the escrow split at once, as offered
    (freelancer fee on the freelancer's share only; no arbitration fee). Once only: a second accept finds the
    offer accepted and is refused (the API's Idempotency-Key replays the first answer)."""
    with transaction.atomic():
        dispute, contract, milestone, offer = _locked_offer(user, offer_id)
        _move(dispute, Action.SETTLE)
        offer.status = OfferStatus.ACCEPTED
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "answered_at"])
        _lapse_offers(dispute, except_offer=offer)
        _resolve(dispute, contract, milestone, offer.freelancer_amount, arbitrated=False)
        _event(dispute, EventKind.OFFER_ACCEPTED, user, offer=offer)
        _notify(dispute.pk, "settled")
        return dispute


@retry_on_conflict()
def reject_offer(*, user: User, offer_id: object, note: object = "") -> DisputeOffer:
    """The other side rejects an open offer (optionally saying why); the dispute goes on."""
    text = _text(note, "note", required=False)
    with transaction.atomic():
        dispute, _contract, _milestone, offer = _locked_offer(user, offer_id)
        offer.status = OfferStatus.REJECTED
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "answered_at"])
        _event(dispute, EventKind.OFFER_REJECTED, user, text, offer=offer)
        _notify(dispute.pk, "rejected")
        return offer


@retry_on_conflict()
def escalate(*, user: User, dispute_id: object) -> Dispute:
    """Either side says they cannot agree: the dispute goes to an arbiter now, before the negotiation time
    is up. Open offers stay open (the sides may still settle until the arbiter decides)."""
    with transaction.atomic():
        dispute, _contract, _milestone = _lock_as_party(user, dispute_id)
        _move(dispute, Action.ESCALATE)
        dispute.escalated_at = timezone.now()
        dispute.save(update_fields=["status", "escalated_at"])
        _event(dispute, EventKind.ESCALATED, user)
        _notify(dispute.pk, "escalated")
        return dispute


@retry_on_conflict()
def withdraw(*, user: User, dispute_id: object) -> Dispute:
    """The side that opened the dispute withdraws it before a decision: the contract is active again with its
    milestones as they were, and nothing moved."""
    with transaction.atomic():
        dispute, contract, _milestone = _lock_as_party(user, dispute_id)
        if dispute.opened_by_id != user.pk:
            raise PermissionDenied(_("Only the side that opened the dispute can withdraw it."))
        _move(dispute, Action.WITHDRAW)
        dispute.resolved_at = timezone.now()
        dispute.save(update_fields=["status", "resolved_at"])
        _lapse_offers(dispute)
        contract_services.unfreeze_after_dispute(contract)
        _event(dispute, EventKind.WITHDRAWN, user)
        _notify(dispute.pk, "withdrawn")
        return dispute


# --- The arbiter ---------------------------------------------------------------------------------------------


def can_arbitrate(user: User, dispute: Dispute) -> bool:
    """An arbiter who is not a party to the dispute's contract."""
    return has_role(user, Role.ARBITER) and user.pk not in (
        dispute.contract.buyer_id,
        dispute.contract.freelancer_id,
    )


def _is_assigned_arbiter(user: User, dispute_id: int) -> bool:
    return Dispute.objects.filter(pk=dispute_id, arbiter=user).exists() and has_role(user, Role.ARBITER)


def _lock_as_arbiter(staff: User, dispute_id: object) -> tuple[Dispute, Contract, Milestone]:
    if not has_role(staff, Role.ARBITER):
        raise PermissionDenied(_("Only arbiters may do this."))
    if not _valid_id(dispute_id):
        raise Dispute.DoesNotExist
    row = Dispute.objects.filter(pk=dispute_id).values_list("pk", "contract_id", "milestone_id").first()
    if row is None:
        raise Dispute.DoesNotExist
    dispute, contract, milestone = _lock(*row)
    if not can_arbitrate(staff, dispute):
        raise PermissionDenied(_("You are a party to this contract: another arbiter must handle the case."))
    return dispute, contract, milestone


@retry_on_conflict()
def take_case(*, staff: User, dispute_id: object) -> Dispute:
    """An arbiter takes a dispute waiting for arbitration (or already theirs). Someone else's case is refused:
    an admin can reassign it in the admin, which the audit log shows."""
    with transaction.atomic():
        dispute, _contract, _milestone = _lock_as_arbiter(staff, dispute_id)
        if dispute.status != DisputeStatus.ARBITRATION:
            raise DisputeStateError({"status": _("Only a dispute waiting for an arbiter can be taken.")})
        if dispute.arbiter_id not in (None, staff.pk):
            raise DisputeStateError({"arbiter": _("Another arbiter has this case.")})
        if dispute.arbiter_id is None:
            dispute.arbiter = staff
            dispute.save(update_fields=["arbiter"])
            _event(dispute, EventKind.ASSIGNED, staff)
            audit.record(actor=staff, action="dispute.take", target_type="dispute", target_id=dispute.pk)
            _notify(dispute.pk, "assigned")
        return dispute


@retry_on_conflict()
def decide(
    *, staff: User, dispute_id: object, amount: object = None, percent: object = None, reason: object
) -> Dispute:
    """The arbiter decides the split (the freelancer's share as ``amount`` or ``percent``) with a written reason
    both sides see. The escrow is split in one ledger batch with the arbitration fee, if any; the side given
    less than half loses ranking points. An unassigned case is taken by the deciding arbiter.

    Raises ``PermissionDenied`` (not an arbiter, a party to the contract, or someone else's case),
    ``ValidationError`` (share, reason) or ``DisputeStateError`` (not waiting for arbitration)."""
    text = _text(reason, "reason", required=True, minimum=MIN_DECISION_REASON_LENGTH)
    with transaction.atomic():
        dispute, contract, milestone = _lock_as_arbiter(staff, dispute_id)
        if dispute.arbiter_id not in (None, staff.pk):
            raise PermissionDenied(_("Another arbiter has this case."))
        share = freelancer_amount_of(dispute, amount=amount, percent=percent)
        _move(dispute, Action.DECIDE)
        dispute.arbiter = staff
        dispute.decision_reason = text
        _lapse_offers(dispute)
        split = _resolve(dispute, contract, milestone, share, arbitrated=True)
        _event(dispute, EventKind.DECIDED, staff, text)
        _penalise_loser(dispute, contract)
        audit.record(
            actor=staff,
            action="dispute.decide",
            target_type="dispute",
            target_id=dispute.pk,
            reason=text,
            freelancer_amount=split.freelancer_amount,
            buyer_share=split.buyer_share,
            arbitration_fee=split.arbitration_fee,
            currency=dispute.currency,
        )
        _notify(dispute.pk, "decided")
        return dispute


def _resolve(
    dispute: Dispute, contract: Contract, milestone: Milestone, share: int, *, arbitrated: bool
) -> Split:
    """Split the escrow and close the dispute; the caller holds the locks and has moved the state."""
    split = split_figures(dispute, contract, share, arbitrated=arbitrated)
    operations.split_escrow(
        key=f"dispute:{dispute.pk}",
        escrow_reference=contract.escrow_reference,
        freelancer=contract.freelancer,
        buyer=contract.buyer,
        freelancer_receives=split.freelancer_receives,
        freelancer_fee=split.freelancer_fee,
        arbitration_fee=split.arbitration_fee,
        buyer_refund=split.buyer_refund,
        currency=contract.currency,
    )
    dispute.freelancer_amount = split.freelancer_amount
    dispute.freelancer_fee = split.freelancer_fee
    dispute.arbitration_fee = split.arbitration_fee
    dispute.freelancer_receives = split.freelancer_receives
    dispute.buyer_refund = split.buyer_refund
    dispute.resolved_at = timezone.now()
    dispute.save()
    contract_services.settle_disputed_milestone(contract, milestone, split.freelancer_amount)
    return split


def decided_against(dispute: Dispute) -> int | None:
    """The user id an arbiter's decision went against (given less than half), or ``None``."""
    if dispute.status != DisputeStatus.DECIDED or dispute.freelancer_amount is None:
        return None
    if dispute.freelancer_amount * 2 < dispute.amount:
        return dispute.contract.freelancer_id
    if dispute.freelancer_amount * 2 > dispute.amount:
        return dispute.contract.buyer_id
    return None


def _penalise_loser(dispute: Dispute, contract: Contract) -> None:
    from haat.reputation.services import record_event

    loser_id = decided_against(dispute)
    if loser_id is None:
        return
    loser = contract.freelancer if loser_id == contract.freelancer_id else contract.buyer
    record_event(
        user=loser,
        points=-int(settings.HAAT_DISPUTE_LOST_PENALTY),
        reason=f"Dispute {dispute.pk} on contract {contract.pk} decided against this side",
        key=f"dispute-lost:{dispute.pk}",
        contract=contract,
    )


# --- Background ----------------------------------------------------------------------------------------------


def escalate_due(*, now: dt.datetime | None = None, batch_size: int = 200) -> int:
    """Send every dispute whose negotiation time is over to an arbiter (both sides e-mailed). Idempotent: an
    escalated dispute is no longer in negotiation. Returns how many were escalated."""
    now = now or timezone.now()
    due = list(
        Dispute.objects.filter(status=DisputeStatus.NEGOTIATION, negotiation_ends_at__lte=now)
        .order_by("pk")
        .values_list("pk", "contract_id", "milestone_id")[:batch_size]
    )
    return sum(_escalate_one(*row, now=now) for row in due)


@retry_on_conflict()
def _escalate_one(dispute_id: int, contract_id: int, milestone_id: int, *, now: dt.datetime) -> int:
    with transaction.atomic():
        dispute, _contract, _milestone = _lock(dispute_id, contract_id, milestone_id)
        if dispute.status != DisputeStatus.NEGOTIATION or dispute.negotiation_ends_at > now:
            return 0  # settled, withdrawn or escalated meanwhile
        _move(dispute, Action.ESCALATE)
        dispute.escalated_at = now
        dispute.save(update_fields=["status", "escalated_at"])
        _event(dispute, EventKind.ESCALATED, None, "")
        _notify(dispute.pk, "escalated")
        return 1


def _notify(dispute_id: int, what: str) -> None:
    from haat.disputes.emails import mail_both

    transaction.on_commit(partial(mail_both, dispute_id, what), robust=True)
