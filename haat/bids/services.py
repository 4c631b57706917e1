"""Every write to bids: placing, editing and withdrawing them, the buyer's shortlist and rejections, the award
and the freelancer's answer, and the background expiry and closing.

A bid moves through one state machine, ``TRANSITIONS`` ((status now, action) → status after)::

    live ──edit (freelancer)────────▶ live
      ├──shortlist (buyer)──────────▶ live      (a flag the freelancer does not see)
      ├──withdraw (freelancer)──────▶ withdrawn
      ├──reject (buyer)─────────────▶ rejected  (with an optional message, e-mailed)
      ├──another bid accepted───────▶ lost      (e-mailed)
      ├──job closed or cancelled────▶ closed    (task ``close_bids``)
      └──award (buyer)──────────────▶ awarded ──accept (freelancer)──▶ accepted   contract created, job awarded
                                         ├──────decline (freelancer)──▶ declined   the buyer may award another
                                         └──────expire (task)─────────▶ expired    after HAAT_AWARD_RESPONSE_DAYS

Any other move is refused with a ``ValidationError`` and changes nothing. What the job must be for each action:

- place and edit: the job is **open for bidding** — status open, ``bidding_closes_at`` in the future and no
  award pending (while the buyer waits for an answer, the job takes no new bids and no changed prices);
- withdraw: status open and ``bidding_closes_at`` in the future (a pending award to someone else does not
  stop a freelancer from leaving);
- award, accept: status open (the jobs app's ``close_bidding`` task leaves a job with a pending award open);
  only one bid per job may be awarded or accepted (checked here, and by the ``one_award_per_job``
  constraint).

Who may bid: a signed-in user other than the buyer, with a complete freelancer profile, on a job they may see
that is public or to which they were invited; on a confidential job only after accepting its NDA. Amounts are
whole minor units within the job's budget range (inclusive).

Locks: every public write locks the job row first, then the bid rows it changes in ascending id order
(``select_for_update``; SQLite serializes writers with IMMEDIATE transactions), so concurrent awards, answers
and expiries on one job apply one after the other. E-mails leave after the transaction commits, each composed
in its recipient's language and time zone. Money never moves here.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from haat.accounts.models import Profile, ProfileLanguage, User
from haat.accounts.selectors import freelancer_profile_completeness
from haat.accounts.services import ensure_profile
from haat.bids import selectors
from haat.bids.models import LIVE_STATUSES, Bid, BidStatus
from haat.contracts import services as contract_services
from haat.contracts.models import Contract
from haat.jobs import permissions, search
from haat.jobs.models import Job, JobInvitation, JobStatus, NdaAcceptance, Visibility
from haat.ledger.models import MAX_AMOUNT
from haat.ledger.services import retry_on_conflict
from haat.moderation import services as moderation
from haat.notifications.email import send_to as _send
from haat.web.money import format_money

logger = logging.getLogger(__name__)

MIN_DELIVERY_DAYS = 1
MAX_DELIVERY_DAYS = 365
MIN_PROPOSAL_LENGTH = 20
MAX_PROPOSAL_LENGTH = 10_000
MAX_REJECTION_MESSAGE_LENGTH = 2000


class Action(enum.StrEnum):
    EDIT = "edit"
    SHORTLIST = "shortlist"
    WITHDRAW = "withdraw"
    REJECT = "reject"
    LOSE = "lose"
    CLOSE = "close"
    AWARD = "award"
    ACCEPT = "accept"
    DECLINE = "decline"
    EXPIRE = "expire"


# The whole state machine of a bid. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, Action], str] = {
    (BidStatus.LIVE, Action.EDIT): BidStatus.LIVE,
    (BidStatus.LIVE, Action.SHORTLIST): BidStatus.LIVE,
    (BidStatus.LIVE, Action.WITHDRAW): BidStatus.WITHDRAWN,
    (BidStatus.LIVE, Action.REJECT): BidStatus.REJECTED,
    (BidStatus.LIVE, Action.LOSE): BidStatus.LOST,
    (BidStatus.LIVE, Action.CLOSE): BidStatus.CLOSED,
    (BidStatus.LIVE, Action.AWARD): BidStatus.AWARDED,
    (BidStatus.AWARDED, Action.ACCEPT): BidStatus.ACCEPTED,
    (BidStatus.AWARDED, Action.DECLINE): BidStatus.DECLINED,
    (BidStatus.AWARDED, Action.EXPIRE): BidStatus.EXPIRED,
}

# Job statuses whose live bids are closed by the ``close_bids`` task.
FINISHED_JOB_STATUSES = (JobStatus.CLOSED, JobStatus.CANCELLED)


def _refusal(bid: Bid, action: Action) -> str:
    """Why ``action`` is not possible on ``bid`` now, for a person."""
    if action == Action.ACCEPT and bid.status == BidStatus.ACCEPTED:
        return _("You already accepted this award.")
    if action in (Action.ACCEPT, Action.DECLINE):
        return _("This bid has no award waiting for your answer (it is “%(status)s”).") % {
            "status": bid.get_status_display()
        }
    if action == Action.AWARD and bid.status == BidStatus.AWARDED:
        return _("This bid is already awarded; the freelancer has not answered yet.")
    return _("This bid can no longer be changed: it is “%(status)s”.") % {"status": bid.get_status_display()}


def _move(bid: Bid, action: Action) -> None:
    """Apply ``action`` to ``bid`` in memory, or raise ``ValidationError`` (keyed ``status``) if not allowed."""
    target = TRANSITIONS.get((bid.status, action))
    if target is None:
        raise ValidationError({"status": _refusal(bid, action)})
    bid.status = target


# --- Locking -------------------------------------------------------------------------------------------------


def _lock_job(job_id: int) -> Job:
    return Job.objects.select_for_update().get(pk=job_id)


def _lock_bids(job: Job, *, ids: list[int] | None = None, statuses: tuple[str, ...] = ()) -> list[Bid]:
    """Lock bids of ``job`` (by id, or by status) in ascending id order. The job must be locked already."""
    bids = Bid.objects.select_for_update().filter(job=job)
    if ids is not None:
        bids = bids.filter(pk__in=ids)
    if statuses:
        bids = bids.filter(status__in=statuses)
    locked = list(bids.order_by("pk"))
    for bid in locked:
        bid.job = job
    return locked


def _lock_bid(bid_id: int, *, job_id: int) -> tuple[Job, Bid]:
    """Lock the job, then the bid (the fixed order), and return both fresh from the database."""
    job = _lock_job(job_id)
    locked = _lock_bids(job, ids=[bid_id])
    if not locked:
        raise Bid.DoesNotExist
    return job, locked[0]


def _valid_id(value: int) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_AMOUNT


def _own_bid_job_id(user: User, bid_id: int) -> int:
    """The job id of one of ``user``'s bids; ``Bid.DoesNotExist`` for anyone else's."""
    if not _valid_id(bid_id):
        raise Bid.DoesNotExist
    return Bid.objects.values_list("job_id", flat=True).get(pk=bid_id, freelancer=user)


def _buyers_bid_job_id(user: User, bid_id: int) -> int:
    """The job id of a bid on one of ``user``'s jobs; ``Bid.DoesNotExist`` for bids on anyone else's."""
    if not _valid_id(bid_id):
        raise Bid.DoesNotExist
    return Bid.objects.values_list("job_id", flat=True).get(pk=bid_id, job__buyer=user)


# --- The rules ------------------------------------------------------------------------------------------------


def _range_message(job: Job) -> str:
    return _("The amount must be between %(min)s and %(max)s, the buyer's budget.") % {
        "min": format_money(job.budget_min, job.currency),
        "max": format_money(job.budget_max, job.currency),
    }


def check_amount(job: Job, amount: object) -> int:
    """``amount`` as minor units if it is a whole number within the job's budget range, else ``ValidationError``
    (keyed ``amount``) naming the range."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(
            {"amount": _("Enter the amount as a whole number of minor units (cents, paisa).")}
        )
    if not job.budget_min <= amount <= job.budget_max:
        raise ValidationError({"amount": _range_message(job)})
    return amount


def _clean_terms(job: Job, amount: object, delivery_days: object, proposal: object) -> tuple[int, int, str]:
    """Check a bid's terms; raises one ``ValidationError`` listing every field in error."""
    errors: dict[str, str] = {}
    try:
        amount = check_amount(job, amount)
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if (
        isinstance(delivery_days, bool)
        or not isinstance(delivery_days, int)
        or not MIN_DELIVERY_DAYS <= delivery_days <= MAX_DELIVERY_DAYS
    ):
        errors["delivery_days"] = _("Delivery must take between %(min)d and %(max)d days.") % {
            "min": MIN_DELIVERY_DAYS,
            "max": MAX_DELIVERY_DAYS,
        }
    text = proposal.strip() if isinstance(proposal, str) else ""
    if len(text) < MIN_PROPOSAL_LENGTH:
        errors["proposal"] = _(
            "Write a proposal of at least %(n)d characters: tell the buyer how you would do the work."
        ) % {"n": MIN_PROPOSAL_LENGTH}
    elif len(text) > MAX_PROPOSAL_LENGTH:
        errors["proposal"] = _("The proposal may have at most %(n)d characters.") % {"n": MAX_PROPOSAL_LENGTH}
    elif "\0" in text:
        errors["proposal"] = _("This text contains characters that are not allowed.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(amount, int) and isinstance(delivery_days, int)
    return amount, delivery_days, text


def _has_pending_award(job: Job) -> bool:
    return Bid.objects.filter(job=job, status=BidStatus.AWARDED).exists()


def _refuse_unless_open_for_bidding(job: Job, now: dt.datetime, *, pending_award: bool | None = None) -> None:
    """``pending_award``: whether the job has an awarded bid, when the caller already read it."""
    if job.status != JobStatus.OPEN:
        raise ValidationError(
            {"job": _("This job takes no bids: it is “%(status)s”.") % {"status": job.get_status_display()}}
        )
    if job.bidding_closes_at <= now:
        raise ValidationError({"job": _("Bidding on this job has closed.")})
    if _has_pending_award(job) if pending_award is None else pending_award:
        raise ValidationError(
            {"job": _("The buyer has awarded this job and waits for an answer; it takes no bids meanwhile.")}
        )


def edit_refusal(bid: Bid, *, now: dt.datetime | None = None) -> ValidationError | None:
    """Why the freelancer may not edit ``bid`` now, or ``None`` (the rules of ``edit_bid``, for pages)."""
    try:
        _move(Bid(status=bid.status), Action.EDIT)
        _refuse_unless_open_for_bidding(bid.job, now or timezone.now())
    except ValidationError as exc:
        return exc
    return None


def withdraw_refusal(bid: Bid, *, now: dt.datetime | None = None) -> ValidationError | None:
    """Why the freelancer may not withdraw ``bid`` now, or ``None`` (the rules of ``withdraw_bid``)."""
    try:
        _move(Bid(status=bid.status), Action.WITHDRAW)
        _refuse_unless_may_withdraw(bid.job, now or timezone.now())
    except ValidationError as exc:
        return exc
    return None


def _refuse_unless_may_withdraw(job: Job, now: dt.datetime) -> None:
    if job.status != JobStatus.OPEN or job.bidding_closes_at <= now:
        raise ValidationError(
            {"job": _("Bidding on this job has closed: the bid can no longer be withdrawn.")}
        )


def bidding_refusal(user: Any, job: Job, *, now: dt.datetime | None = None) -> ValidationError | None:
    """Why ``user`` may not place a bid on ``job`` now, or ``None`` if they may (the job must be visible to
    them). ``place_bid`` applies exactly these rules; pages use this to show the form or the reason."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return ValidationError({"job": _("Log in to bid.")})
    if job.buyer_id == user.pk:
        return ValidationError({"job": _("You cannot bid on your own job.")})
    if (
        job.visibility == Visibility.INVITE_ONLY
        and not JobInvitation.objects.filter(job=job, freelancer_id=user.pk).exists()
    ):
        return ValidationError({"job": _("Only freelancers the buyer invited may bid on this job.")})
    if job.is_confidential and not NdaAcceptance.objects.filter(job=job, user_id=user.pk).exists():
        return ValidationError({"job": _("This job is confidential: accept its NDA before you bid.")})
    completeness = freelancer_profile_completeness(_bidder_profile(user))
    if not completeness.is_complete:
        return ValidationError(
            {
                "profile": _("Complete your freelancer profile before you bid. Missing: %(missing)s.")
                % {"missing": ", ".join(completeness.missing)}
            }
        )
    # Whether an award is pending and whether this freelancer already has a live bid: one query for both.
    bids = Bid.objects.filter(job=job).aggregate(
        awarded=Count("pk", filter=Q(status=BidStatus.AWARDED)),
        own_live=Count("pk", filter=Q(freelancer_id=user.pk, status__in=LIVE_STATUSES)),
    )
    try:
        _refuse_unless_open_for_bidding(job, now, pending_award=bids["awarded"] > 0)
    except ValidationError as exc:
        return exc
    if bids["own_live"]:
        return ValidationError({"job": _one_live_bid()})
    return None


def _bidder_profile(user: Any) -> Profile:
    """The user's profile with whether it lists skills and languages, in one query (bidding runs this on every
    bid); an empty profile is created the first time."""
    profile = (
        Profile.objects.filter(user_id=user.pk)
        .annotate(
            has_skills=Exists(Profile.skills.through.objects.filter(profile_id=OuterRef("pk"))),
            has_languages=Exists(ProfileLanguage.objects.filter(profile_id=OuterRef("pk"))),
        )
        .first()
    )
    return profile if profile is not None else ensure_profile(user)


def _one_live_bid() -> str:
    return _("You already have a bid on this job: edit it or withdraw it instead of bidding again.")


# --- Freelancer: place, edit, withdraw -----------------------------------------------------------------------


@retry_on_conflict()
def place_bid(
    *, freelancer: User, job_id: int, amount: object, delivery_days: object, proposal: object
) -> Bid:
    """Place a live bid on a job: ``amount`` in minor units within the budget range, ``delivery_days`` 1–365,
    ``proposal`` 20–10 000 characters.

    Raises ``Job.DoesNotExist`` if the freelancer may not see the job, and ``ValidationError`` (keyed ``job``,
    ``profile``, ``amount``, ``delivery_days`` or ``proposal``) for every other refusal; then nothing is
    stored. A second live bid is refused here and, under a race, by the ``one_live_bid_per_freelancer``
    constraint, which is reported with the same message.
    """
    if not _valid_id(job_id):
        raise Job.DoesNotExist
    moderation.ensure_not_suspended(freelancer)  # a suspended account reads but does not bid
    try:
        with transaction.atomic():
            job = _lock_job(job_id)
            if not permissions.can_view(freelancer, job):
                raise Job.DoesNotExist
            if (refusal := bidding_refusal(freelancer, job)) is not None:
                raise refusal
            amount, delivery_days, proposal = _clean_terms(job, amount, delivery_days, proposal)
            bid = Bid.objects.create(
                job=job, freelancer=freelancer, amount=amount, delivery_days=delivery_days, proposal=proposal
            )
            return bid
    except IntegrityError:
        if Bid.objects.filter(job_id=job_id, freelancer=freelancer, status__in=LIVE_STATUSES).exists():
            raise ValidationError({"job": _one_live_bid()}) from None
        raise


@retry_on_conflict()
def edit_bid(
    *,
    freelancer: User,
    bid_id: int,
    amount: object = None,
    delivery_days: object = None,
    proposal: object = None,
) -> Bid:
    """Change the amount, delivery days or proposal of one's live bid (``None`` keeps a value) while the job is
    open for bidding; the same rules as placing it. Raises ``Bid.DoesNotExist`` for anyone else's bid and
    ``ValidationError`` otherwise; then nothing changes."""
    job_id = _own_bid_job_id(freelancer, bid_id)
    moderation.ensure_not_suspended(freelancer)
    with transaction.atomic():
        job, bid = _lock_bid(bid_id, job_id=job_id)
        _move(bid, Action.EDIT)
        _refuse_unless_open_for_bidding(job, timezone.now())
        bid.amount, bid.delivery_days, bid.proposal = _clean_terms(
            job,
            bid.amount if amount is None else amount,
            bid.delivery_days if delivery_days is None else delivery_days,
            bid.proposal if proposal is None else proposal,
        )
        bid.save(update_fields=["amount", "delivery_days", "proposal", "updated_at"])
        return bid


@retry_on_conflict()
def withdraw_bid(*, freelancer: User, bid_id: int) -> Bid:
    """Withdraw one's live bid while the job is open and bidding has not closed. Raises ``Bid.DoesNotExist``
    for anyone else's bid and ``ValidationError`` otherwise."""
    job_id = _own_bid_job_id(freelancer, bid_id)
    with transaction.atomic():
        job, bid = _lock_bid(bid_id, job_id=job_id)
        _move(bid, Action.WITHDRAW)
        _refuse_unless_may_withdraw(job, timezone.now())
        bid.save(update_fields=["status", "updated_at"])
        return bid


# --- Buyer: shortlist, reject, award --------------------------------------------------------------------------


@retry_on_conflict()
def set_shortlisted(*, buyer: User, bid_id: int, shortlisted: bool) -> Bid:
    """Put a live bid on the job's shortlist or take it off (the freelancer is not told). Raises
    ``Bid.DoesNotExist`` for bids on anyone else's job and ``ValidationError`` if the bid is not live."""
    if not isinstance(shortlisted, bool):
        raise ValidationError({"shortlisted": _("Say yes or no.")})
    job_id = _buyers_bid_job_id(buyer, bid_id)
    with transaction.atomic():
        _job, bid = _lock_bid(bid_id, job_id=job_id)
        _move(bid, Action.SHORTLIST)
        if bid.shortlisted != shortlisted:
            bid.shortlisted = shortlisted
            bid.save(update_fields=["shortlisted", "updated_at"])
        return bid


@retry_on_conflict()
def reject_bid(*, buyer: User, bid_id: int, message: object = "") -> Bid:
    """Reject a live bid, optionally with a message (at most 2000 characters) e-mailed to the freelancer.
    Raises ``Bid.DoesNotExist`` for bids on anyone else's job and ``ValidationError`` otherwise."""
    text = message.strip() if isinstance(message, str) else ""
    if len(text) > MAX_REJECTION_MESSAGE_LENGTH:
        raise ValidationError(
            {"message": _("At most %(n)d characters, please.") % {"n": MAX_REJECTION_MESSAGE_LENGTH}}
        )
    if "\0" in text:
        raise ValidationError({"message": _("This text contains characters that are not allowed.")})
    job_id = _buyers_bid_job_id(buyer, bid_id)
    with transaction.atomic():
        _job, bid = _lock_bid(bid_id, job_id=job_id)
        _move(bid, Action.REJECT)
        bid.rejection_message = text
        bid.responded_at = timezone.now()
        bid.save(update_fields=["status", "rejection_message", "responded_at", "updated_at"])
        transaction.on_commit(partial(_mail_rejected, bid.pk), robust=True)
        return bid


@retry_on_conflict()
def award_bid(*, buyer: User, bid_id: int) -> Bid:
    """Award a live bid on one's open job. The freelancer has ``HAAT_AWARD_RESPONSE_DAYS`` days to accept or
    decline (e-mailed); meanwhile the job takes no new bids and the other bids stay live.

    Only one bid per job may be awarded or accepted at a time: a second award (even a concurrent one) is
    refused. Raises ``Bid.DoesNotExist`` for bids on anyone else's job and ``ValidationError`` otherwise.
    """
    job_id = _buyers_bid_job_id(buyer, bid_id)
    try:
        with transaction.atomic():
            job, bid = _lock_bid(bid_id, job_id=job_id)
            if job.status != JobStatus.OPEN:
                raise ValidationError(
                    {
                        "job": _("Only an open job can be awarded: this one is “%(status)s”.")
                        % {"status": job.get_status_display()}
                    }
                )
            if (
                Bid.objects.filter(job=job, status__in=[BidStatus.AWARDED, BidStatus.ACCEPTED])
                .exclude(pk=bid.pk)
                .exists()
            ):
                raise ValidationError(
                    {
                        "job": _(
                            "This job is already awarded to another bid; wait for that freelancer's answer."
                        )
                    }
                )
            _move(bid, Action.AWARD)
            now = timezone.now()
            bid.awarded_at = now
            bid.award_expires_at = now + dt.timedelta(days=settings.HAAT_AWARD_RESPONSE_DAYS)
            bid.responded_at = None
            bid.save(update_fields=["status", "awarded_at", "award_expires_at", "responded_at", "updated_at"])
            transaction.on_commit(partial(_mail_awarded, bid.pk), robust=True)
            expires_at = bid.award_expires_at
            transaction.on_commit(lambda: _schedule_expiry(expires_at), robust=True)
            return bid
    except IntegrityError:
        if Bid.objects.filter(job_id=job_id, status__in=[BidStatus.AWARDED, BidStatus.ACCEPTED]).exists():
            raise ValidationError(
                {"job": _("This job is already awarded to another bid; wait for that freelancer's answer.")}
            ) from None
        raise


def _schedule_expiry(when: dt.datetime) -> None:
    from haat.bids.tasks import expire_awards  # tasks imports this module

    expire_awards.using(run_after=when).enqueue()


# --- Freelancer: answer an award ------------------------------------------------------------------------------


@retry_on_conflict()
def accept_award(*, freelancer: User, bid_id: int) -> Contract:
    """Accept the award of one's bid before it expires: the bid becomes ``accepted``, the job ``awarded``, a
    contract is created (``awaiting_funding``), and every other live bid on the job is ``lost``. The buyer and
    the other bidders are e-mailed. Returns the contract.

    Raises ``Bid.DoesNotExist`` for anyone else's bid and ``ValidationError`` (nothing changes) when there is no
    award waiting, it expired, or the job is no longer open.
    """
    job_id = _own_bid_job_id(freelancer, bid_id)
    with transaction.atomic():
        job = _lock_job(job_id)
        # The bid and every other bid that may change, in one query so they are locked in id order.
        bids = list(
            Bid.objects.select_for_update()
            .filter(Q(pk=bid_id) | Q(status=BidStatus.LIVE), job=job)
            .order_by("pk")
        )
        bid = next((b for b in bids if b.pk == bid_id), None)
        if bid is None:
            raise Bid.DoesNotExist
        bid.job = job
        _move(bid, Action.ACCEPT)
        now = timezone.now()
        if bid.award_expires_at is None or bid.award_expires_at <= now:
            raise ValidationError({"status": _("This award has expired; it can no longer be accepted.")})
        if job.status != JobStatus.OPEN:
            raise ValidationError(
                {
                    "job": _("This job is “%(status)s”; the award can no longer be accepted.")
                    % {"status": job.get_status_display()}
                }
            )
        bid.responded_at = now
        bid.save(update_fields=["status", "responded_at", "updated_at"])
        job.status = JobStatus.AWARDED
        job.save(update_fields=["status", "updated_at"])
        losers = [other for other in bids if other.pk != bid.pk]
        for other in losers:
            _move(other, Action.LOSE)
            other.responded_at = other.updated_at = now
        if losers:
            Bid.objects.bulk_update(losers, ["status", "responded_at", "updated_at"])
        contract = contract_services.create_from_award(bid)
        search.index_job(job)
        transaction.on_commit(partial(_mail_accepted, bid.pk), robust=True)
        for other in losers:
            transaction.on_commit(partial(_mail_lost, other.pk), robust=True)
        return contract


@retry_on_conflict()
def decline_award(*, freelancer: User, bid_id: int) -> Bid:
    """Decline the award of one's bid; the buyer is e-mailed and may award another bid. Raises
    ``Bid.DoesNotExist`` for anyone else's bid and ``ValidationError`` when no award is waiting."""
    job_id = _own_bid_job_id(freelancer, bid_id)
    with transaction.atomic():
        _job, bid = _lock_bid(bid_id, job_id=job_id)
        _move(bid, Action.DECLINE)
        bid.responded_at = timezone.now()
        bid.save(update_fields=["status", "responded_at", "updated_at"])
        transaction.on_commit(partial(_mail_declined, bid.pk), robust=True)
        return bid


# --- Background -----------------------------------------------------------------------------------------------


def expire_due_awards(*, now: dt.datetime | None = None, batch_size: int = 200) -> int:
    """Expire up to ``batch_size`` awards whose answer time has passed; returns how many were expired.

    Idempotent: an expired award is no longer ``awarded``, so a second run finds nothing. Each award is expired
    in its own transaction with the usual lock order (job, then bid) and is re-checked under the lock, so an
    answer arriving at the same moment wins or loses cleanly. The buyer and the freelancer are e-mailed.
    """
    cutoff = now or timezone.now()
    due = list(
        Bid.objects.filter(status=BidStatus.AWARDED, award_expires_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", "job_id")[:batch_size]
    )
    expired = 0
    for bid_id, job_id in due:
        expired += _expire_one(bid_id, job_id, cutoff)
    return expired


@retry_on_conflict()
def _expire_one(bid_id: int, job_id: int, cutoff: dt.datetime) -> int:
    with transaction.atomic():
        _job, bid = _lock_bid(bid_id, job_id=job_id)
        if bid.status != BidStatus.AWARDED or bid.award_expires_at is None or bid.award_expires_at > cutoff:
            return 0  # answered (or expired by another worker) meanwhile
        _move(bid, Action.EXPIRE)
        bid.responded_at = cutoff
        bid.save(update_fields=["status", "responded_at", "updated_at"])
        transaction.on_commit(partial(_mail_expired, bid.pk), robust=True)
        return 1


def close_bids_on_finished_jobs(*, batch_size: int = 200) -> int:
    """Mark the live bids of closed and cancelled jobs ``closed``; returns how many bids changed.

    Handles up to ``batch_size`` jobs per call, each in its own transaction (job locked, then its bids).
    Idempotent: a closed bid is no longer live. Nobody is e-mailed: the job's own change was announced.
    """
    job_ids = list(
        Bid.objects.filter(status=BidStatus.LIVE, job__status__in=FINISHED_JOB_STATUSES)
        .order_by("job_id")
        .values_list("job_id", flat=True)
        .distinct()[:batch_size]
    )
    return sum(_close_bids_of(job_id) for job_id in job_ids)


@retry_on_conflict()
def _close_bids_of(job_id: int) -> int:
    with transaction.atomic():
        job = _lock_job(job_id)
        if job.status not in FINISHED_JOB_STATUSES:
            return 0
        bids = _lock_bids(job, statuses=(BidStatus.LIVE,))
        for bid in bids:
            _move(bid, Action.CLOSE)
        Bid.objects.filter(pk__in=[bid.pk for bid in bids]).update(
            status=BidStatus.CLOSED, updated_at=timezone.now()
        )
        return len(bids)


# --- E-mail ---------------------------------------------------------------------------------------------------


def _profile_of(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def _absolute(path: str) -> str:
    return settings.HAAT_BASE_URL.rstrip("/") + path


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def _signature() -> str:
    return _("— %(site)s") % {"site": settings.HAAT_SITE_NAME}


def _values(bid: Bid) -> dict[str, str]:
    job = bid.job
    freelancer = _profile_of(bid.freelancer)
    return {
        "job": job.title,
        "amount": format_money(bid.amount, job.currency),
        "days": str(bid.delivery_days),
        "freelancer": freelancer.public_name if freelancer else bid.freelancer.email,
        "job_link": _absolute(selectors.job_path(job.pk)),
        "my_bids": _absolute(reverse("bids:my-bids")),
        "expires": _when(bid.award_expires_at),
        "message": bid.rejection_message,
        "site": settings.HAAT_SITE_NAME,
    }


def _bid(bid_id: int) -> Bid:
    return Bid.objects.select_related("job__buyer", "freelancer").get(pk=bid_id)


def _mail_rejected(bid_id: int) -> None:
    bid = _bid(bid_id)

    def compose() -> tuple[str, str]:
        values = _values(bid)
        subject = _("Your bid on “%(job)s” was not chosen") % values
        body = _("Hello,\n\nThe buyer of “%(job)s” declined your bid of %(amount)s.\n") % values
        if bid.rejection_message:
            body += "\n" + _("Their message:\n%(message)s\n") % values
        body += "\n" + _("Find more work at %(site)s.\n") % values
        return subject, f"{body}\n{_signature()}\n"

    _send(bid.freelancer, compose)


def _mail_awarded(bid_id: int) -> None:
    bid = _bid(bid_id)

    def compose() -> tuple[str, str]:
        values = _values(bid)
        subject = _("You were awarded “%(job)s”") % values
        body = (
            _(
                "Hello,\n\nThe buyer chose your bid of %(amount)s, delivered in %(days)s days, for “%(job)s”.\n\n"
                "Accept or decline by %(expires)s at %(my_bids)s. When you accept, a contract is created and the "
                "buyer funds the escrow before work starts.\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(bid.freelancer, compose)


def _mail_accepted(bid_id: int) -> None:
    bid = _bid(bid_id)
    contract = Contract.objects.get(bid=bid)

    def compose() -> tuple[str, str]:
        values = {
            **_values(bid),
            "contract_link": _absolute(reverse("contracts:contract-detail", args=[contract.pk])),
        }
        subject = _("%(freelancer)s accepted your award for “%(job)s”") % values
        body = (
            _(
                "Hello,\n\n%(freelancer)s accepted the award of “%(job)s” for %(amount)s. The contract is "
                "waiting for you to fund the escrow: %(contract_link)s\n\nThe other bidders were told.\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(bid.job.buyer, compose)


def _mail_lost(bid_id: int) -> None:
    bid = _bid(bid_id)

    def compose() -> tuple[str, str]:
        values = _values(bid)
        subject = _("“%(job)s” was awarded to another freelancer") % values
        body = (
            _(
                "Hello,\n\nThe buyer of “%(job)s” chose another bid, so your bid of %(amount)s is closed. Thank "
                "you for bidding.\n\nFind more work at %(site)s.\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(bid.freelancer, compose)


def _mail_declined(bid_id: int) -> None:
    bid = _bid(bid_id)

    def compose() -> tuple[str, str]:
        values = _values(bid)
        subject = _("%(freelancer)s declined your award for “%(job)s”") % values
        body = (
            _(
                "Hello,\n\n%(freelancer)s declined the award of “%(job)s”. You may award another bid: "
                "%(job_link)s\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(bid.job.buyer, compose)


def _mail_expired(bid_id: int) -> None:
    bid = _bid(bid_id)

    def to_buyer() -> tuple[str, str]:
        values = _values(bid)
        subject = _("Your award for “%(job)s” expired") % values
        body = (
            _(
                "Hello,\n\n%(freelancer)s did not answer your award of “%(job)s” in time, so it expired. You may "
                "award another bid: %(job_link)s\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    def to_freelancer() -> tuple[str, str]:
        values = _values(bid)
        subject = _("The award of “%(job)s” expired") % values
        body = (
            _(
                "Hello,\n\nYou did not answer the award of “%(job)s” in time, so it expired and the buyer may "
                "choose another bid.\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    for recipient, compose in ((bid.job.buyer, to_buyer), (bid.freelancer, to_freelancer)):
        try:
            _send(recipient, compose)
        except Exception:  # one bad address must not stop the other
            logger.exception(
                "Could not e-mail user %s about the expired award of bid %s", recipient.pk, bid.pk
            )
