"""Every write to the ranking: one ``RankingEvent`` per cause, with its points and its reason.

The score is, for now, the plain sum of a user's event points (``score``). The full ranking formula in the
spirit of Rent-A-Coder's — the sum over completed contracts of the amount times an adjusted rating, extended
with on-time delivery, minus 1000 for each missed status report — comes with the reviews part; it will add
its own events here (one per completed contract and review), so the history stays a list of reasons and the
score stays their sum.

Each event has a unique ``key`` naming its cause (``missed-report:<contract>:<week>``), so applying the same
cause twice (a task run twice, two workers racing) records it once: the second call returns the first event.
Keys starting with ``marker:`` carry 0 points and only remember that something happened once (a reminder
e-mail that went out); the public history hides them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.contracts.models import Contract
from haat.reputation.models import RankingEvent

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
