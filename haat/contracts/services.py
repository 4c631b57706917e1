"""Every write to contracts: creating one from an accepted award, its milestones (split, fund, deliver, request
changes, accept — in full or, when both sides agree, in part — cancel and refund) and the background reminders
and auto-acceptance.

A milestone moves through one state machine, ``TRANSITIONS`` ((status now, action) → status after)::

    awaiting_funding ──fund (buyer)──────────────▶ funded            escrow ← price, platform ← buyer fee
        ├──request funding (freelancer)─────────▶ awaiting_funding  (e-mails the buyer)
        └──cancel (buyer)───────────────────────▶ cancelled
    funded ──deliver (freelancer)───────────────▶ delivered
    changes_requested ──deliver (freelancer)────▶ delivered
    delivered ──request changes (buyer)─────────▶ changes_requested (comment required; a ChangeRequest row)
        ├──accept (buyer, 100 %)────────────────▶ accepted          escrow → freelancer clearing − fee, fee
        ├──accept (buyer, 1–99 %)───────────────▶ delivered         a *proposal*: ``accepted_percent`` is set
        ├──agree partial (freelancer)───────────▶ accepted          that share released, the rest refunded
        └──auto-accept (task, buyer silent)─────▶ accepted          after HAAT_AUTO_ACCEPT_DAYS, 100 %
    funded | delivered | changes_requested
        ├──ask to cancel (either side)──────────▶ (unchanged)       a CancellationRequest row
        └──agree to cancel (the other side)─────▶ refunded          escrow → the buyer's wallet

Partial acceptance: while the milestone is ``delivered``, ``accepted_percent`` holds the buyer's proposal
(``None`` = no proposal). The freelancer agrees with ``agree_partial``; a new proposal, a full acceptance or a
change request replaces or clears it. Once ``accepted``, ``accepted_percent`` is what was released (100 for a
full acceptance) and ``released_amount`` the amount. Auto-acceptance leaves a milestone with a pending
proposal alone: the buyer has answered, it is the freelancer's turn (or a dispute's).

The contract: ``awaiting_funding`` ──first funding──▶ ``active`` (``started_at``) ──every milestone accepted,
cancelled or refunded──▶ ``completed`` (at least one accepted) or ``cancelled`` (none), with ``ended_at``.
Nothing moves on a ``disputed``, ``completed`` or ``cancelled`` contract. The buyer fee paid at funding is
the platform's once the escrow is funded: refunds return the escrowed price only.

Fees are the contract's locked rates (``buyer_fee_bps``, ``freelancer_fee_bps``, fixed at the award), never the
current schedule. Money moves only through ``haat.ledger.operations`` with keys derived from the milestone id
and the action, so a retried step never pays twice.

Locks: every public write locks the contract row first, then the milestone rows in ascending id order. An
illegal move raises ``MilestoneStateError`` (a ``ValidationError``; the API answers 409); other refusals raise
``ValidationError`` keyed by field; someone else's contract or milestone raises ``DoesNotExist``. E-mails
leave after the transaction commits, each in its recipient's language and time zone.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haat.accounts.models import Profile, User
from haat.bids.models import Bid, BidStatus
from haat.contracts.models import (
    CancellationRequest,
    ChangeRequest,
    Contract,
    ContractStatus,
    Delivery,
    Milestone,
    MilestoneStatus,
)
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.ledger import services as ledger_services
from haat.ledger.models import MAX_AMOUNT, AccountKind
from haat.ledger.services import retry_on_conflict
from haat.notifications.email import send_to as _send
from haat.payments import fees
from haat.payments.fees import percent_of
from haat.web.money import format_money

logger = logging.getLogger(__name__)

MAX_MILESTONES = 20
MAX_TITLE_LENGTH = 200
MAX_COMMENT_LENGTH = 10_000
# Days before auto-acceptance when the buyer is warned.
AUTO_ACCEPT_WARNING_DAYS = 2
# Days after the contract starts waiting when the buyer is reminded of an unfunded milestone.
FUNDING_REMINDER_DAYS = (1, 3)


class MilestoneStateError(ValidationError):
    """The milestone (or its contract) is not in a state that allows the action (the API answers 409)."""


class Action(enum.StrEnum):
    FUND = "fund"
    REQUEST_FUNDING = "request_funding"
    CANCEL = "cancel"
    DELIVER = "deliver"
    REQUEST_CHANGES = "request_changes"
    ACCEPT = "accept"
    PROPOSE_PARTIAL = "propose_partial"
    AGREE_PARTIAL = "agree_partial"
    AUTO_ACCEPT = "auto_accept"
    ASK_CANCELLATION = "ask_cancellation"
    AGREE_CANCELLATION = "agree_cancellation"


_S = MilestoneStatus
_WORK = (_S.FUNDED, _S.DELIVERED, _S.CHANGES_REQUESTED)

# The whole state machine of a milestone. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, Action], str] = {
    (_S.AWAITING_FUNDING, Action.FUND): _S.FUNDED,
    (_S.AWAITING_FUNDING, Action.REQUEST_FUNDING): _S.AWAITING_FUNDING,
    (_S.AWAITING_FUNDING, Action.CANCEL): _S.CANCELLED,
    (_S.FUNDED, Action.DELIVER): _S.DELIVERED,
    (_S.CHANGES_REQUESTED, Action.DELIVER): _S.DELIVERED,
    (_S.DELIVERED, Action.REQUEST_CHANGES): _S.CHANGES_REQUESTED,
    (_S.DELIVERED, Action.ACCEPT): _S.ACCEPTED,
    (_S.DELIVERED, Action.PROPOSE_PARTIAL): _S.DELIVERED,
    (_S.DELIVERED, Action.AGREE_PARTIAL): _S.ACCEPTED,
    (_S.DELIVERED, Action.AUTO_ACCEPT): _S.ACCEPTED,
    **{(status, Action.ASK_CANCELLATION): status for status in _WORK},
    **{(status, Action.AGREE_CANCELLATION): _S.REFUNDED for status in _WORK},
}

# Who may take each action: "buyer", "freelancer", "either" or "system".
ACTORS: dict[Action, str] = {
    Action.FUND: "buyer",
    Action.REQUEST_FUNDING: "freelancer",
    Action.CANCEL: "buyer",
    Action.DELIVER: "freelancer",
    Action.REQUEST_CHANGES: "buyer",
    Action.ACCEPT: "buyer",
    Action.PROPOSE_PARTIAL: "buyer",
    Action.AGREE_PARTIAL: "freelancer",
    Action.AUTO_ACCEPT: "system",
    Action.ASK_CANCELLATION: "either",
    Action.AGREE_CANCELLATION: "either",
}

FINISHED_MILESTONE_STATUSES = (_S.ACCEPTED, _S.CANCELLED, _S.REFUNDED)
OPEN_CONTRACT_STATUSES = (ContractStatus.AWAITING_FUNDING, ContractStatus.ACTIVE)


# --- Creating the contract ----------------------------------------------------------------------------------


@transaction.atomic
def create_from_award(bid: Bid) -> Contract:
    """Create the contract for an accepted award, with one milestone for the whole price, and return it.

    Price is the bid's amount in the job's currency, the deadline is the acceptance time (``responded_at``, else
    now) plus the bid's delivery days, and the state is ``awaiting_funding``. The fee schedule in force now is
    locked into ``buyer_fee_bps`` and ``freelancer_fee_bps`` (the small-contract rate when the price is below
    the schedule's threshold). The single milestone is due at the deadline; the buyer may split it before
    funding (``split_milestones``).

    Called by ``haat.bids.services.accept_award`` inside its transaction, with the job and its bids already
    locked (job first). Raises ``ValidationError`` when the bid is not accepted or the job already has a
    contract; the one-to-one columns on job and bid are the last line of defence.
    """
    if bid.status != BidStatus.ACCEPTED:
        raise ValidationError({"bid": _("Only an accepted award becomes a contract.")})
    if Contract.objects.filter(job_id=bid.job_id).exists() or Contract.objects.filter(bid_id=bid.pk).exists():
        raise ValidationError({"bid": _("This job already has a contract.")})
    job = bid.job
    rates = fees.breakdown(bid.amount, job.currency)
    deadline = (bid.responded_at or timezone.now()) + dt.timedelta(days=bid.delivery_days)
    contract = Contract.objects.create(
        job=job,
        bid=bid,
        buyer_id=job.buyer_id,
        freelancer_id=bid.freelancer_id,
        price=bid.amount,
        currency=job.currency,
        deadline=deadline,
        status=ContractStatus.AWAITING_FUNDING,
        buyer_fee_bps=rates.buyer_fee_bps,
        freelancer_fee_bps=rates.freelancer_fee_bps,
    )
    Milestone.objects.create(
        contract=contract, position=1, title=_default_title(job.title), amount=bid.amount, due_at=deadline
    )
    # The contract's own message thread, where the work is discussed (the evidence if a dispute comes).
    from haat.messaging.services import ensure_contract_thread

    ensure_contract_thread(contract_id=contract.pk)
    return contract


def _default_title(job_title: str) -> str:
    return (_("The whole work: %(job)s") % {"job": job_title})[:MAX_TITLE_LENGTH]


# --- Quotes (reads used by pages and the API before money moves) --------------------------------------------


@dataclass(frozen=True)
class FundingQuote:
    """What funding a milestone costs the buyer, at the contract's locked rates."""

    milestone: Milestone
    amount: int
    buyer_fee: int
    total: int
    currency: str
    available: int

    @property
    def enough(self) -> bool:
        return self.available >= self.total

    @property
    def shortfall(self) -> int:
        return max(0, self.total - self.available)


def funding_quote(milestone: Milestone, contract: Contract) -> FundingQuote:
    """Amount + buyer fee = total, and the buyer's available balance (nothing is created or held)."""
    fee = percent_of(milestone.amount, contract.buyer_fee_bps)
    account = ledger_selectors.find_account(
        AccountKind.WALLET, f"user:{contract.buyer_id}", contract.currency
    )
    available = ledger_selectors.balance(account).available if account is not None else 0
    return FundingQuote(
        milestone=milestone,
        amount=milestone.amount,
        buyer_fee=fee,
        total=milestone.amount + fee,
        currency=contract.currency,
        available=available,
    )


@dataclass(frozen=True)
class Release:
    """How an accepted share of a milestone is paid out."""

    percent: int
    released: int
    freelancer_fee: int
    freelancer_receives: int
    refunded: int


def release_figures(milestone: Milestone, contract: Contract, percent: int = 100) -> Release:
    """The figures of accepting ``percent`` of ``milestone`` at the contract's locked freelancer rate."""
    released = milestone.amount if percent == 100 else percent_of(milestone.amount, percent * 100)
    fee = percent_of(released, contract.freelancer_fee_bps)
    return Release(
        percent=percent,
        released=released,
        freelancer_fee=fee,
        freelancer_receives=released - fee,
        refunded=milestone.amount - released,
    )


# --- Locking and the rules ----------------------------------------------------------------------------------


def _valid_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_AMOUNT


def _party_contract_id(user: User, *, contract_id: int | None = None, milestone_id: int | None = None) -> int:
    """The contract id, if ``user`` is a party; ``DoesNotExist`` (of the asked-for model) otherwise."""
    if milestone_id is not None:
        if not _valid_id(milestone_id):
            raise Milestone.DoesNotExist
        found = (
            Milestone.objects.filter(pk=milestone_id)
            .filter(Q(contract__buyer=user) | Q(contract__freelancer=user))
            .values_list("contract_id", flat=True)
            .first()
        )
        if found is None:
            raise Milestone.DoesNotExist
        return found
    if contract_id is None or not _valid_id(contract_id):
        raise Contract.DoesNotExist
    if not Contract.objects.filter(pk=contract_id).filter(Q(buyer=user) | Q(freelancer=user)).exists():
        raise Contract.DoesNotExist
    return contract_id


def _lock(contract_id: int, milestone_ids: Sequence[int] | None = None) -> tuple[Contract, list[Milestone]]:
    """Lock the contract, then its milestones (all, or those listed) in ascending id order."""
    contract = Contract.objects.select_for_update().select_related("job").get(pk=contract_id)
    rows = Milestone.objects.select_for_update().filter(contract=contract)
    if milestone_ids is not None:
        rows = rows.filter(pk__in=milestone_ids)
    milestones = list(rows.order_by("pk"))
    for milestone in milestones:
        milestone.contract = contract
    return contract, milestones


def _lock_milestone(user: User, milestone_id: int) -> tuple[Contract, Milestone]:
    contract_id = _party_contract_id(user, milestone_id=milestone_id)
    contract, rows = _lock(contract_id, [milestone_id])
    if not rows:
        raise Milestone.DoesNotExist
    return contract, rows[0]


def _check_actor(user: User | None, contract: Contract, action: Action) -> None:
    who = ACTORS[action]
    if who == "system":
        return
    assert user is not None
    is_buyer, is_freelancer = user.pk == contract.buyer_id, user.pk == contract.freelancer_id
    if who == "buyer" and not is_buyer:
        raise PermissionDenied(_("Only the buyer may do this."))
    if who == "freelancer" and not is_freelancer:
        raise PermissionDenied(_("Only the freelancer may do this."))
    if who == "either" and not (is_buyer or is_freelancer):
        raise PermissionDenied(_("Only the buyer or the freelancer may do this."))


def _refusal(milestone: Milestone, contract: Contract, action: Action) -> str:
    """Why ``action`` is not possible now, for a person."""
    if contract.status not in OPEN_CONTRACT_STATUSES:
        if contract.status == ContractStatus.DISPUTED:
            return _("This contract is in dispute: an arbiter decides what happens to the milestones.")
        return _("This contract has ended (“%(status)s”).") % {"status": contract.get_status_display()}
    status = milestone.get_status_display()
    if action == Action.FUND and milestone.status != _S.AWAITING_FUNDING:
        return _("This milestone is already funded or closed (“%(status)s”).") % {"status": status}
    if action == Action.DELIVER:
        if milestone.status == _S.AWAITING_FUNDING:
            return _("This milestone is not funded yet: deliver once the buyer has funded it.")
        return _("You cannot deliver now: the milestone is “%(status)s”.") % {"status": status}
    if action in (
        Action.ACCEPT,
        Action.PROPOSE_PARTIAL,
        Action.REQUEST_CHANGES,
        Action.AGREE_PARTIAL,
    ) and milestone.status in (_S.FUNDED, _S.CHANGES_REQUESTED, _S.AWAITING_FUNDING):
        return _("Nothing has been delivered for review yet (the milestone is “%(status)s”).") % {
            "status": status
        }
    if action == Action.CANCEL and milestone.status in _WORK:
        return _(
            "This milestone is funded: it can be cancelled only if both of you agree (ask the other side to "
            "cancel), otherwise through a dispute."
        )
    return _("This is not possible now: the milestone is “%(status)s”.") % {"status": status}


def _move(milestone: Milestone, contract: Contract, action: Action, user: User | None) -> None:
    """Check who may act and the state; apply the move in memory or raise (nothing changed)."""
    _check_actor(user, contract, action)
    target = TRANSITIONS.get((milestone.status, action))
    if target is None or contract.status not in OPEN_CONTRACT_STATUSES:
        raise MilestoneStateError({"status": _refusal(milestone, contract, action)})
    milestone.status = target


def refusal(user: User, milestone: Milestone, action: Action) -> str | None:
    """Why ``user`` may not take ``action`` on ``milestone`` now, or ``None`` (for pages to hide buttons)."""
    probe = Milestone(pk=milestone.pk, status=milestone.status, contract_id=milestone.contract_id)
    try:
        _move(probe, milestone.contract, action, user)
    except (ValidationError, PermissionDenied) as exc:
        return " ".join(getattr(exc, "messages", [str(exc)]))
    return None


def _finish_contract_if_done(contract: Contract, milestones: Sequence[Milestone] | None = None) -> None:
    """Complete (or cancel) the contract once every milestone is accepted, cancelled or refunded."""
    statuses = [m.status for m in (milestones or Milestone.objects.filter(contract=contract))]
    if not statuses or any(status not in FINISHED_MILESTONE_STATUSES for status in statuses):
        return
    contract.status = ContractStatus.COMPLETED if _S.ACCEPTED in statuses else ContractStatus.CANCELLED
    contract.ended_at = timezone.now()
    contract.save(update_fields=["status", "ended_at"])


def _text(value: object, field: str, *, required: bool, missing: str = "") -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: missing or _("This field is required.")})
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError({field: _("At most %(n)d characters, please.") % {"n": MAX_COMMENT_LENGTH}})
    if "\0" in text:
        raise ValidationError({field: _("This text contains characters that are not allowed.")})
    return text


# --- Split ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestonePlan:
    """One milestone of a split: what the buyer typed."""

    title: object
    amount: object
    due_at: object


def _clean_plan(
    contract: Contract, plan: Sequence[MilestonePlan], now: dt.datetime
) -> list[tuple[str, int, dt.datetime]]:
    if not plan:
        raise ValidationError({"milestones": _("Give at least one milestone.")})
    if len(plan) > MAX_MILESTONES:
        raise ValidationError({"milestones": _("At most %(n)d milestones, please.") % {"n": MAX_MILESTONES}})
    errors: dict[str, str] = {}
    cleaned: list[tuple[str, int, dt.datetime]] = []
    for index, item in enumerate(plan):
        title = item.title.strip() if isinstance(item.title, str) else ""
        if not title:
            errors[f"milestones.{index}.title"] = _("Give each milestone a title.")
        elif len(title) > MAX_TITLE_LENGTH or not title.isprintable():
            errors[f"milestones.{index}.title"] = _("A title is one line of at most %(n)d characters.") % {
                "n": MAX_TITLE_LENGTH
            }
        amount = item.amount
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
            errors[f"milestones.{index}.amount"] = _("Each amount must be greater than zero.")
            amount = 0
        due = item.due_at
        if not isinstance(due, dt.datetime) or timezone.is_naive(due):
            errors[f"milestones.{index}.due_at"] = _("Give each milestone a due date and time.")
            due = now
        elif due <= now:
            errors[f"milestones.{index}.due_at"] = _("The due date must be in the future.")
        assert isinstance(amount, int) and isinstance(due, dt.datetime)
        cleaned.append((title, amount, due))
    if not errors and sum(amount for _t, amount, _d in cleaned) != contract.price:
        errors["milestones"] = _(
            "The milestones must add up exactly to the contract's price, %(price)s (they add up to %(sum)s)."
        ) % {
            "price": format_money(contract.price, contract.currency),
            "sum": format_money(sum(amount for _t, amount, _d in cleaned), contract.currency),
        }
    if errors:
        raise ValidationError(errors)
    return cleaned


@retry_on_conflict()
def split_milestones(*, user: User, contract_id: int, plan: Sequence[MilestonePlan]) -> list[Milestone]:
    """Replace the contract's milestones by ``plan`` while none is funded (the buyer only).

    Each entry has a title (one line), a positive amount in minor units and an aware due date in the future;
    the amounts add up exactly to the price. Raises ``Contract.DoesNotExist`` for other people's contracts,
    ``PermissionDenied`` for the freelancer, ``MilestoneStateError`` once a milestone is funded or the
    contract is not awaiting funding, ``ValidationError`` (keyed ``milestones`` or ``milestones.N.field``) for
    bad input; then nothing changes. The freelancer is e-mailed the new plan.
    """
    contract_id = _party_contract_id(user, contract_id=contract_id)
    with transaction.atomic():
        contract, milestones = _lock(contract_id)
        if user.pk != contract.buyer_id:
            raise PermissionDenied(_("Only the buyer may split the contract into milestones."))
        if contract.status != ContractStatus.AWAITING_FUNDING or any(
            m.status != _S.AWAITING_FUNDING for m in milestones
        ):
            raise MilestoneStateError(
                {"status": _("The milestones can be changed only while none of them is funded or closed.")}
            )
        cleaned = _clean_plan(contract, plan, timezone.now())
        for milestone in milestones:
            CancellationRequest.objects.filter(milestone=milestone).delete()
        Milestone.objects.filter(pk__in=[m.pk for m in milestones]).delete()
        created = [
            Milestone.objects.create(contract=contract, position=i, title=title, amount=amount, due_at=due)
            for i, (title, amount, due) in enumerate(cleaned, start=1)
        ]
        transaction.on_commit(partial(_mail_split, contract.pk), robust=True)
        return created


# --- Funding --------------------------------------------------------------------------------------------------


def _deposit_link() -> str:
    return _absolute(reverse("payments:deposit-new"))


def _not_enough(quote: FundingQuote) -> ValidationError:
    return ValidationError(
        {
            "balance": _(
                "Your wallet has %(available)s but funding this milestone costs %(total)s. Add at least "
                "%(short)s to your wallet: %(link)s"
            )
            % {
                "available": format_money(quote.available, quote.currency),
                "total": format_money(quote.total, quote.currency),
                "short": format_money(quote.shortfall, quote.currency),
                "link": _deposit_link(),
            }
        }
    )


@retry_on_conflict()
def fund_milestone(*, user: User, milestone_id: int) -> Milestone:
    """The buyer funds an awaiting milestone from the wallet: amount into escrow, the buyer fee (the contract's
    locked rate) to the platform, in one ledger step keyed ``milestone:{id}``.

    The first funding makes the contract ``active`` and sets ``started_at``; the freelancer is e-mailed.
    Raises ``Milestone.DoesNotExist`` (not a party), ``PermissionDenied`` (not the buyer),
    ``MilestoneStateError`` (not awaiting funding) or ``ValidationError`` keyed ``balance`` (the wallet is
    short; the message links to the deposit page); then nothing changes.
    """
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        _move(milestone, contract, Action.FUND, user)
        quote = funding_quote(milestone, contract)
        if not quote.enough:
            raise _not_enough(quote)
        try:
            operations.fund_escrow(
                key=f"milestone:{milestone.pk}",
                buyer=user,
                escrow_reference=contract.escrow_reference,
                price=quote.amount,
                buyer_fee=quote.buyer_fee,
                currency=contract.currency,
            )
        except ledger_services.InsufficientFunds:
            raise _not_enough(funding_quote(milestone, contract)) from None
        now = timezone.now()
        milestone.funded_at = now
        milestone.save(update_fields=["status", "funded_at"])
        if contract.status == ContractStatus.AWAITING_FUNDING:
            contract.status = ContractStatus.ACTIVE
            contract.started_at = now
            contract.save(update_fields=["status", "started_at"])
        transaction.on_commit(partial(_mail_funded, milestone.pk, quote.total), robust=True)
        return milestone


@retry_on_conflict()
def request_funding(*, user: User, milestone_id: int) -> Milestone:
    """The freelancer asks the buyer to fund an awaiting milestone (records ``funding_requested_at``; the
    buyer is e-mailed). Raises like ``fund_milestone``."""
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        _move(milestone, contract, Action.REQUEST_FUNDING, user)
        milestone.funding_requested_at = timezone.now()
        milestone.save(update_fields=["funding_requested_at"])
        transaction.on_commit(partial(_mail_funding_requested, milestone.pk), robust=True)
        return milestone


# --- Delivery and review --------------------------------------------------------------------------------------


@retry_on_conflict()
def deliver(*, user: User, milestone_id: int, upload: UploadedFile, note: object = "") -> Delivery:
    """The freelancer delivers a funded milestone (or one with changes requested): the zip is checked and
    stored by ``haat.contracts.deliveries.store_delivery``, the milestone becomes ``delivered`` with
    ``delivered_at`` (the auto-acceptance clock starts again) and the buyer is e-mailed.

    Raises ``Milestone.DoesNotExist``, ``PermissionDenied`` (not the freelancer), ``MilestoneStateError`` or the
    ``ValidationError`` of a refused file; then nothing is stored.
    """
    from haat.contracts import deliveries  # the delivery part may import this module

    text = _text(note, "note", required=False)
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        _move(milestone, contract, Action.DELIVER, user)
        delivery = deliveries.store_delivery(milestone=milestone, upload=upload, note=text)
        milestone.delivered_at = timezone.now()
        milestone.accepted_percent = None
        milestone.auto_accept_warned_at = None
        milestone.save(update_fields=["status", "delivered_at", "accepted_percent", "auto_accept_warned_at"])
        transaction.on_commit(partial(_mail_delivered, milestone.pk), robust=True)
        return delivery


@retry_on_conflict()
def request_changes(*, user: User, milestone_id: int, comment: object) -> ChangeRequest:
    """The buyer asks for changes to the latest delivery (a comment is required): the milestone becomes
    ``changes_requested`` (a pending partial proposal is withdrawn) and the freelancer is e-mailed."""
    text = _text(comment, "comment", required=True, missing=_("Say what should change."))
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        _move(milestone, contract, Action.REQUEST_CHANGES, user)
        latest = Delivery.objects.filter(milestone=milestone).order_by("-version").first()
        if latest is None:  # cannot happen through the services: a delivered milestone has a delivery
            raise MilestoneStateError({"status": _("Nothing has been delivered for review yet.")})
        milestone.accepted_percent = None
        milestone.save(update_fields=["status", "accepted_percent"])
        change = ChangeRequest.objects.create(milestone=milestone, delivery=latest, comment=text)
        transaction.on_commit(partial(_mail_changes_requested, change.pk), robust=True)
        return change


def _release(contract: Contract, milestone: Milestone, percent: int) -> Release:
    """Pay out ``percent`` of the milestone (and refund the rest); the caller holds the locks."""
    figures = release_figures(milestone, contract, percent)
    if figures.released:
        operations.release_escrow(
            key=f"milestone:{milestone.pk}",
            escrow_reference=contract.escrow_reference,
            freelancer=contract.freelancer,
            amount=figures.released,
            freelancer_fee=figures.freelancer_fee,
            currency=contract.currency,
        )
    if figures.refunded:
        operations.refund_escrow(
            key=f"milestone:{milestone.pk}:rest",
            escrow_reference=contract.escrow_reference,
            buyer=contract.buyer,
            amount=figures.refunded,
            currency=contract.currency,
        )
    milestone.accepted_percent = percent
    milestone.released_amount = figures.released
    milestone.accepted_at = timezone.now()
    milestone.save(update_fields=["status", "accepted_percent", "released_amount", "accepted_at"])
    _finish_contract_if_done(contract)
    return figures


def _check_percent(percent: object) -> int:
    if percent is None:
        return 100
    if isinstance(percent, bool) or not isinstance(percent, int) or not 1 <= percent <= 100:
        raise ValidationError(
            {"percent": _("Give a whole percentage from 1 to 99, or nothing for all of it.")}
        )
    return percent


@retry_on_conflict()
def accept(*, user: User, milestone_id: int, percent: object = None) -> Milestone:
    """The buyer accepts the delivered milestone.

    Without ``percent`` (or 100): the escrowed amount is released at once, keyed ``milestone:{id}`` — the
    freelancer's clearing account gets the amount minus the locked freelancer fee, the platform the fee — and
    both are e-mailed the figures. With 1–99: a *proposal* of partial acceptance is recorded in
    ``accepted_percent`` (nothing moves) and the freelancer is asked to agree (``agree_partial``). When every
    milestone is finished the contract is completed. Raises like ``fund_milestone`` (``ValidationError`` keyed
    ``percent`` for a bad percentage).
    """
    share = _check_percent(percent)
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        if share < 100:
            _move(milestone, contract, Action.PROPOSE_PARTIAL, user)
            milestone.accepted_percent = share
            milestone.save(update_fields=["accepted_percent"])
            transaction.on_commit(partial(_mail_partial_proposed, milestone.pk), robust=True)
            return milestone
        _move(milestone, contract, Action.ACCEPT, user)
        _release(contract, milestone, 100)
        transaction.on_commit(partial(_mail_accepted, milestone.pk, False), robust=True)
        return milestone


@retry_on_conflict()
def agree_partial(*, user: User, milestone_id: int) -> Milestone:
    """The freelancer agrees to the buyer's partial acceptance: that share of the amount is released (minus
    the locked freelancer fee) and the rest refunded to the buyer's wallet (key ``milestone:{id}:rest``); both
    are e-mailed the figures. Raises ``MilestoneStateError`` when no proposal is waiting."""
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        proposal = milestone.accepted_percent
        _move(milestone, contract, Action.AGREE_PARTIAL, user)
        if proposal is None:
            raise MilestoneStateError({"status": _("The buyer has not proposed a partial acceptance.")})
        _release(contract, milestone, proposal)
        transaction.on_commit(partial(_mail_accepted, milestone.pk, False), robust=True)
        return milestone


# --- Cancel and refund ----------------------------------------------------------------------------------------


@retry_on_conflict()
def cancel_milestone(*, user: User, milestone_id: int) -> Milestone:
    """The buyer cancels a milestone that is not funded yet (nothing was paid, nothing moves). A funded one
    needs the other side's agreement (``ask_cancellation``) or a dispute: ``MilestoneStateError`` says so."""
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        _move(milestone, contract, Action.CANCEL, user)
        milestone.save(update_fields=["status"])
        _finish_contract_if_done(contract)
        transaction.on_commit(partial(_mail_cancelled, milestone.pk), robust=True)
        return milestone


@retry_on_conflict()
def ask_cancellation(*, user: User, milestone_id: int, reason: object = "") -> CancellationRequest:
    """Either side asks to cancel a funded milestone and refund its escrow to the buyer; the other side is
    e-mailed and answers with ``answer_cancellation``. One open request per milestone at a time."""
    text = _text(reason, "reason", required=False)
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        _move(milestone, contract, Action.ASK_CANCELLATION, user)
        if CancellationRequest.objects.filter(milestone=milestone, answered_at__isnull=True).exists():
            raise MilestoneStateError(
                {"status": _("A cancellation request on this milestone is already waiting for an answer.")}
            )
        request = CancellationRequest.objects.create(milestone=milestone, requested_by=user, reason=text)
        transaction.on_commit(partial(_mail_cancellation_asked, request.pk), robust=True)
        return request


@retry_on_conflict()
def answer_cancellation(*, user: User, request_id: int, agree: object) -> CancellationRequest:
    """The other side answers a cancellation request. Agreeing refunds the escrowed amount to the buyer's wallet
    (key ``milestone:{id}``; the buyer fee stays with the platform) and marks the milestone ``refunded``;
    declining leaves the milestone as it is (a dispute remains). Both are e-mailed.

    Raises ``CancellationRequest.DoesNotExist`` (not a party), ``PermissionDenied`` (the side that asked),
    ``MilestoneStateError`` (already answered, or the milestone moved on), ``ValidationError`` (``agree``
    not a yes/no)."""
    if not isinstance(agree, bool):
        raise ValidationError({"agree": _("Say yes or no.")})
    if not _valid_id(request_id):
        raise CancellationRequest.DoesNotExist
    milestone_id = (
        CancellationRequest.objects.filter(pk=request_id)
        .filter(Q(milestone__contract__buyer=user) | Q(milestone__contract__freelancer=user))
        .values_list("milestone_id", flat=True)
        .first()
    )
    if milestone_id is None:
        raise CancellationRequest.DoesNotExist
    with transaction.atomic():
        contract, milestone = _lock_milestone(user, milestone_id)
        request = CancellationRequest.objects.select_for_update().get(pk=request_id)
        if request.requested_by_id == user.pk:
            raise PermissionDenied(_("The other side must answer your cancellation request."))
        if request.answered_at is not None:
            raise MilestoneStateError({"status": _("This cancellation request was already answered.")})
        if agree:
            escrowed = milestone.amount
            _move(milestone, contract, Action.AGREE_CANCELLATION, user)
            operations.refund_escrow(
                key=f"milestone:{milestone.pk}",
                escrow_reference=contract.escrow_reference,
                buyer=contract.buyer,
                amount=escrowed,
                currency=contract.currency,
            )
            milestone.accepted_percent = None
            milestone.save(update_fields=["status", "accepted_percent"])
            _finish_contract_if_done(contract)
        else:
            _check_actor(user, contract, Action.AGREE_CANCELLATION)
        request.answered_at = timezone.now()
        request.agreed = agree
        request.save(update_fields=["answered_at", "agreed"])
        transaction.on_commit(partial(_mail_cancellation_answered, request.pk), robust=True)
        return request


# --- Disputes (called by haat.disputes.services, which holds the locks) ---------------------------------------

DISPUTABLE_MILESTONE_STATUSES = _WORK


def lock_for_dispute(contract_id: int, milestone_id: int) -> tuple[Contract, Milestone]:
    """Lock the contract, then the milestone (the same order as every other contract write)."""
    contract, rows = _lock(contract_id, [milestone_id])
    if not rows:
        raise Milestone.DoesNotExist
    return contract, rows[0]


def freeze_for_dispute(contract: Contract, milestone: Milestone) -> None:
    """Freeze the contract's escrow while a dispute about ``milestone`` is open: the contract becomes
    ``disputed``, so every milestone move (funding, acceptance, auto-acceptance, partial acceptance,
    cancellation, refund) is refused by ``_move`` until the dispute ends. A waiting partial-acceptance proposal
    lapses (the dispute decides the split now). The caller holds the locks and has checked the milestone."""
    if contract.status != ContractStatus.ACTIVE or milestone.status not in DISPUTABLE_MILESTONE_STATUSES:
        raise MilestoneStateError(
            {"milestone": _("Only a funded milestone of an active contract can be disputed.")}
        )
    contract.status = ContractStatus.DISPUTED
    contract.save(update_fields=["status"])
    if milestone.accepted_percent is not None:
        milestone.accepted_percent = None
        milestone.save(update_fields=["accepted_percent"])


def unfreeze_after_dispute(contract: Contract) -> None:
    """The dispute was withdrawn: the contract is active again, its milestones as they were."""
    if contract.status == ContractStatus.DISPUTED:
        contract.status = ContractStatus.ACTIVE
        contract.save(update_fields=["status"])


def settle_disputed_milestone(contract: Contract, milestone: Milestone, released: int) -> None:
    """Record a dispute's outcome on the milestone after the ledger has moved the money: ``accepted`` with
    ``released_amount`` when the freelancer was given anything, else ``refunded``; the contract is active again
    and completes (or is cancelled) if nothing is left open."""
    milestone.status = _S.ACCEPTED if released else _S.REFUNDED
    milestone.released_amount = released
    milestone.accepted_percent = None
    milestone.accepted_at = timezone.now() if released else None
    milestone.save(update_fields=["status", "released_amount", "accepted_percent", "accepted_at"])
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status"])
    _finish_contract_if_done(contract)


# --- Background: reminders and auto-acceptance ----------------------------------------------------------------


def remind_unfunded(*, now: dt.datetime | None = None, batch_size: int = 200) -> int:
    """Remind buyers of milestones still awaiting funding: one reminder 1 day and one 3 days after the
    contract was created (``funding_reminders_sent`` counts them, so a second run sends nothing). Only the
    contract's next awaiting milestone in position order is meant; returns how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for number, days in enumerate(FUNDING_REMINDER_DAYS, start=1):
        due = list(
            Milestone.objects.filter(
                status=_S.AWAITING_FUNDING,
                funding_reminders_sent__lt=number,
                contract__status__in=OPEN_CONTRACT_STATUSES,
                contract__created_at__lte=now - dt.timedelta(days=days),
            )
            .order_by("pk")
            .values_list("pk", "contract_id")[:batch_size]
        )
        for milestone_id, contract_id in due:
            sent += _remind_one(milestone_id, contract_id, number, now)
    return sent


@retry_on_conflict()
def _remind_one(milestone_id: int, contract_id: int, number: int, now: dt.datetime) -> int:
    with transaction.atomic():
        contract, rows = _lock(contract_id, [milestone_id])
        if not rows or contract.status not in OPEN_CONTRACT_STATUSES:
            return 0
        milestone = rows[0]
        if milestone.status != _S.AWAITING_FUNDING or milestone.funding_reminders_sent >= number:
            return 0
        # A contract waiting a long time gets each missing reminder once, not a burst: jump to ``number``.
        milestone.funding_reminders_sent = number
        milestone.save(update_fields=["funding_reminders_sent"])
        transaction.on_commit(partial(_mail_funding_reminder, milestone.pk), robust=True)
        return 1


def auto_accept_due(*, now: dt.datetime | None = None, batch_size: int = 200) -> tuple[int, int]:
    """Warn buyers ``AUTO_ACCEPT_WARNING_DAYS`` before, then accept milestones delivered
    ``HAAT_AUTO_ACCEPT_DAYS`` ago without an answer (100 %, released like ``accept``). Each warning is sent
    once per delivery (``auto_accept_warned_at``); an accepted milestone is no longer ``delivered``, so a
    second run changes nothing. Milestones with a pending partial proposal are left alone. Returns
    (warnings sent, milestones accepted)."""
    now = now or timezone.now()
    days = settings.HAAT_AUTO_ACCEPT_DAYS
    waiting = Milestone.objects.filter(
        status=_S.DELIVERED,
        accepted_percent__isnull=True,
        contract__status=ContractStatus.ACTIVE,
        delivered_at__isnull=False,
    )
    accept_before = now - dt.timedelta(days=days)
    warn_before = now - dt.timedelta(days=max(days - AUTO_ACCEPT_WARNING_DAYS, 0))
    accepted = 0
    for milestone_id, contract_id in (
        waiting.filter(delivered_at__lte=accept_before)
        .order_by("pk")
        .values_list("pk", "contract_id")[:batch_size]
    ):
        accepted += _auto_accept_one(milestone_id, contract_id, accept_before)
    warned = 0
    for milestone_id, contract_id in (
        waiting.filter(
            delivered_at__lte=warn_before, delivered_at__gt=accept_before, auto_accept_warned_at=None
        )
        .order_by("pk")
        .values_list("pk", "contract_id")[:batch_size]
    ):
        warned += _warn_one(milestone_id, contract_id, warn_before, now)
    return warned, accepted


@retry_on_conflict()
def _auto_accept_one(milestone_id: int, contract_id: int, accept_before: dt.datetime) -> int:
    with transaction.atomic():
        contract, rows = _lock(contract_id, [milestone_id])
        if not rows:
            return 0
        milestone = rows[0]
        if (
            milestone.status != _S.DELIVERED
            or milestone.accepted_percent is not None
            or milestone.delivered_at is None
            or milestone.delivered_at > accept_before
            or contract.status != ContractStatus.ACTIVE
        ):
            return 0  # answered (or accepted by another worker) meanwhile
        _move(milestone, contract, Action.AUTO_ACCEPT, None)
        _release(contract, milestone, 100)
        transaction.on_commit(partial(_mail_accepted, milestone.pk, True), robust=True)
        return 1


@retry_on_conflict()
def _warn_one(milestone_id: int, contract_id: int, warn_before: dt.datetime, now: dt.datetime) -> int:
    with transaction.atomic():
        contract, rows = _lock(contract_id, [milestone_id])
        if not rows:
            return 0
        milestone = rows[0]
        if (
            milestone.status != _S.DELIVERED
            or milestone.auto_accept_warned_at is not None
            or milestone.delivered_at is None
            or milestone.delivered_at > warn_before
            or contract.status != ContractStatus.ACTIVE
        ):
            return 0
        milestone.auto_accept_warned_at = now
        milestone.save(update_fields=["auto_accept_warned_at"])
        transaction.on_commit(partial(_mail_auto_accept_warning, milestone.pk), robust=True)
        return 1


# --- E-mail ---------------------------------------------------------------------------------------------------


def _send_all(pairs: Sequence[tuple[User, Callable[[], tuple[str, str]]]], what: str) -> None:
    for recipient, compose in pairs:
        try:
            _send(recipient, compose)
        except Exception:  # one bad address must not stop the other
            logger.exception("Could not e-mail user %s about %s", recipient.pk, what)


def _absolute(path: str) -> str:
    return str(settings.HAAT_BASE_URL).rstrip("/") + path


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def _signature() -> str:
    return _("— %(site)s") % {"site": settings.HAAT_SITE_NAME}


def _name(user: User) -> str:
    profile = Profile.objects.filter(user=user).first()
    return profile.public_name if profile else user.email


def _milestone(milestone_id: int) -> Milestone:
    return Milestone.objects.select_related("contract__job", "contract__buyer", "contract__freelancer").get(
        pk=milestone_id
    )


def _values(milestone: Milestone) -> dict[str, Any]:
    contract = milestone.contract
    return {
        "job": contract.job.title,
        "milestone": milestone.title,
        "amount": format_money(milestone.amount, contract.currency),
        "buyer": _name(contract.buyer),
        "freelancer": _name(contract.freelancer),
        "link": _absolute(reverse("contracts:contract-detail", args=[contract.pk])),
        "due": _when(milestone.due_at),
    }


def _body(text: str) -> str:
    return f"{text}\n{_signature()}\n"


def _mail_milestone(
    milestone: Milestone,
    recipient: User,
    subject: Any,
    body: Any,
    extra: Callable[[], dict[str, Any]] = dict,
) -> None:
    """E-mail ``recipient`` about ``milestone``. ``subject`` and ``body`` are lazy translations with the
    ``_values`` placeholders (plus ``extra()``, computed in the recipient's language and time zone)."""

    def compose() -> tuple[str, str]:
        values = {**_values(milestone), **extra()}
        return str(subject) % values, _body(str(body) % values)

    _send(recipient, compose)


def _mail_split(contract_id: int) -> None:
    contract = Contract.objects.select_related("job", "freelancer").get(pk=contract_id)

    def compose() -> tuple[str, str]:
        lines = "\n".join(
            f"- {m.title}: {format_money(m.amount, contract.currency)}, {_when(m.due_at)}"
            for m in contract.milestones.order_by("position")
        )
        values = {
            "job": contract.job.title,
            "lines": lines,
            "link": _absolute(reverse("contracts:contract-detail", args=[contract.pk])),
        }
        subject = _("New milestones for “%(job)s”") % values
        body = (
            _("Hello,\n\nThe buyer split “%(job)s” into these milestones:\n%(lines)s\n\n%(link)s\n") % values
        )
        return subject, _body(body)

    _send(contract.freelancer, compose)


def _mail_funded(milestone_id: int, total: int) -> None:
    milestone = _milestone(milestone_id)
    _mail_milestone(
        milestone,
        milestone.contract.freelancer,
        gettext_lazy("“%(milestone)s” is funded: start work"),
        gettext_lazy(
            "Hello,\n\nThe buyer put %(amount)s for “%(milestone)s” of “%(job)s” into escrow. The money is held "
            "safely until they accept your work. Due: %(due)s.\n\n%(link)s\n"
        ),
    )


def _mail_funding_requested(milestone_id: int) -> None:
    milestone = _milestone(milestone_id)
    _mail_milestone(
        milestone,
        milestone.contract.buyer,
        gettext_lazy("%(freelancer)s asks you to fund “%(milestone)s”"),
        gettext_lazy(
            "Hello,\n\n%(freelancer)s is ready to work on “%(milestone)s” of “%(job)s” and asks you to fund it "
            "(%(amount)s plus the site fee). Work starts once the money is in escrow.\n\n%(link)s\n"
        ),
    )


def _mail_funding_reminder(milestone_id: int) -> None:
    milestone = _milestone(milestone_id)
    _mail_milestone(
        milestone,
        milestone.contract.buyer,
        gettext_lazy("Reminder: fund “%(milestone)s” so work can start"),
        gettext_lazy(
            "Hello,\n\n“%(milestone)s” of “%(job)s” (%(amount)s) is still waiting for funding. "
            "%(freelancer)s starts work once the money is in escrow.\n\n%(link)s\n"
        ),
    )


def _mail_delivered(milestone_id: int) -> None:
    milestone = _milestone(milestone_id)
    _mail_milestone(
        milestone,
        milestone.contract.buyer,
        gettext_lazy("%(freelancer)s delivered “%(milestone)s”"),
        gettext_lazy(
            "Hello,\n\n%(freelancer)s delivered “%(milestone)s” of “%(job)s”. Review it and accept it or ask "
            "for changes. If you do nothing for %(days)s days, it is accepted automatically.\n\n%(link)s\n"
        ),
        lambda: {"days": settings.HAAT_AUTO_ACCEPT_DAYS},
    )


def _mail_changes_requested(change_id: int) -> None:
    change = ChangeRequest.objects.get(pk=change_id)
    milestone = _milestone(change.milestone_id)
    _mail_milestone(
        milestone,
        milestone.contract.freelancer,
        gettext_lazy("Changes requested on “%(milestone)s”"),
        gettext_lazy(
            "Hello,\n\nThe buyer asks for changes to “%(milestone)s” of “%(job)s”:\n\n%(comment)s\n\n"
            "Deliver a new version when it is ready: %(link)s\n"
        ),
        lambda: {"comment": change.comment},
    )


def _mail_partial_proposed(milestone_id: int) -> None:
    milestone = _milestone(milestone_id)
    contract = milestone.contract
    figures = release_figures(milestone, contract, milestone.accepted_percent or 100)

    def compose() -> tuple[str, str]:
        values = {
            **_values(milestone),
            "percent": figures.percent,
            "released": format_money(figures.released, contract.currency),
            "receive": format_money(figures.freelancer_receives, contract.currency),
            "refund": format_money(figures.refunded, contract.currency),
        }
        subject = _("The buyer proposes to accept %(percent)s%% of “%(milestone)s”") % values
        body = (
            _(
                "Hello,\n\nThe buyer proposes to accept %(percent)s%% of “%(milestone)s” (%(amount)s): %(released)s "
                "would be released, of which you receive %(receive)s after the site fee, and %(refund)s would go "
                "back to the buyer. Agree on the contract page, or discuss it with the buyer: %(link)s\n"
            )
            % values
        )
        return subject, _body(body)

    _send(contract.freelancer, compose)


def _mail_accepted(milestone_id: int, automatic: bool) -> None:
    milestone = _milestone(milestone_id)
    contract = milestone.contract
    figures = release_figures(milestone, contract, milestone.accepted_percent or 100)

    def values() -> dict[str, Any]:
        return {
            **_values(milestone),
            "percent": figures.percent,
            "released": format_money(figures.released, contract.currency),
            "fee": format_money(figures.freelancer_fee, contract.currency),
            "receive": format_money(figures.freelancer_receives, contract.currency),
            "refund": format_money(figures.refunded, contract.currency),
            "clearance": settings.HAAT_CLEARANCE_DAYS,
        }

    def intro() -> str:
        if automatic:
            return _(
                "“%(milestone)s” of “%(job)s” was accepted automatically: the buyer did not answer in time."
            )
        if figures.percent < 100:
            return _("%(percent)s%% of “%(milestone)s” of “%(job)s” was accepted, as both of you agreed.")
        return _("The buyer accepted “%(milestone)s” of “%(job)s”.")

    def to_freelancer() -> tuple[str, str]:
        v = values()
        subject = _("“%(milestone)s” was accepted: %(receive)s is yours") % v
        body = (
            _("Hello,\n\n")
            + intro() % v
            + "\n\n"
            + _(
                "Released: %(released)s\nSite fee: %(fee)s\nYou receive: %(receive)s (spendable after %(clearance)s "
                "days of clearance)\n\n%(link)s\n"
            )
            % v
        )
        return subject, _body(body)

    def to_buyer() -> tuple[str, str]:
        v = values()
        subject = _("“%(milestone)s” was accepted and paid") % v
        body = (
            _("Hello,\n\n")
            + intro() % v
            + "\n\n"
            + _(
                "Paid to %(freelancer)s from escrow: %(released)s\nReturned to your wallet: %(refund)s\n\n%(link)s\n"
            )
            % v
        )
        return subject, _body(body)

    _send_all([(contract.freelancer, to_freelancer), (contract.buyer, to_buyer)], f"milestone {milestone_id}")


def _mail_auto_accept_warning(milestone_id: int) -> None:
    milestone = _milestone(milestone_id)
    assert milestone.delivered_at is not None
    when = milestone.delivered_at + dt.timedelta(days=settings.HAAT_AUTO_ACCEPT_DAYS)
    _mail_milestone(
        milestone,
        milestone.contract.buyer,
        gettext_lazy("“%(milestone)s” will be accepted automatically on %(when)s"),
        gettext_lazy(
            "Hello,\n\n%(freelancer)s delivered “%(milestone)s” of “%(job)s” and is waiting for your answer. "
            "If you neither accept it nor ask for changes by %(when)s, it is accepted automatically and "
            "%(amount)s is released from escrow.\n\n%(link)s\n"
        ),
        lambda: {"when": _when(when)},
    )


def _mail_cancelled(milestone_id: int) -> None:
    milestone = _milestone(milestone_id)
    _mail_milestone(
        milestone,
        milestone.contract.freelancer,
        gettext_lazy("“%(milestone)s” was cancelled"),
        gettext_lazy(
            "Hello,\n\nThe buyer cancelled “%(milestone)s” of “%(job)s” before funding it.\n\n%(link)s\n"
        ),
    )


def _mail_cancellation_asked(request_id: int) -> None:
    request = CancellationRequest.objects.get(pk=request_id)
    milestone = _milestone(request.milestone_id)
    contract = milestone.contract
    other = contract.freelancer if request.requested_by_id == contract.buyer_id else contract.buyer

    def compose() -> tuple[str, str]:
        values = {**_values(milestone), "who": _name(request.requested_by), "reason": request.reason or "—"}
        subject = _("%(who)s asks to cancel “%(milestone)s”") % values
        body = (
            _(
                "Hello,\n\n%(who)s asks to cancel “%(milestone)s” of “%(job)s” and refund %(amount)s from escrow to "
                "the buyer. Reason: %(reason)s\n\nAgree or decline on the contract page: %(link)s\n"
            )
            % values
        )
        return subject, _body(body)

    _send(other, compose)


def _mail_cancellation_answered(request_id: int) -> None:
    request = CancellationRequest.objects.get(pk=request_id)
    milestone = _milestone(request.milestone_id)
    contract = milestone.contract

    def compose() -> tuple[str, str]:
        values = _values(milestone)
        if request.agreed:
            subject = _("“%(milestone)s” was cancelled and refunded") % values
            body = (
                _(
                    "Hello,\n\nBoth sides agreed to cancel “%(milestone)s” of “%(job)s”. %(amount)s went back from "
                    "escrow to the buyer's wallet.\n\n%(link)s\n"
                )
                % values
            )
        else:
            subject = _("The cancellation of “%(milestone)s” was declined") % values
            body = (
                _(
                    "Hello,\n\nThe request to cancel “%(milestone)s” of “%(job)s” was declined. The milestone "
                    "continues; if you cannot agree, a dispute will be needed.\n\n%(link)s\n"
                )
                % values
            )
        return subject, _body(body)

    _send_all([(contract.buyer, compose), (contract.freelancer, compose)], f"cancellation {request_id}")
