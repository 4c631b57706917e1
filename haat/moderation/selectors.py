"""Reads for moderation: the staff queue, a user's own moderation record, reports and their outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from haat.accounts.models import Profile, User
from haat.jobs.models import Job
from haat.messaging.models import Message
from haat.moderation.models import (
    AccountWarning,
    Appeal,
    AppealStatus,
    ContactFlagReview,
    Report,
    ReportStatus,
    Suspension,
)
from haat.reputation.models import Review

QUEUE_SIZE = 100


def open_reports() -> QuerySet[Report]:
    """Reports waiting for a moderator, oldest first (first come, first served)."""
    return (
        Report.objects.filter(status=ReportStatus.OPEN)
        .select_related("reporter", "target_user")
        .order_by("created_at", "pk")[:QUEUE_SIZE]
    )


def flagged_messages() -> QuerySet[Message]:
    """Messages in which off-platform contact details were found (see ``messaging.contact``) that no moderator
    has reviewed yet, newest first."""
    return (
        Message.objects.exclude(contact_flags="")
        .exclude(pk__in=ContactFlagReview.objects.values("message_id"))
        .select_related("sender", "thread")
        .order_by("-created_at", "-pk")[:QUEUE_SIZE]
    )


def pending_appeals() -> QuerySet[Appeal]:
    """Appeals waiting for a decision, oldest first, with their suspension."""
    return (
        Appeal.objects.filter(status=AppealStatus.PENDING)
        .select_related("suspension__user", "suspension__by")
        .order_by("created_at", "pk")
    )


def active_suspensions() -> QuerySet[Suspension]:
    return (
        Suspension.objects.filter(lifted_at__isnull=True).select_related("user", "by").order_by("-created_at")
    )


def fraud_holds() -> QuerySet[Suspension]:
    """Active fraud suspensions whose withdrawals wait for finance's review, oldest first."""
    return (
        Suspension.objects.filter(lifted_at__isnull=True, is_fraud=True, finance_reviewed_at__isnull=True)
        .select_related("user", "by")
        .order_by("created_at", "pk")
    )


def reports_of(reporter: User) -> QuerySet[Report]:
    """The reports a user made, newest first, with their outcome."""
    return Report.objects.filter(reporter=reporter).order_by("-created_at", "-pk")


def report_by_id(report_id: int) -> Report:
    return Report.objects.select_related("reporter", "target_user").get(pk=report_id)


def suspension_of(user: User, suspension_id: int) -> Suspension:
    """One of the user's suspensions; ``Suspension.DoesNotExist`` for anyone else's."""
    return Suspension.objects.get(pk=suspension_id, user_id=user.pk)


@dataclass(frozen=True)
class HiddenItem:
    target_type: str
    target_id: int
    title: str
    reason: str
    hidden_at: Any


@dataclass(frozen=True)
class Record:
    """What a user sees of their own moderation: warnings, suspensions (with appeals), hidden content."""

    warnings: list[AccountWarning]
    suspensions: list[Suspension]
    active: Suspension | None
    hidden: list[HiddenItem] = field(default_factory=list)


def record_of(user: User) -> Record:
    """The user's moderation record, in a fixed number of queries."""
    warnings = list(AccountWarning.objects.filter(user=user).order_by("-created_at", "-pk"))
    suspensions = list(
        Suspension.objects.filter(user=user).select_related("appeal").order_by("-created_at", "-pk")
    )
    active = next((s for s in suspensions if s.lifted_at is None), None)
    hidden: list[HiddenItem] = [
        HiddenItem("job", job.pk, job.title, job.hidden_reason, job.hidden_at)
        for job in Job.objects.filter(buyer=user, hidden_at__isnull=False)
    ]
    hidden += [
        HiddenItem("message", m.pk, m.body[:80], m.hidden_reason, m.hidden_at)
        for m in Message.objects.filter(sender=user, hidden_at__isnull=False)
    ]
    hidden += [
        HiddenItem("profile", p.user_id, p.public_name, p.hidden_reason, p.hidden_at)
        for p in Profile.objects.filter(user=user, hidden_at__isnull=False).select_related("user")
    ]
    hidden += [
        HiddenItem("review", r.pk, r.text[:80], r.hidden_reason, r.hidden_at)
        for r in Review.objects.filter(author=user, hidden_at__isnull=False)
    ]
    hidden.sort(key=lambda item: item.hidden_at, reverse=True)
    return Record(warnings=warnings, suspensions=suspensions, active=active, hidden=hidden)


def user_record_for_staff(user_id: int) -> tuple[User, Record]:
    """A user and their moderation record, for the staff page about them."""
    user = User.objects.select_related("profile").get(pk=user_id)
    return user, record_of(user)


@dataclass(frozen=True)
class Preview:
    """What a moderator needs to judge a reported item: its text, a link if it has a page, whether hidden."""

    text: str
    url: str
    hidden: bool


def previews(keys: list[tuple[str, int]]) -> dict[tuple[str, int], Preview]:
    """Previews of reported items, one query per kind of item."""
    from django.urls import reverse

    wanted: dict[str, list[int]] = {}
    for target_type, target_id in keys:
        wanted.setdefault(target_type, []).append(target_id)
    found: dict[tuple[str, int], Preview] = {}
    for job in Job.objects.filter(pk__in=wanted.get("job", [])):
        found["job", job.pk] = Preview(
            f"{job.title}\n\n{job.description[:500]}",
            reverse("jobs:job-detail", args=[job.pk]),
            job.hidden_at is not None,
        )
    for m in Message.objects.filter(pk__in=wanted.get("message", [])):
        found["message", m.pk] = Preview(m.body[:1000], "", m.hidden_at is not None)
    for p in Profile.objects.filter(user_id__in=wanted.get("profile", [])).select_related("user"):
        found["profile", p.user_id] = Preview(
            f"{p.public_name} — {p.headline}\n\n{p.bio[:500]}",
            reverse("accounts:profile", args=[p.user_id]),
            p.hidden_at is not None,
        )
    for r in Review.objects.filter(pk__in=wanted.get("review", [])):
        found["review", r.pk] = Preview(
            f"{r.quality}/{r.communication}/{r.deadlines} — {r.text[:1000]}",
            reverse("accounts:profile", args=[r.subject_id]),
            r.hidden_at is not None,
        )
    return found
