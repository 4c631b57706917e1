"""Reads of users, profiles and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haat.accounts.models import ApiToken, Profile, User


def profile_for_display(user_id: int) -> Profile:
    """A profile with everything its public page shows, in a fixed number of queries.

    Raises ``Profile.DoesNotExist`` for unknown or deactivated users.
    """
    return (
        Profile.objects.select_related("user")
        .prefetch_related("skills", "languages", "portfolio_items")
        .get(user_id=user_id, user__is_active=True)
    )


def profile_of(user: User) -> Profile:
    return profile_for_display(user.pk)


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]

    @property
    def is_complete(self) -> bool:
        return not self.missing


def freelancer_profile_completeness(profile: Profile) -> Completeness:
    """How far the freelancer side of a profile is filled in; bidding needs it complete. A profile read with
    ``has_skills`` and ``has_languages`` annotations (``Exists``) is checked without further queries."""
    has_skills = getattr(profile, "has_skills", None)
    has_languages = getattr(profile, "has_languages", None)
    checks = [
        (bool(profile.display_name), _("display name")),
        (bool(profile.headline), _("headline")),
        (bool(profile.bio), _("about you")),
        (bool(profile.country), _("country")),
        (profile.skills.exists() if has_skills is None else has_skills, _("skills")),
        (profile.languages.exists() if has_languages is None else has_languages, _("languages")),
    ]
    missing = [str(label) for ok, label in checks if not ok]
    return Completeness(percent=round(100 * (len(checks) - len(missing)) / len(checks)), missing=missing)
