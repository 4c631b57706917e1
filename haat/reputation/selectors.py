"""Reads of the ranking: a user's history of events (what changed their score, by how much, and why)."""

from __future__ import annotations

from django.db.models import QuerySet

from haat.accounts.models import User
from haat.reputation.models import RankingEvent
from haat.reputation.services import MARKER_PREFIX


def history(user: User) -> QuerySet[RankingEvent]:
    """The user's ranking events, newest first, without the 0-point ``marker:`` bookkeeping rows."""
    return (
        RankingEvent.objects.filter(user=user)
        .exclude(key__startswith=MARKER_PREFIX)
        .select_related("contract")
        .order_by("-created_at", "-pk")
    )
