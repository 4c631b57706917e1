"""API of the reputation app: reviews (double-blind) and the freelancer directory sorted by ranking score.

Other people's contracts answer 404 like unknown ids; a review the contract does not take now (not completed,
already reviewed, after 60 days) answers 409.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StrictInt

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.reputation import selectors, services
from haat.reputation.models import Review

router = Router(tags=["reputation"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}


class ReviewIn(Schema):
    quality: StrictInt = Field(description="Stars for the quality of the work, 1–5.")
    communication: StrictInt = Field(description="Stars for communication, 1–5.")
    deadlines: StrictInt = Field(description="Stars for keeping deadlines, 1–5.")
    text: str = Field("", description="At most 5000 characters.")


class ReviewOut(Schema):
    id: int
    contract_id: int
    author_id: int
    author_name: str
    subject_id: int
    quality: int
    communication: int
    deadlines: int
    text: str
    created_at: datetime
    published_at: datetime | None = Field(
        description="When it became public; null while double-blind (then only its author sees it)."
    )

    @staticmethod
    def resolve_author_name(obj: Review) -> str:
        return obj.author.profile.public_name


class FreelancerOut(Schema):
    id: int
    name: str
    headline: str
    country: str
    ranking_score: int
    rating: float | None = Field(description="Average stars of published reviews as freelancer (1–5).")
    review_count: int
    completed_contracts: int
    on_time_rate: float | None = Field(description="Share (0–1) of milestones first delivered on time.")


class DirectoryQuery(Schema):
    skill: str = Field("", max_length=100, description="A skill slug.")
    country: str = Field("", max_length=2, description="An ISO 3166 country code.")


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.post(
    "/contracts/{contract_id}/reviews",
    response={201: ReviewOut, **NOT_FOUND, 409: Problem, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Review the other party of a completed contract (once, within 60 days; double-blind)",
)
def create_review(request: HttpRequest, contract_id: int, payload: ReviewIn) -> Status[Review]:
    try:
        review = services.leave_review(user=_user(request), contract_id=contract_id, **payload.dict())
    except services.ReviewStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(201, Review.objects.select_related("author__profile").get(pk=review.pk))


@router.get(
    "/contracts/{contract_id}/reviews",
    response={200: list[ReviewOut], **NOT_FOUND, **AUTH_ERRORS},
    summary="The reviews of one of your contracts you may see: published ones and your own",
)
def list_contract_reviews(request: HttpRequest, contract_id: int) -> QuerySet[Review]:
    return selectors.contract_reviews(_user(request), contract_id)[1]


@router.get(
    "/profiles/{user_id}/reviews",
    response={200: list[ReviewOut], **NOT_FOUND},
    auth=None,
    summary="The published reviews a user received, newest first",
)
@paginate(LimitOffsetPagination)
def list_profile_reviews(request: HttpRequest, user_id: int) -> QuerySet[Review]:
    user = selectors.public_user(user_id)
    return selectors.published_reviews_of(user.pk).filter(hidden_at__isnull=True)  # hidden by a moderator


@router.get(
    "/freelancers",
    response={200: list[FreelancerOut], **INPUT_ERRORS},
    auth=None,
    summary="Freelancers, best ranking score first, filterable by skill slug and country",
)
@paginate(LimitOffsetPagination)
def list_freelancers(request: HttpRequest, filters: Query[DirectoryQuery]) -> list[dict[str, object]]:
    return [
        {
            "id": entry.user.pk,
            "name": entry.user.profile.public_name,
            "headline": entry.user.profile.headline,
            "country": entry.user.profile.country,
            "ranking_score": entry.stats.ranking_score,
            "rating": entry.stats.rating,
            "review_count": entry.stats.review_count,
            "completed_contracts": entry.stats.completed_contracts,
            "on_time_rate": entry.stats.on_time_rate,
        }
        for entry in selectors.directory(skill=filters.skill, country=filters.country)
    ]
