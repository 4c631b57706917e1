"""Ranking points: every change is an event with its reason, so the score has a history users can read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RankingEvent(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ranking_events"
    )
    points = models.BigIntegerField()
    reason = models.CharField(_("reason"), max_length=300)
    # Identifies what caused the event ("missed-report:<contract>:<week>") so it is applied once.
    key = models.CharField(max_length=120, unique=True)
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="ranking_events"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.points:+d} for {self.user_id}: {self.reason}"


class Review(models.Model):
    """One side's review of the other after a contract completes. Double-blind: shown once both sides have
    reviewed, or 14 days after the first review."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_received"
    )
    quality = models.PositiveSmallIntegerField(_("quality"))
    communication = models.PositiveSmallIntegerField(_("communication"))
    deadlines = models.PositiveSmallIntegerField(_("deadlines"))
    text = models.TextField(_("review"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the review becomes visible (both in, or the blind period ended).
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Moderation (haat.moderation): hidden from everyone but its author (who sees the reason) and staff.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "author"], name="one_review_per_side"),
            models.CheckConstraint(
                condition=models.Q(quality__gte=1, quality__lte=5)
                & models.Q(communication__gte=1, communication__lte=5)
                & models.Q(deadlines__gte=1, deadlines__lte=5),
                name="review_stars_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Review by {self.author_id} on contract {self.contract_id}"
