"""API for the signed-in user, public profiles, portfolio items and personal access tokens."""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime
from typing import Annotated, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, StringConstraints, model_validator

from haat.accounts import selectors, services
from haat.accounts.models import BIO_MAX_LENGTH, LanguageLevel, PortfolioItem, Profile, User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem, session_auth

router = Router(tags=["accounts"])


class SkillRef(Schema):
    id: int
    slug: str
    name: str


class LanguageEntry(Schema):
    language: Annotated[str, StringConstraints(min_length=2, max_length=8)] = Field(
        description="ISO 639-1 code, e.g. 'en' or 'bn'."
    )
    level: LanguageLevel


class PortfolioItemOut(Schema):
    id: int
    title: str
    description: str
    link: str
    image_url: str | None


class PublicProfile(Schema):
    user_id: int
    name: str
    display_name: str
    company_name: str
    headline: str
    bio: str
    country: str
    time_zone: str
    hourly_rate: int | None = Field(description="Minor units (cents, paisa).")
    hourly_rate_currency: str
    skills: list[SkillRef]
    languages: list[LanguageEntry]
    portfolio: list[PortfolioItemOut]


class OwnProfile(PublicProfile):
    language: str
    profile_complete: bool
    missing: list[str]


class Me(Schema):
    id: int
    email: str
    email_verified: bool
    two_factor_enabled: bool
    date_joined: datetime
    profile: OwnProfile


Str80 = Annotated[str, StringConstraints(max_length=80)]
Str120 = Annotated[str, StringConstraints(max_length=120)]


class ProfileUpdate(Schema):
    """Fields to change; fields left out stay as they are."""

    @model_validator(mode="before")
    @classmethod
    def _must_be_object(cls, data: Any) -> Any:
        # django-ninja hands validators its DjangoGetter wrapper; the parsed JSON is inside.
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("The body must be a JSON object.")
        return data

    display_name: Str80 | None = None
    company_name: Str120 | None = None
    headline: Str120 | None = None
    bio: Annotated[str, StringConstraints(max_length=BIO_MAX_LENGTH)] | None = Field(
        None, description="Markdown."
    )
    country: Annotated[str, StringConstraints(max_length=2)] | None = Field(
        None, description="ISO 3166 code."
    )
    time_zone: Annotated[str, StringConstraints(max_length=64)] | None = Field(None, examples=["Asia/Dhaka"])
    language: Annotated[str, StringConstraints(max_length=8)] | None = Field(
        None, description="'en' or 'bn'."
    )
    hourly_rate: Annotated[int, Field(gt=0, le=10**12)] | None = None
    hourly_rate_currency: Annotated[str, StringConstraints(min_length=3, max_length=3)] | None = None
    skill_ids: Annotated[list[int], Field(max_length=services.MAX_SKILLS)] | None = None
    languages: Annotated[list[LanguageEntry], Field(max_length=services.MAX_LANGUAGES)] | None = None


class PortfolioItemIn(Schema):
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    description: Annotated[str, StringConstraints(max_length=2000)] = ""
    link: Annotated[str, StringConstraints(max_length=500)] = ""


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreate(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]


class TokenCreated(TokenOut):
    secret: str = Field(description="Shown once; store it now.")


def _public_profile(profile: Profile, request: HttpRequest) -> dict[str, object]:
    return {
        "user_id": profile.user_id,
        "name": profile.public_name,
        "display_name": profile.display_name,
        "company_name": profile.company_name,
        "headline": profile.headline,
        "bio": profile.bio,
        "country": profile.country,
        "time_zone": profile.time_zone,
        "hourly_rate": profile.hourly_rate,
        "hourly_rate_currency": profile.hourly_rate_currency,
        "skills": [{"id": s.pk, "slug": s.slug, "name": s.localized_name} for s in profile.skills.all()],
        "languages": [{"language": lang.language, "level": lang.level} for lang in profile.languages.all()],
        "portfolio": [_portfolio_item(item, request) for item in profile.portfolio_items.all()],
    }


def _portfolio_item(item: PortfolioItem, request: HttpRequest) -> dict[str, object]:
    from django.urls import reverse

    image_url = (
        request.build_absolute_uri(reverse("accounts:portfolio-image", args=[item.pk]))
        if item.image
        else None
    )
    return {
        "id": item.pk,
        "title": item.title,
        "description": item.description,
        "link": item.link,
        "image_url": image_url,
    }


def _own_profile(user: User, request: HttpRequest) -> dict[str, object]:
    profile = selectors.profile_of(user)
    completeness = selectors.freelancer_profile_completeness(profile)
    return {
        **_public_profile(profile, request),
        "language": profile.language,
        "profile_complete": completeness.is_complete,
        "missing": completeness.missing,
    }


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.get("/me", response={200: Me, **AUTH_ERRORS}, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, object]:
    user = _user(request)
    return {
        "id": user.pk,
        "email": user.email,
        "email_verified": EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists(),
        "two_factor_enabled": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "date_joined": user.date_joined,
        "profile": _own_profile(user, request),
    }


@router.get("/me/profile", response={200: OwnProfile, **AUTH_ERRORS}, summary="Your profile")
def own_profile(request: HttpRequest) -> dict[str, object]:
    return _own_profile(_user(request), request)


@router.patch(
    "/me/profile", response={200: OwnProfile, **INPUT_ERRORS, **AUTH_ERRORS}, summary="Update your profile"
)
def update_profile(request: HttpRequest, payload: ProfileUpdate) -> dict[str, object]:
    user = _user(request)
    data = payload.dict(exclude_unset=True)
    skill_ids = data.pop("skill_ids", None)
    languages = data.pop("languages", None)
    for key in list(data):
        if data[key] is None and key != "hourly_rate":
            raise_null(key)
    services.update_profile(
        user=user,
        fields=data,
        skill_ids=skill_ids,
        languages=[(entry["language"], entry["level"]) for entry in languages]
        if languages is not None
        else None,
    )
    return _own_profile(user, request)


def raise_null(field: str) -> None:
    from django.core.exceptions import ValidationError

    raise ValidationError({field: "This field may not be null."})


@router.get(
    "/profiles/{user_id}", response={200: PublicProfile, 404: Problem}, auth=None, summary="A public profile"
)
def public_profile(request: HttpRequest, user_id: int) -> dict[str, object]:
    profile = selectors.profile_for_display(user_id)
    if profile.hidden_at is not None:  # hidden by a moderator: its owner still reads it at /me/profile
        raise Profile.DoesNotExist
    return _public_profile(profile, request)


@router.post(
    "/me/portfolio",
    response={201: PortfolioItemOut, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Add a portfolio item (multipart form: an image, a link, or both)",
)
def add_portfolio_item(
    request: HttpRequest, data: Form[PortfolioItemIn], image: UploadedFile | None = File(None)
) -> Status:
    item = services.add_portfolio_item(
        user=_user(request), title=data.title, description=data.description, link=data.link, image=image
    )
    return Status(201, _portfolio_item(item, request))


@router.delete(
    "/me/portfolio/{item_id}",
    response={204: None, 404: Problem, **AUTH_ERRORS},
    summary="Delete a portfolio item",
)
def delete_portfolio_item(request: HttpRequest, item_id: int) -> Status:
    services.delete_portfolio_item(user=_user(request), item_id=item_id)
    return Status(204, None)


@router.get(
    "/me/tokens", response={200: list[TokenOut], **AUTH_ERRORS}, summary="Your personal access tokens"
)
def list_tokens(request: HttpRequest) -> list[object]:
    return list(selectors.api_tokens_of(_user(request)))


@router.post(
    "/me/tokens",
    response={201: TokenCreated, **INPUT_ERRORS, **AUTH_ERRORS},
    auth=session_auth,
    summary="Create a personal access token (browser session only; the secret is shown once)",
)
def create_token(request: HttpRequest, payload: TokenCreate) -> Status:
    issued = services.create_api_token(user=_user(request), name=payload.name)
    token = issued.token
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": None,
            "revoked_at": None,
            "secret": issued.secret,
        },
    )


@router.delete(
    "/me/tokens/{token_id}", response={204: None, 404: Problem, **AUTH_ERRORS}, summary="Revoke a token"
)
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    services.revoke_api_token(user=_user(request), token_id=token_id)
    return Status(204, None)
