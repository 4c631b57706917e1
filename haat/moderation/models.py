"""Reports, warnings, suspensions and appeals.

Hidden content lives on the content itself (``hidden_at``, ``hidden_reason`` on jobs, messages, profiles and
reviews), so every page that shows the content can tell without a join; who hid it and why is in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haat.moderation import rules

REASON_MAX_LENGTH = 2000


class TargetType(models.TextChoices):
    JOB = "job", _("Job")
    MESSAGE = "message", _("Message")
    PROFILE = "profile", _("Profile")
    REVIEW = "review", _("Review")


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Harassment or abuse")
    FRAUD = "fraud", _("Fraud or a scam")
    OFF_PLATFORM = "off_platform", _("Asks to talk or pay outside Haat")
    INAPPROPRIATE = "inappropriate", _("Illegal or inappropriate content")
    FAKE = "fake", _("Fake or misleading")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    ACTIONED = "actioned", _("Action taken")
    DISMISSED = "dismissed", _("No action needed")


class Report(models.Model):
    """A user's (or staff member's) report of a job, message, profile or review."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    target_type = models.CharField(_("what"), max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField(_("id"))
    # The author of the reported content, so the queue can show their record and act on their account.
    target_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    # What the moderator tells the reporter.
    outcome = models.TextField(_("outcome"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate", "Can moderate content and accounts (moderator)")]
        indexes = [models.Index(fields=["target_type", "target_id"], name="report_target")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.target_type}:{self.target_id}"


class AccountWarning(models.Model):
    """A recorded warning to a user, citing a rule."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("rule"), max_length=32, choices=rules.choices())
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self) -> str:
        return f"Warning {self.pk} to {self.user_id}"


class Suspension(models.Model):
    """An account suspension. Active while ``lifted_at`` is empty; at most one active per user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("rule"), max_length=32, choices=rules.choices())
    reason = models.TextField(_("reason"))
    # Fraud also stops withdrawals until finance has reviewed the account (``finance_reviewed_at``).
    is_fraud = models.BooleanField(_("for fraud"), default=False)
    finance_reviewed_at = models.DateTimeField(null=True, blank=True)
    finance_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finance_note = models.TextField(_("finance review"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(lifted_at__isnull=True), name="one_active_suspension"
            )
        ]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"Suspension {self.pk} of {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    @property
    def rule_title(self) -> str:
        return rules.rule_title(self.rule)

    @property
    def blocks_withdrawals(self) -> bool:
        """Active, for fraud, and finance has not reviewed the account yet."""
        return self.is_active and self.is_fraud and self.finance_reviewed_at is None


class ContactFlagReview(models.Model):
    """A moderator looked at a message flagged for off-platform contact details (``Message.contact_flags``),
    so it leaves the queue. Hiding the message records a review too."""

    message = models.OneToOneField("messaging.Message", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact flag review")
        verbose_name_plural = _("contact flag reviews")

    def __str__(self) -> str:
        return f"Review of flagged message {self.message_id}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted: the suspension was lifted")
    REFUSED = "refused", _("Refused: the suspension stays")


class Appeal(models.Model):
    """The one appeal a user may make against a suspension; decided by a staff member other than the one who
    suspended."""

    suspension = models.OneToOneField(Suspension, on_delete=models.PROTECT, related_name="appeal")
    statement = models.TextField(_("statement"))
    status = models.CharField(max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"Appeal {self.pk} of suspension {self.suspension_id}"
