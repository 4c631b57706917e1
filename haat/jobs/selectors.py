"""Reads of the work catalogue, job search (one selector for PostgreSQL and SQLite) and saved filters."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from haat.accounts.models import User
from haat.bids.models import Bid, BidStatus
from haat.jobs import search
from haat.jobs.models import (
    Category,
    Job,
    JobInvitation,
    JobStatus,
    NdaAcceptance,
    SavedFilter,
    Skill,
    Visibility,
)


def category_tree() -> QuerySet[Category]:
    """Top-level categories with their sub-categories prefetched (two queries)."""
    return Category.objects.filter(parent__isnull=True).prefetch_related(
        Prefetch("children", queryset=Category.objects.order_by("position", "name"))
    )


def skills(*, category_slug: str | None = None, query: str | None = None) -> QuerySet[Skill]:
    """Skills, optionally within one category (a top category includes its sub-categories)."""
    result = Skill.objects.select_related("category")
    if category_slug:
        result = result.filter(category__slug=category_slug) | result.filter(
            category__parent__slug=category_slug
        )
    if query:
        result = result.filter(name__icontains=query) | result.filter(name_bn__icontains=query)
    return result.order_by("name").distinct()


# --- Job search -----------------------------------------------------------------------------------------------

# Jobs that appear in lists and search: published, whatever happened since.
LISTED_STATUSES = (JobStatus.OPEN, JobStatus.AWARDED, JobStatus.CLOSED)
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class JobSearchResult:
    """One page of a job search. ``jobs`` carry ``bid_count`` (bids not withdrawn), ``details_visible``
    (may this viewer read the description) and, when searching by keyword, ``rank``. ``facets`` counts the
    matches per category slug, with every filter applied except the category itself; a top-level category
    counts the jobs of all its sub-categories."""

    jobs: Sequence[Job]
    count: int
    facets: dict[str, int]


def _viewer_id(viewer: User | None) -> int | None:
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def readable_rule(viewer: User | None) -> Q:
    """Jobs whose description and files ``viewer`` may read: not confidential, their own, or NDA accepted."""
    rule = Q(is_confidential=False)
    viewer_id = _viewer_id(viewer)
    if viewer_id is not None:
        rule |= Q(buyer_id=viewer_id) | Q(
            Exists(NdaAcceptance.objects.filter(job_id=OuterRef("pk"), user_id=viewer_id))
        )
    return rule


def listed_jobs(viewer: User | None) -> QuerySet[Job]:
    """Published jobs ``viewer`` may find: public ones, invite-only ones they are invited to, and their own."""
    rule = Q(visibility=Visibility.PUBLIC)
    viewer_id = _viewer_id(viewer)
    if viewer_id is not None:
        rule |= Q(buyer_id=viewer_id) | Q(
            Exists(JobInvitation.objects.filter(job_id=OuterRef("pk"), freelancer_id=viewer_id))
        )
    # Jobs hidden by a moderator are not listed, not even to their buyer (their page says why).
    return Job.objects.filter(rule, status__in=LISTED_STATUSES, hidden_at__isnull=True)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def matching_jobs(
    viewer: User | None, params: search.SearchParams, *, by_category: bool = True
) -> QuerySet[Job]:
    """Every job ``viewer`` may find that matches ``params`` (unordered). A confidential job's description is
    searched only when the viewer may read it; otherwise only its title."""
    jobs = listed_jobs(viewer)
    terms = params.terms
    if terms:
        match = search.keyword_match(terms)
        jobs = jobs.alias(**search.search_aliases()).filter(match.everything)
        # The cheap column test first: PostgreSQL evaluates OR from the left, and the title match re-parses text.
        jobs = jobs.filter(readable_rule(viewer) | match.title)
    if by_category and params.category:
        # The category and its sub-categories as ids (a tiny query): the planner can estimate
        # ``category_id IN (…)`` from its statistics, not an OR across a join, and picks a sensible plan.
        chosen = Category.objects.filter(Q(slug=params.category) | Q(parent__slug=params.category))
        jobs = jobs.filter(category_id__in=list(chosen.values_list("pk", flat=True)))
    if params.skills:
        tagged = Job.skills.through.objects.filter(job_id=OuterRef("pk"), skill__slug__in=params.skills)
        jobs = jobs.filter(Exists(tagged))
    if params.currency:
        jobs = jobs.filter(currency=params.currency)
    if params.budget_min is not None:
        jobs = jobs.filter(budget_max__gte=params.budget_min)
    if params.budget_max is not None:
        jobs = jobs.filter(budget_min__lte=params.budget_max)
    if params.posted_since is not None:
        jobs = jobs.filter(published_at__gte=_start_of(params.posted_since))
    if params.open_only:
        jobs = jobs.filter(status=JobStatus.OPEN, bidding_closes_at__gt=timezone.now())
    if params.confidential is not None:
        jobs = jobs.filter(is_confidential=params.confidential)
    return jobs


def _bid_count() -> Coalesce:
    live = (
        Bid.objects.filter(job_id=OuterRef("pk"))
        .exclude(status=BidStatus.WITHDRAWN)
        .order_by()
        .values("job_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(live, output_field=IntegerField()), Value(0))


def category_facets(jobs: QuerySet[Job]) -> dict[str, int]:
    """Matches per category slug; a top-level category also counts its sub-categories' jobs (one query)."""
    return _facets_and_total(jobs)[0]


def _facets_and_total(jobs: QuerySet[Job]) -> tuple[dict[str, int], int]:
    facets: dict[str, int] = {}
    total = 0
    rows = jobs.order_by().values_list("category__slug", "category__parent__slug").annotate(n=Count("pk"))
    for slug, parent_slug, n in rows:
        total += n
        facets[slug] = facets.get(slug, 0) + n
        if parent_slug:
            facets[parent_slug] = facets.get(parent_slug, 0) + n
    return facets, total


# Counts of large result sets are kept this long (seconds): counting a hundred thousand matches costs more
# than the rest of the request, and nobody can tell 52,301 from 52,298. Small result sets are always counted
# afresh, so a search with few matches is exact at once.
FACET_CACHE_SECONDS = 60
FACET_CACHE_MIN_MATCHES = 1000


def _count_and_facets(viewer: User | None, params: search.SearchParams) -> tuple[int, dict[str, int]]:
    """The number of matches and the category facets, from one grouped query (the count is the facet of the
    chosen category, or the sum of all of them), cached for ``FACET_CACHE_SECONDS`` when there are many."""
    key_source = json.dumps(
        [_viewer_id(viewer), {**params.to_dict(), "sort": ""}], sort_keys=True, default=str
    ).encode()
    key = "jobs:facets:" + hashlib.sha256(key_source).hexdigest()
    cached = cache.get(key)
    if cached is None:
        facets, total = _facets_and_total(matching_jobs(viewer, params, by_category=False))
        cached = (facets, total)
        if total >= FACET_CACHE_MIN_MATCHES:
            cache.set(key, cached, FACET_CACHE_SECONDS)
    facets, total = cached
    # The category filter matches a job whose category or parent category is the chosen one: its facet.
    count = facets.get(params.category, 0) if params.category else total
    return count, facets


def search_jobs(
    viewer: User | None, params: search.SearchParams, *, limit: int = 20, offset: int = 0
) -> JobSearchResult:
    """One page of the jobs ``viewer`` may find that match ``params``, the total and the category facets.

    The same on PostgreSQL and SQLite (see ``haat.jobs.search``). Four queries whatever the page size: the
    page's ids, its rows, their skills, and the facets with the count (one cache read instead when many jobs match; see
    ``FACET_CACHE_SECONDS``).
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    matches = matching_jobs(viewer, params)
    readable = readable_rule(viewer)
    # Listed jobs are all published (never NULL here): a plain DESC lets PostgreSQL read the newest first from
    # the (status, published_at) index instead of sorting every match (NULLS LAST cannot use it).
    newest = [F("published_at").desc(), F("pk").desc()]
    page = (
        matches.select_related("category", "category__parent")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name")))
        .annotate(
            bid_count=_bid_count(),
            details_visible=Case(When(readable, then=Value(True)), default=Value(False)),
        )
    )
    order: list[Any] = newest
    terms = params.terms
    if terms:
        match = search.keyword_match(terms)
        page = page.annotate(
            rank=Case(When(readable, then=match.rank), default=match.title_rank, output_field=FloatField())
        )
        if params.sort == search.Sort.RELEVANCE:
            order = [F("rank").desc(nulls_last=True), *newest]
    if params.sort == search.Sort.BUDGET_HIGH:
        order = [F("budget_max").desc(), *newest]
    elif params.sort == search.Sort.BUDGET_LOW:
        order = [F("budget_min").asc(), *newest]
    elif params.sort == search.Sort.FEWEST_BIDS:
        order = [F("bid_count").asc(), *newest]
    by_annotation = params.sort == search.Sort.FEWEST_BIDS or (params.sort == search.Sort.RELEVANCE and terms)
    if by_annotation:
        jobs = list(page.order_by(*order)[offset : offset + limit])
    else:
        # Pick the page's ids by the sort columns alone, then load those rows with their bid counts and ranks:
        # PostgreSQL computes the select list for every row an OFFSET skips, so a deep page would otherwise
        # count the bids (and rank the text) of thousands of jobs it then throws away.
        ids = list(matches.order_by(*order).values_list("pk", flat=True)[offset : offset + limit])
        rows = {job.pk: job for job in page.filter(pk__in=ids)}
        jobs = [rows[pk] for pk in ids if pk in rows]
    count, facets = _count_and_facets(viewer, params)
    return JobSearchResult(jobs=jobs, count=count, facets=facets)


# --- Saved filters --------------------------------------------------------------------------------------------


def saved_filters_of(user: User) -> QuerySet[SavedFilter]:
    """The user's saved filters, newest first."""
    return SavedFilter.objects.filter(user=user)


def saved_filter_of(user: User, filter_id: int) -> SavedFilter:
    """One of the user's saved filters; ``SavedFilter.DoesNotExist`` for anyone else's."""
    if not 0 < filter_id < 2**63:
        raise SavedFilter.DoesNotExist
    return SavedFilter.objects.get(pk=filter_id, user=user)
