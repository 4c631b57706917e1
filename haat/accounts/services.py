"""Every write to accounts, profiles and API tokens.

Each public function is one transaction and validates with the models' own validators, so the web form and the
API reject the same input with the same message.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from haat.accounts.models import ApiToken, PortfolioItem, Profile, ProfileLanguage, User
from haat.jobs.models import Skill

TOKEN_PREFIX = "haat_"  # noqa: S105  (a public marker, not a secret)
PROFILE_FIELDS = frozenset(
    {
        "display_name",
        "company_name",
        "headline",
        "bio",
        "country",
        "time_zone",
        "language",
        "hourly_rate",
        "hourly_rate_currency",
    }
)
MAX_SKILLS = 30
MAX_LANGUAGES = 15
ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def ensure_profile(user: User) -> Profile:
    """Return the user's profile, creating an empty one the first time."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(
    *,
    user: User,
    fields: dict[str, Any],
    skill_ids: Sequence[int] | None = None,
    languages: Iterable[tuple[str, str]] | None = None,
) -> Profile:
    """Change the user's profile; ``None`` for skills or languages leaves them as they are.

    Raises ``ValidationError`` (keyed by field) and changes nothing when any value is invalid.
    """
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    profile = Profile.objects.select_for_update().get(pk=ensure_profile(user).pk)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user", "skills"])
    profile.save()

    if skill_ids is not None:
        wanted = set(skill_ids)
        if len(wanted) > MAX_SKILLS:
            raise ValidationError({"skills": _("Choose at most %(n)d skills.") % {"n": MAX_SKILLS}})
        found = set(Skill.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if missing := wanted - found:
            raise ValidationError(
                {"skills": _("Unknown skill ids: %(ids)s.") % {"ids": ", ".join(map(str, sorted(missing)))}}
            )
        profile.skills.set(found)

    if languages is not None:
        entries = list(languages)
        if len(entries) > MAX_LANGUAGES:
            raise ValidationError({"languages": _("List at most %(n)d languages.") % {"n": MAX_LANGUAGES}})
        codes = [code for code, _level in entries]
        if len(codes) != len(set(codes)):
            raise ValidationError({"languages": _("Each language may be listed once.")})
        rows = [ProfileLanguage(profile=profile, language=code, level=level) for code, level in entries]
        for row in rows:
            row.full_clean(exclude=["profile"], validate_unique=False)
        profile.languages.all().delete()
        ProfileLanguage.objects.bulk_create(rows)
    return profile


def clean_portfolio_image(upload: UploadedFile) -> ContentFile[bytes]:
    """Check an uploaded image and return it re-encoded, without metadata or trailing payloads.

    Rejects files over the size limit, non-images, formats other than JPEG/PNG/WebP and decompression bombs.
    """
    if upload.size is None or upload.size > settings.PORTFOLIO_IMAGE_MAX_BYTES:
        raise ValidationError(
            {
                "image": _("The image is larger than %(mb)d MB.")
                % {"mb": settings.PORTFOLIO_IMAGE_MAX_BYTES // 2**20}
            }
        )
    try:
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError({"image": _("Upload a JPEG, PNG or WebP image.")})
            width, height = probe.size
            if width * height > settings.PORTFOLIO_IMAGE_MAX_PIXELS:
                raise ValidationError({"image": _("The image has too many pixels.")})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            fmt = opened.format or "PNG"
            image: Image.Image = opened
            if image.mode not in ("RGB", "RGBA", "L"):
                image = image.convert("RGBA" if fmt != "JPEG" else "RGB")
            buffer = io.BytesIO()
            image.save(buffer, format=fmt)
    except Image.DecompressionBombError as exc:  # Pillow refuses far beyond its own pixel limit at open
        raise ValidationError({"image": _("The image has too many pixels.")}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError({"image": _("This file is not a readable image.")}) from exc
    return ContentFile(buffer.getvalue(), name=f"image.{ALLOWED_IMAGE_FORMATS[fmt]}")


@transaction.atomic
def add_portfolio_item(
    *, user: User, title: str, description: str = "", link: str = "", image: UploadedFile | None = None
) -> PortfolioItem:
    """Add a piece of past work to the user's profile. It needs an image or a link."""
    if image is None and not link:
        raise ValidationError({"link": _("Add an image or a link.")})
    item = PortfolioItem(profile=ensure_profile(user), title=title, description=description, link=link)
    item.full_clean(exclude=["profile", "image"])
    if image is not None:
        cleaned = clean_portfolio_image(image)
        item.image.save(cleaned.name or "image", cleaned, save=False)
    item.save()
    return item


@transaction.atomic
def delete_portfolio_item(*, user: User, item_id: int) -> None:
    """Delete one of the user's own portfolio items; another user's id is treated as unknown."""
    item = PortfolioItem.objects.filter(pk=item_id, profile__user=user).first()
    if item is None:
        raise PortfolioItem.DoesNotExist
    if item.image:
        storage, name = item.image.storage, item.image.name
        transaction.on_commit(lambda: storage.delete(name))
    item.delete()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def _hash_token(secret: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is safe here and keeps every API call cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str) -> IssuedToken:
    """Issue a personal access token. The secret is returned once and never stored."""
    name = name.strip()
    token = ApiToken(user=user, name=name)
    random_part = secrets.token_urlsafe(32)
    secret = f"{TOKEN_PREFIX}{random_part}"
    token.prefix = secret[: len(TOKEN_PREFIX) + 6]
    token.token_hash = _hash_token(secret)
    token.full_clean(exclude=["user"])
    token.save()
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; another user's token id is treated as unknown."""
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_api_token(secret: str) -> User | None:
    """The active user owning this token secret, or ``None``."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash_token(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute so a busy client does not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def set_language(*, user: User, language: str) -> None:
    """Remember the user's site language (used for pages and e-mails)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    Profile.objects.filter(pk=ensure_profile(user).pk).update(language=language)
