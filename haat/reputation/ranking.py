"""The ranking score, in the spirit of Rent-A-Coder's, computed from the data (no stored totals to recompute).

For a user ``u``::

    score(u) = round( Σ over contracts c completed with u as the freelancer:
                          amount(c) × adjusted_rating(c)
                        + (amount(c) / 10  if every delivery of c was on time, else 0) )
               + Σ points of u's RankingEvents            (−1000 for each missed weekly status report,
                                                             −2000 for each dispute decided against u)

    amount(c)          = c.price / 100: the contract's price in major units of its own currency, taken as is.
                         There is no currency conversion on the site, so 100 BDT and 100 USD weigh the same.
    adjusted_rating(c) = (average of the buyer's three stars on c − 3) / 2
                         = (quality + communication + deadlines − 9) / 6
                         so 5 stars → +1, 3 stars → 0, 1 star → −1; no *published* buyer review yet → 0
                         (an unpublished review stays secret, double-blind, so it cannot move the score).
    on-time bonus      = 10 % of the amount (not of the rated term): a contract with at least one delivery and
                         none of them late (a contract with no delivery on the site earns no bonus).

A dispute is *decided against* a side when an arbiter gives it less than half of the amount in dispute
(``haat.disputes.services.decided_against``); it costs that side ``HAAT_DISPUTE_LOST_PENALTY`` (2000) points,
buyer or freelancer, once per dispute. A dispute settled by the two sides' agreement, withdrawn, or split
exactly in half counts against nobody.

The sum is exact (fractions) and rounded to the nearest whole point at the end (ties to even).

Alongside: ``rating`` — the average over published reviews the user received *as the freelancer* of each
review's mean of its three stars (``None`` with none); ``on_time_rate`` — the share of the user's milestones
(as freelancer, any contract status) whose first delivery was not late (``None`` when nothing was delivered);
``completed_contracts`` — as the freelancer.

``stats_for(users)`` computes all of it for any number of users in five queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Q, Sum

from haat.accounts.models import User
from haat.contracts.models import Contract, ContractStatus, Delivery
from haat.reputation.models import RankingEvent, Review

ON_TIME_BONUS = Fraction(1, 10)


@dataclass(frozen=True)
class Stats:
    """A user's ranking figures (as a freelancer)."""

    user_id: int
    ranking_score: int = 0
    contract_points: int = 0  # the contracts' part of the score, rounded
    event_points: int = 0  # the RankingEvents' part (penalties)
    rating: float | None = None
    review_count: int = 0
    on_time_rate: float | None = None
    completed_contracts: int = 0


def _ids(users: Iterable[User | int]) -> set[int]:
    return {user if isinstance(user, int) else user.pk for user in users}


def stats_for(users: Iterable[User | int]) -> dict[int, Stats]:
    """Ranking figures for every given user (or id), keyed by user id, in five queries whatever their number."""
    ids = _ids(users)
    if not ids:
        return {}
    contracts = list(
        Contract.objects.filter(freelancer_id__in=ids, status=ContractStatus.COMPLETED)
        .order_by()
        .values_list("pk", "freelancer_id", "price")
    )
    # Published reviews of the freelancer by the buyer (rating and the adjusted rating of each contract).
    reviews = list(
        Review.objects.filter(
            subject_id__in=ids, published_at__isnull=False, contract__freelancer_id=F("subject_id")
        )
        .order_by()
        .values_list("contract_id", "subject_id", "quality", "communication", "deadlines")
    )
    # Completed contracts with at least one delivery → how many of their deliveries were late.
    late_by_contract = dict(
        Delivery.objects.filter(
            milestone__contract__freelancer_id__in=ids,
            milestone__contract__status=ContractStatus.COMPLETED,
        )
        .order_by()
        .values("milestone__contract_id")
        .annotate(late=Count("pk", filter=Q(is_late=True)))
        .values_list("milestone__contract_id", "late")
    )
    first_deliveries = dict(
        (row[0], (row[1], row[2]))
        for row in Delivery.objects.filter(milestone__contract__freelancer_id__in=ids, version=1)
        .order_by()
        .values("milestone__contract__freelancer_id")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
        .values_list("milestone__contract__freelancer_id", "total", "late")
    )
    events = dict(
        RankingEvent.objects.filter(user_id__in=ids)
        .order_by()
        .values("user_id")
        .annotate(total=Sum("points"))
        .values_list("user_id", "total")
    )

    stars_of_contract: dict[int, int] = {}
    star_sums: dict[int, Fraction] = defaultdict(Fraction)
    review_counts: dict[int, int] = defaultdict(int)
    for contract_id, subject_id, quality, communication, deadlines in reviews:
        stars = quality + communication + deadlines
        stars_of_contract[contract_id] = stars
        star_sums[subject_id] += Fraction(stars, 3)
        review_counts[subject_id] += 1

    points: dict[int, Fraction] = defaultdict(Fraction)
    completed: dict[int, int] = defaultdict(int)
    for contract_id, freelancer_id, price in contracts:
        amount = Fraction(price, 100)
        given = stars_of_contract.get(contract_id)
        if given is not None:
            points[freelancer_id] += amount * Fraction(given - 9, 6)
        if late_by_contract.get(contract_id) == 0:
            points[freelancer_id] += amount * ON_TIME_BONUS
        completed[freelancer_id] += 1

    result: dict[int, Stats] = {}
    for user_id in ids:
        contract_points = round(points[user_id])
        event_points = int(events.get(user_id) or 0)
        count = review_counts[user_id]
        delivered, late = first_deliveries.get(user_id, (0, 0))
        result[user_id] = Stats(
            user_id=user_id,
            ranking_score=contract_points + event_points,
            contract_points=contract_points,
            event_points=event_points,
            rating=float(star_sums[user_id] / count) if count else None,
            review_count=count,
            on_time_rate=(delivered - late) / delivered if delivered else None,
            completed_contracts=completed[user_id],
        )
    return result


def _one(user: User | int) -> Stats:
    return stats_for([user])[user if isinstance(user, int) else user.pk]


def ranking_score(user: User | int) -> int:
    """The user's ranking score (see the module docstring)."""
    return _one(user).ranking_score


def on_time_rate(user: User | int) -> float | None:
    """The share (0–1) of the user's milestones whose first delivery was not late; ``None`` with none."""
    return _one(user).on_time_rate


def rating(user: User | int) -> float | None:
    """The average (1–5) of the published reviews the user received as freelancer; ``None`` with none."""
    return _one(user).rating
