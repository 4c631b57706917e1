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
