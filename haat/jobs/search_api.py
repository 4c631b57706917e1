"""API: GET /jobs (search, filters, facets) on the jobs router, and saved filters.

``GET /jobs`` is open to everyone; signed-in callers (token or session) also find the invite-only jobs they
are invited to and their own, and read the descriptions of confidential jobs whose NDA they accepted.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem, session_auth, token_auth
from haat.jobs import search, selectors
from haat.jobs.job_api import router as jobs_router
from haat.jobs.models import Category, Job, SavedFilter, Skill

router = Router(tags=["saved filters"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
Slug = Annotated[str, StringConstraints(max_length=100)]
SortOrder = Literal["newest", "relevance", "budget_high", "budget_low", "fewest_bids"]


def _anonymous(request: HttpRequest) -> AnonymousUser | None:
    """Let callers without credentials in as anonymous; a bad bearer token still gets 401."""
    return None if request.headers.get("Authorization") else AnonymousUser()


OPTIONAL_AUTH = [token_auth, session_auth, _anonymous]


class JobFilter(Schema):
    """A job search. Amounts are minor units (cents, paisa) of ``currency``."""

    q: Annotated[str, StringConstraints(max_length=search.MAX_QUERY_LENGTH)] = Field(
        "", description="Keywords, in any language; every word must occur (as a word or the start of one)."
    )
    category: Slug = Field("", description="Category slug; a top-level category includes its sub-categories.")
    skills: list[Slug] = Field(
        default_factory=list,
        description="Skill slugs; jobs with any of them match. Repeat the parameter or separate by commas.",
    )
    budget_min: int | None = Field(None, description="Jobs whose budget reaches at least this (minor units).")
    budget_max: int | None = Field(
        None, description="Jobs whose budget starts at most at this (minor units)."
    )
    currency: Annotated[str, StringConstraints(max_length=3)] = Field(
        "", description="ISO 4217 code; needed with a budget.", examples=["USD"]
    )
    posted_since: date | None = Field(None, description="Jobs published on or after this day.")
    open_only: bool = Field(True, description="Only jobs still taking bids.")
    confidential: bool | None = Field(None, description="Only confidential (true) or only open (false) jobs.")
    sort: SortOrder = "newest"


class JobSearchQuery(JobFilter):
    limit: int = Field(20, ge=1, le=selectors.MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=1_000_000)


class CategoryRef(Schema):
    slug: str
    name: str
    name_bn: str
    parent: str | None = Field(description="Slug of the top-level category, if this is a sub-category.")

    @staticmethod
    def resolve_parent(obj: Category) -> str | None:
        return obj.parent.slug if obj.parent else None


class JobSkillRef(Schema):
    slug: str
    name: str
    name_bn: str


class JobSummary(Schema):
    id: int
    title: str
    description: str | None = Field(
        description="Markdown; null for a confidential job until you accept its NDA."
    )
    details_visible: bool = Field(description="Whether you may read the description and attachments.")
    category: CategoryRef
    skills: list[JobSkillRef]
    budget_min: int = Field(description="Minor units.")
    budget_max: int = Field(description="Minor units.")
    currency: str
    deadline: datetime
    bidding_closes_at: datetime
    published_at: datetime | None
    status: str
    visibility: str
    is_confidential: bool
    bid_count: int = Field(description="Bids not withdrawn.")

    @staticmethod
    def resolve_description(obj: Job) -> str | None:
        return obj.description if getattr(obj, "details_visible", False) else None

    @staticmethod
    def resolve_skills(obj: Job) -> list[Skill]:
        return list(obj.skills.all())


class JobSearchOut(Schema):
    items: list[JobSummary]
    count: int = Field(description="Matches in all pages.")
    limit: int
    offset: int
    facets: dict[str, int] = Field(
        description="Matches per category slug with every filter applied except the category; a top-level "
        "category counts its sub-categories' jobs."
    )


class SavedFilterIn(Schema):
    name: Annotated[str, StringConstraints(max_length=search.MAX_FILTER_NAME_LENGTH + 100)]
    params: JobFilter | None = Field(None, description="The search; left out, every open job matches.")
    email_digest: bool = Field(True, description="E-mail me the new matches once a day.")


class SavedFilterOut(Schema):
    id: int
    name: str
    params: dict[str, Any]
    email_digest: bool
    created_at: datetime
    last_digest_at: datetime | None


def _viewer(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else None


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@jobs_router.get(
    "/jobs",
    response={200: JobSearchOut, **INPUT_ERRORS, 401: Problem},
    auth=OPTIONAL_AUTH,
    summary="Search jobs: keywords, filters, sorting, category facets and pagination",
    # Credentials are optional here (the empty requirement): they only widen what you may find.
    openapi_extra={"security": [{}]},
)
def search_jobs(request: HttpRequest, filters: Query[JobSearchQuery]) -> dict[str, Any]:
    data = filters.dict()
    limit, offset = data.pop("limit"), data.pop("offset")
    params = search.clean_params(data)
    result = selectors.search_jobs(_viewer(request), params, limit=limit, offset=offset)
    return {
        "items": result.jobs,
        "count": result.count,
        "limit": limit,
        "offset": offset,
        "facets": result.facets,
    }


@router.get(
    "/me/saved-filters",
    response={200: list[SavedFilterOut], **AUTH_ERRORS},
    summary="Your saved job filters, newest first",
)
@paginate(LimitOffsetPagination)
def list_saved_filters(request: HttpRequest) -> QuerySet[SavedFilter]:
    return selectors.saved_filters_of(_user(request))


@router.post(
    "/me/saved-filters",
    response={201: SavedFilterOut, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Save a job filter (optionally with a daily e-mail of new matches)",
)
def create_saved_filter(request: HttpRequest, payload: SavedFilterIn) -> Status:
    saved = search.save_filter(
        user=_user(request),
        name=payload.name,
        params=payload.params.dict() if payload.params else {},
        email_digest=payload.email_digest,
    )
    return Status(201, saved)


@router.delete(
    "/me/saved-filters/{filter_id}",
    response={204: None, **NOT_FOUND, **AUTH_ERRORS},
    summary="Delete one of your saved filters",
)
def delete_saved_filter(request: HttpRequest, filter_id: int) -> Status:
    search.delete_saved_filter(user=_user(request), filter_id=filter_id)
    return Status(204, None)
