"""Reads of bids: a job's bids as its buyer sees them (with the bidders' statistics), a freelancer's own bids,
and the counts a freelancer may see of everyone else's (sealed bids: the number, never the amounts).

Every function that takes an id answers ``DoesNotExist`` both for unknown ids and for objects the user may not
see, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from haat.accounts.models import Profile, ProfileLanguage, User
from haat.bids.models import LIVE_STATUSES, Bid, BidStatus
from haat.contracts.models import Contract, ContractStatus
from haat.jobs import permissions
from haat.jobs.models import Job
from haat.ledger.models import MAX_AMOUNT

# Bids the buyer acts on; the others (rejected, declined, expired, lost, closed) are history.
ACTIVE_STATUSES = LIVE_STATUSES

# The buyer's sort orders: name → ordering. Ties fall back to the older bid first.
SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-pk"),
    "amount": ("amount", "created_at", "pk"),
    "delivery": ("delivery_days", "amount", "pk"),
    "completed": ("-completed_contracts", "amount", "pk"),
}
DEFAULT_SORT = "newest"


def _valid_id(value: int) -> bool:
    return 0 < value <= MAX_AMOUNT


def visible_job(user: Any, job_id: int) -> Job:
    """The job, if ``user`` may see it at all (``haat.jobs.permissions.can_view``); else ``Job.DoesNotExist``."""
    if not _valid_id(job_id):
        raise Job.DoesNotExist
    job = Job.objects.select_related("category").get(pk=job_id)
    if not permissions.can_view(user, job):
        raise Job.DoesNotExist
    return job


def job_path(job_id: int) -> str:
    """The address of the job's page (the jobs app's ``job-detail``, which includes the bids panel)."""
    return reverse("jobs:job-detail", args=[job_id])


def bid_count(job: Job) -> int:
    """How many bids the job has had, withdrawn ones not counted (the number every visitor may see)."""
    return Bid.objects.filter(job=job).exclude(status=BidStatus.WITHDRAWN).count()


def pending_award(job: Job) -> Bid | None:
    """The bid awarded and waiting for its freelancer's answer, if any (at most one: a DB constraint)."""
    return Bid.objects.filter(job=job, status=BidStatus.AWARDED).select_related("freelancer__profile").first()


def own_bids_on(user: User, job: Job) -> list[Bid]:
    """The user's bids on the job, the live one (if any) first, then the older ones newest first."""
    bids = list(Bid.objects.filter(job=job, freelancer=user).select_related("job", "contract"))
    return sorted(bids, key=lambda bid: (bid.status not in LIVE_STATUSES, -bid.created_at.timestamp()))


def bids_of_freelancer(user: User) -> QuerySet[Bid]:
    """All the user's bids with their jobs (and contracts), newest first."""
    return (
        Bid.objects.filter(freelancer=user).select_related("job", "contract").order_by("-created_at", "-pk")
    )


def bid_of_freelancer(user: User, bid_id: int) -> Bid:
    """One of the user's own bids; ``Bid.DoesNotExist`` for anyone else's."""
    if not _valid_id(bid_id):
        raise Bid.DoesNotExist
    return bids_of_freelancer(user).get(pk=bid_id)


def bid_for_buyer(user: User, bid_id: int) -> Bid:
    """A bid on one of the user's jobs; ``Bid.DoesNotExist`` for bids on anyone else's job."""
    if not _valid_id(bid_id):
        raise Bid.DoesNotExist
    return Bid.objects.select_related("job", "freelancer__profile", "contract").get(
        pk=bid_id, job__buyer=user
    )


def bid_for_party(user: User, bid_id: int) -> Bid:
    """A bid the user placed, or a bid on the user's job; else ``Bid.DoesNotExist``."""
    if not _valid_id(bid_id):
        raise Bid.DoesNotExist
    return Bid.objects.select_related("job", "freelancer__profile", "contract").get(
        Q(freelancer=user) | Q(job__buyer=user), pk=bid_id
    )


def buyer_job(user: User, job_id: int) -> Job:
    """One of the user's own jobs; ``Job.DoesNotExist`` for anyone else's."""
    if not _valid_id(job_id):
        raise Job.DoesNotExist
    return Job.objects.get(pk=job_id, buyer=user)


def _completed_contracts() -> Coalesce:
    done = (
        Contract.objects.filter(freelancer=OuterRef("freelancer"), status=ContractStatus.COMPLETED)
        .order_by()
        .values("freelancer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(done, output_field=IntegerField()), Value(0))


def bids_on_job(
    job: Job,
    *,
    sort: str = DEFAULT_SORT,
    shortlisted_only: bool = False,
    statuses: Iterable[str] | None = None,
) -> QuerySet[Bid]:
    """The job's bids for its buyer: every status but withdrawn (or only ``statuses``), sorted by ``sort``
    (one of ``SORTS``; unknown names sort newest first). Each bid is annotated with ``completed_contracts``."""
    bids = Bid.objects.filter(job=job).exclude(status=BidStatus.WITHDRAWN)
    if statuses is not None:
        bids = bids.filter(status__in=list(statuses))
    if shortlisted_only:
        bids = bids.filter(shortlisted=True)
    return (
        bids.select_related("job", "freelancer__profile", "contract")
        .annotate(completed_contracts=_completed_contracts())
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )


@dataclass(frozen=True)
class BidderStats:
    """What the buyer sees of a bidder next to the bid.

    ``rating`` (average stars of published reviews as freelancer) and ``on_time_rate`` (share 0–1 of milestones
    first delivered on time) are ``None`` (shown as "—") without data; see ``haat.reputation.ranking``.
    """

    user_id: int
    name: str
    country: str
    english_level: str | None
    english_level_label: str | None
    completed_contracts: int
    on_time_rate: float | None = None
    rating: float | None = None
    ranking_score: int = 0


def bidder_stats(users: Iterable[User | int]) -> dict[int, BidderStats]:
    """Statistics for every given user (or user id), keyed by user id, in a fixed number of queries whatever
    their number: profiles, English levels, then the ranking figures (``haat.reputation.ranking.stats_for``:
    completed contracts, rating, on-time rate, ranking score). The one place bidder statistics are computed."""
    from haat.reputation.ranking import stats_for

    ids = {user if isinstance(user, int) else user.pk for user in users}
    if not ids:
        return {}
    profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=ids).select_related("user")}
    english = {
        row.profile.user_id: row
        for row in ProfileLanguage.objects.filter(profile__user_id__in=ids, language="en").select_related(
            "profile"
        )
    }
    ranking = stats_for(ids)
    stats: dict[int, BidderStats] = {}
    for user_id in ids:
        profile = profiles.get(user_id)
        level = english.get(user_id)
        # Every user gets a profile when the account is created (accounts.signals).
        name, country = (profile.public_name, profile.country) if profile else (f"#{user_id}", "")
        stats[user_id] = BidderStats(
            user_id=user_id,
            name=name,
            country=country,
            english_level=level.level if level else None,
            english_level_label=str(level.get_level_display()) if level else None,
            completed_contracts=ranking[user_id].completed_contracts,
            on_time_rate=ranking[user_id].on_time_rate,
            rating=ranking[user_id].rating,
            ranking_score=ranking[user_id].ranking_score,
        )
    return stats


def with_stats(bids: Iterable[Bid]) -> list[tuple[Bid, BidderStats]]:
    """Pair each bid with its bidder's statistics (three queries for the whole list)."""
    rows = list(bids)
    stats = bidder_stats(bid.freelancer_id for bid in rows)
    return [(bid, stats[bid.freelancer_id]) for bid in rows]
