"""Users and what they tell the market about themselves.

One account acts as buyer and as freelancer; the profile carries both faces. Writes go through
``haat.accounts.services``; these models hold data and field-level validation only.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from haat.accounts import choices

BIO_MAX_LENGTH = 5000


def validate_time_zone(value: str) -> None:
    if value not in choices.time_zone_names():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def validate_country(value: str) -> None:
    if value and value not in choices.country_codes():
        raise ValidationError(_("“%(value)s” is not a known country code."), params={"value": value})


def validate_language(value: str) -> None:
    if value not in choices.language_codes():
        raise ValidationError(_("“%(value)s” is not a known language code."), params={"value": value})


def validate_currency(value: str) -> None:
    if value not in settings.HAAT_CURRENCIES:
        raise ValidationError(_("“%(value)s” is not a currency this site uses."), params={"value": value})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account. Logs in with the e-mail address; there is no user name."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class Profile(models.Model):
    """What buyers and freelancers see of a user. Created with the user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    company_name = models.CharField(_("company name"), max_length=120, blank=True)
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    bio = models.TextField(_("about you"), blank=True, validators=[MaxLengthValidator(BIO_MAX_LENGTH)])
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country])
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("site language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    hourly_rate = models.BigIntegerField(
        _("hourly rate (minor units)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    hourly_rate_currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency]
    )
    skills = models.ManyToManyField(
        "jobs.Skill", verbose_name=_("skills"), blank=True, related_name="profiles"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moderation (haat.moderation): hidden from everyone but its author (who sees the reason) and staff.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_rate__isnull=True) | models.Q(hourly_rate__gt=0),
                name="profile_hourly_rate_positive",
            )
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name others see: display name, else company name, else the e-mail's local part."""
        return self.display_name or self.company_name or self.user.email.split("@")[0]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class LanguageLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    CONVERSATIONAL = "conversational", _("Conversational")
    FLUENT = "fluent", _("Fluent")
    NATIVE = "native", _("Native or bilingual")


class ProfileLanguage(models.Model):
    """A language the user works in, with a self-declared level (buyers filter on English)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, validators=[validate_language])
    level = models.CharField(_("level"), max_length=16, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="profile_language_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.level})"


def portfolio_upload_to(instance: PortfolioItem, filename: str) -> str:
    import secrets

    # Never reuse the uploader's file name in the path: it is attacker-controlled.
    return f"portfolio/{instance.profile_id}/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1].lower()}"


class PortfolioItem(models.Model):
    """A piece of past work: an image, a link, or both."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="portfolio_items")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, validators=[MaxLengthValidator(2000)])
    image = models.ImageField(_("image"), upload_to=portfolio_upload_to, blank=True)
    link = models.URLField(_("link"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")

    def __str__(self) -> str:
        return self.title


class ApiToken(models.Model):
    """A personal access token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# The session list lives in its own module; importing it here registers the model with the app.
from haat.accounts.session_models import UserSession  # noqa: E402, F401
