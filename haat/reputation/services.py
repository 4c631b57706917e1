"""Every write to the ranking and the reviews.

Ranking events: one ``RankingEvent`` per cause, with its points and its reason (penalties such as the
−1000 for a missed weekly status report). ``score`` is the plain sum of a user's event points; the full
ranking score (contracts × adjusted rating, on-time bonus, plus these events) is computed from the data by
``haat.reputation.ranking`` — nothing stored there needs recomputing.

Each event has a unique ``key`` naming its cause (``missed-report:<contract>:<week>``), so applying the same
cause twice (a task run twice, two workers racing) records it once: the second call returns the first event.
Keys starting with ``marker:`` carry 0 points and only remember that something happened once (a reminder
e-mail that went out); the public history hides them.

Reviews: after a contract is *completed*, each party may review the other once, within
``REVIEW_WINDOW_DAYS`` of the contract's end. Double-blind: a review is unpublished (visible to its author
only) until the other side's review arrives — then both are published together — or until
``BLIND_DAYS`` after it was written (``publish_blind_reviews``, a periodic task). The rules, per contract and
author, as one table (``REVIEW_RULES``: contract status → may review)::

    contract completed, ended ≤ 60 days ago, no review by this author ──leave_review──▶ review (unpublished)
        └── the other side's review already exists ─────────────────────────────────▶ both published now
    unpublished review older than 14 days ──publish_blind_reviews (task)────────────▶ published
    anything else (not completed, a second review, after 60 days) ─────────────────▶ ReviewStateError (409)
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haat.accounts.models import Profile, User
from haat.contracts.models import Contract, ContractStatus
from haat.ledger.models import MAX_AMOUNT
from haat.moderation import services as moderation
from haat.reputation.models import RankingEvent, Review

logger = logging.getLogger(__name__)

MARKER_PREFIX = "marker:"
_KEY_LENGTH = RankingEvent._meta.get_field("key").max_length or 120
_REASON_LENGTH = RankingEvent._meta.get_field("reason").max_length or 300


def record_event_once(
    *, user: User, points: int, reason: str, key: str, contract: Contract | None = None
) -> tuple[RankingEvent, bool]:
    """Like ``record_event``, and also say whether this call created the event (``False`` for a replay)."""
    if isinstance(points, bool) or not isinstance(points, int):
        raise ValidationError({"points": _("Points must be a whole number.")})
    if not key or len(key) > _KEY_LENGTH:
        raise ValidationError(
            {"key": _("A ranking event needs a key of at most %(n)d characters.") % {"n": _KEY_LENGTH}}
        )
    reason = reason.strip()[:_REASON_LENGTH]
    if not reason:
        raise ValidationError({"reason": _("A ranking event needs a reason.")})
    with transaction.atomic():
        existing = RankingEvent.objects.filter(key=key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    event = RankingEvent.objects.create(
                        user=user, points=points, reason=reason, key=key, contract=contract
                    )
                return event, True
            except IntegrityError:
                # A concurrent call inserted the same key first: it wins, this call is its replay.
                existing = RankingEvent.objects.get(key=key)
        if existing.user_id != user.pk or existing.points != points:
            raise ValidationError({"key": _("This ranking key was already used for a different event.")})
        return existing, False


def record_event(
    *, user: User, points: int, reason: str, key: str, contract: Contract | None = None
) -> RankingEvent:
    """Record ``points`` (negative for a penalty) for ``user`` with a human ``reason``, once per ``key``.

    One transaction. A second call with the same key changes nothing and returns the first event; the same key
    with a different user or different points is refused with ``ValidationError`` (a programming error: keys
    name one cause). Racing inserts are settled by the unique ``key`` column: the loser returns the winner's
    event. The reason is stored as given (callers write it in the site's default language) and cut to 300
    characters.
    """
    return record_event_once(user=user, points=points, reason=reason, key=key, contract=contract)[0]


def score(user: User) -> int:
    """The user's ranking score: the sum of their events' points (0 with no events).

    The reviews part replaces the inputs, not the rule: every contribution to the score is an event.
    """
    total = RankingEvent.objects.filter(user=user).aggregate(total=Sum("points"))["total"]
    return int(total or 0)


# --- Reviews --------------------------------------------------------------------------------------------------

REVIEW_WINDOW_DAYS = 60
BLIND_DAYS = 14
MAX_REVIEW_LENGTH = 5000
STAR_FIELDS = ("quality", "communication", "deadlines")

# Contract status → whether its parties may review each other (within the window, once each).
REVIEW_RULES: dict[str, bool] = {
    ContractStatus.AWAITING_FUNDING: False,
    ContractStatus.ACTIVE: False,
    ContractStatus.COMPLETED: True,
    ContractStatus.CANCELLED: False,
    ContractStatus.DISPUTED: False,
}


class ReviewStateError(ValidationError):
    """The contract does not take this review now (not completed, already reviewed, too late): the API's 409."""


def _stars(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError({field: _("Give 1 to 5 stars.")})
    return value


def _review_text(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise ValidationError({"text": _("The review must be text.")})
    if len(text) > MAX_REVIEW_LENGTH:
        raise ValidationError({"text": _("At most %(n)d characters, please.") % {"n": MAX_REVIEW_LENGTH}})
    if "\0" in text:
        raise ValidationError({"text": _("This text contains characters that are not allowed.")})
    return text


def review_deadline(contract: Contract) -> dt.datetime | None:
    """The last moment a review of ``contract`` may be left (``None`` while it has not ended)."""
    if contract.ended_at is None:
        return None
    return contract.ended_at + dt.timedelta(days=REVIEW_WINDOW_DAYS)


def review_refusal(user: User, contract: Contract, *, now: dt.datetime | None = None) -> str | None:
    """Why ``user`` (a party) may not review ``contract`` now, or ``None`` (pages use it to show the form)."""
    now = now or timezone.now()
    if not REVIEW_RULES.get(contract.status, False):
        return _("Reviews open once the contract is completed.")
    deadline = review_deadline(contract)
    if deadline is not None and now > deadline:
        return _("The %(days)d days for reviews of this contract have passed.") % {"days": REVIEW_WINDOW_DAYS}
    if Review.objects.filter(contract=contract, author=user).exists():
        return _("You have already reviewed this contract.")
    return None


def leave_review(
    *,
    user: User,
    contract_id: int,
    quality: object,
    communication: object,
    deadlines: object,
    text: object = "",
) -> Review:
    """Leave ``user``'s one review of the other party of a completed contract, and return it.

    One transaction; the contract row is locked so the two sides' reviews are settled one after the other.
    Stars are whole numbers 1–5 and the text at most 5000 characters (``ValidationError`` keyed by field).
    ``Contract.DoesNotExist`` for unknown contracts and for those the user is not a party to;
    ``ReviewStateError`` when the contract is not completed, the 60 days are over, or the user already
    reviewed it. When the other side's review is already in, both are published now; otherwise this one stays
    hidden from everyone but its author until then or for ``BLIND_DAYS``. The reviewed party is e-mailed after
    commit (without the review's content while it is hidden).
    """
    if isinstance(contract_id, bool) or not isinstance(contract_id, int) or not 0 < contract_id <= MAX_AMOUNT:
        raise Contract.DoesNotExist
    moderation.ensure_not_suspended(user)
    stars = {
        field: _stars(value, field)
        for field, value in zip(STAR_FIELDS, (quality, communication, deadlines), strict=True)
    }
    clean_text = _review_text(text)
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(
            Q(buyer=user) | Q(freelancer=user), pk=contract_id
        )
        now = timezone.now()
        reason = review_refusal(user, contract, now=now)
        if reason is not None:
            raise ReviewStateError({"contract": reason})
        subject_id = contract.freelancer_id if user.pk == contract.buyer_id else contract.buyer_id
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    contract=contract, author=user, subject_id=subject_id, text=clean_text, **stars
                )
        except IntegrityError as exc:
            raise ReviewStateError({"contract": _("You have already reviewed this contract.")}) from exc
        # Lock the other side's hidden review (if any) before publishing it with this one.
        hidden = list(
            Review.objects.select_for_update()
            .filter(contract=contract, published_at__isnull=True)
            .exclude(pk=review.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if hidden or Review.objects.filter(contract=contract).exclude(pk=review.pk).exists():
            Review.objects.filter(pk__in=[review.pk, *hidden]).update(published_at=now)
            review.published_at = now
        transaction.on_commit(lambda: _mail_review(review.pk))
    return review


def publish_blind_reviews(*, now: dt.datetime | None = None) -> int:
    """Publish every review still hidden ``BLIND_DAYS`` after it was written; return how many were published.

    Idempotent: only unpublished reviews are touched, so a second run (or a concurrent one) publishes nothing.
    One transaction; the rows are locked in id order before they change.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=BLIND_DAYS)
    with transaction.atomic():
        ids = list(
            Review.objects.select_for_update()
            .filter(published_at__isnull=True, created_at__lte=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        return Review.objects.filter(pk__in=ids, published_at__isnull=True).update(published_at=now)


def _mail_review(review_id: int) -> None:
    review = Review.objects.select_related("contract__job", "author__profile", "subject__profile").get(
        pk=review_id
    )
    recipient = review.subject
    profile = Profile.objects.filter(user=recipient).first()
    language = profile.language if profile else settings.LANGUAGE_CODE
    link = str(settings.HAAT_BASE_URL).rstrip("/") + reverse(
        "contracts:contract-detail", args=[review.contract_id]
    )
    try:
        with translation.override(language):
            values = {
                "name": review.author.profile.public_name,
                "job": review.contract.job.title,
                "link": link,
                "days": BLIND_DAYS,
            }
            subject = _("%(name)s reviewed your work together on “%(job)s”") % values
            if review.published_at is not None:
                body = _("Both reviews are in and now public: %(link)s") % values
            else:
                body = (
                    _(
                        "Reviews are double-blind: you will see it once you have left yours, or in %(days)d days. "
                        "Leave your review here: %(link)s"
                    )
                    % values
                )
            send_mail(
                subject,
                body + "\n\n" + _("— %(site)s") % {"site": settings.HAAT_SITE_NAME},
                None,
                [recipient.email],
            )
    except Exception:  # an e-mail failure must not undo or hide the review
        logger.exception("Could not e-mail user %s about review %s", recipient.pk, review_id)
