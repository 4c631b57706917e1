"""Reads of the ranking and the reviews: a user's history of events (what changed their score, by how much,
and why), the reviews a viewer may see (double-blind: unpublished ones only by their author), and the
freelancer directory sorted by ranking score (``haat.reputation.ranking``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from haat.accounts.models import User
from haat.contracts import selectors as contract_selectors
from haat.contracts.models import Contract
from haat.ledger.models import MAX_AMOUNT
from haat.reputation import ranking, services
from haat.reputation.models import RankingEvent, Review
from haat.reputation.ranking import Stats
from haat.reputation.services import MARKER_PREFIX


def history(user: User) -> QuerySet[RankingEvent]:
    """The user's ranking events, newest first, without the 0-point ``marker:`` bookkeeping rows."""
    return (
        RankingEvent.objects.filter(user=user)
        .exclude(key__startswith=MARKER_PREFIX)
        .select_related("contract")
        .order_by("-created_at", "-pk")
    )


# --- Reviews and the directory ---------------------------------------------------------------------------------


def visible_reviews_of_contract(user: User, contract: Contract) -> QuerySet[Review]:
    """The contract's reviews ``user`` (a party; the caller checked) may see: published ones and their own."""
    return (
        Review.objects.filter(contract=contract)
        .filter(Q(published_at__isnull=False) | Q(author=user))
        .filter(Q(hidden_at__isnull=True) | Q(author=user))  # hidden by a moderator: its author only
        .select_related("author__profile", "subject__profile")
        .order_by("created_at", "pk")
    )


def contract_reviews(user: User, contract_id: int) -> tuple[Contract, QuerySet[Review]]:
    """One of the user's contracts and the reviews on it they may see; ``Contract.DoesNotExist`` otherwise."""
    contract = contract_selectors.contract_of(user, contract_id)
    return contract, visible_reviews_of_contract(user, contract)


def public_user(user_id: int) -> User:
    """An active user by id, for public pages; ``User.DoesNotExist`` otherwise."""
    if not 0 < user_id <= MAX_AMOUNT:
        raise User.DoesNotExist
    return User.objects.select_related("profile").get(pk=user_id, is_active=True)


def published_reviews_of(user_id: int) -> QuerySet[Review]:
    """The published reviews a user received (as freelancer or buyer), newest first."""
    return (
        Review.objects.filter(subject_id=user_id, published_at__isnull=False)
        .select_related("author__profile", "contract__job")
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class ReviewSection:
    """What the contract page shows about reviews to one party."""

    own: Review | None
    other: Review | None  # the other side's review, only once published
    other_hidden: bool  # the other side has reviewed, but it is still blind
    refusal: str | None  # why the user may not review now (None: the form is shown)
    deadline: dt.datetime | None


def review_section(user: User, contract: Contract) -> ReviewSection:
    """The review panel of the contract page for ``user`` (a party; the caller checked)."""
    own: Review | None = None
    other: Review | None = None
    other_hidden = False
    for review in Review.objects.filter(contract=contract).select_related("author__profile"):
        if review.author_id == user.pk:
            own = review
        elif review.published_at is not None:
            other = review
        else:
            other_hidden = True
    return ReviewSection(
        own=own,
        other=other,
        other_hidden=other_hidden,
        refusal=services.review_refusal(user, contract),
        deadline=services.review_deadline(contract),
    )


@dataclass(frozen=True)
class DirectoryEntry:
    user: User
    stats: Stats


def _freelancer_candidates(skill: str = "", country: str = "") -> QuerySet[User]:
    """Active users who work as freelancers: with a skill on their profile or a contract as the freelancer."""
    users = User.objects.filter(is_active=True).filter(
        Q(profile__skills__isnull=False) | Q(contracts_as_freelancer__isnull=False)
    )
    if skill:
        users = users.filter(profile__skills__slug=skill)
    if country:
        users = users.filter(profile__country=country.upper())
    return users.distinct()


def directory(*, skill: str = "", country: str = "") -> list[DirectoryEntry]:
    """The freelancer directory: every freelancer (filtered by a skill slug and a country code), best ranking
    score first, then more completed contracts, then the longest-standing member. Six queries whatever the
    number of freelancers (the score is computed for all of them, then sorted)."""
    users = list(_freelancer_candidates(skill, country).select_related("profile").order_by("pk"))
    stats = ranking.stats_for(users)
    entries = [DirectoryEntry(user=u, stats=stats[u.pk]) for u in users]
    entries.sort(key=lambda e: (-e.stats.ranking_score, -e.stats.completed_contracts, e.user.pk))
    return entries
