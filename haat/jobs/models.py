"""Jobs and the work catalogue: categories (two levels), skills, jobs, attachments, NDAs, invitations and
saved search filters.

Names are stored in English and Bengali because operators edit the catalogue in the admin at run time, where
gettext cannot reach.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedNameMixin(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_bn = models.CharField(_("name in Bengali"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """The Bengali name when the page is in Bengali and one is set, else the English one."""
        if (get_language() or "en").startswith("bn") and self.name_bn:
            return self.name_bn
        return self.name


class Category(LocalizedNameMixin):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Skill(LocalizedNameMixin):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skills",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


def attachment_upload_to(instance: JobAttachment, filename: str) -> str:
    import secrets

    # The stored name is random: the uploader's file name is kept only as display text.
    return f"jobs/{instance.job_id}/{secrets.token_hex(16)}"


class JobStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for bids")
    AWARDED = "awarded", _("Awarded")
    CLOSED = "closed", _("Closed (no award)")
    CANCELLED = "cancelled", _("Cancelled")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INVITE_ONLY = "invite_only", _("Invited freelancers only")


class Job(models.Model):
    """Work a buyer wants done. Writes go through ``haat.jobs.services``."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), validators=[MaxLengthValidator(20_000)])
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="jobs"
    )
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="jobs")
    budget_min = models.BigIntegerField(_("minimum budget (minor units)"))
    budget_max = models.BigIntegerField(_("maximum budget (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    deadline = models.DateTimeField(_("delivery deadline"))
    bidding_closes_at = models.DateTimeField(_("bidding closes at"))
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Details and files only for freelancers who accept the NDA."),
    )
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Moderation (haat.moderation): hidden from everyone but its author (who sees the reason) and staff.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.CheckConstraint(condition=Q(budget_min__gt=0), name="job_budget_min_positive"),
            models.CheckConstraint(condition=Q(budget_min__lte=F("budget_max")), name="job_budget_range"),
            models.CheckConstraint(
                condition=Q(bidding_closes_at__lt=F("deadline")), name="job_deadline_after_bidding"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["category", "status"]),
            # The newest-first walk with the common filters in the index: PostgreSQL checks category, currency
            # and budget on index entries and fetches only the rows that pass (at 1M jobs a keyword + category
            # + budget search fetched ~78,000 rows to keep 20 with the (status, published_at) index alone).
            models.Index(
                fields=["status", "published_at", "category", "currency", "budget_max", "budget_min"],
                name="jobs_job_listing_filters_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class JobAttachment(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class NdaAcceptance(models.Model):
    """A freelancer accepted a confidential job's NDA; recorded with time and address."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="nda_acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "user"], name="nda_once_per_user")]

    def __str__(self) -> str:
        return f"NDA {self.job_id}/{self.user_id}"


class JobInvitation(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="invitations")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_invitations"
    )
    message = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "freelancer"], name="invitation_once")]

    def __str__(self) -> str:
        return f"Invitation {self.job_id}/{self.freelancer_id}"


class SavedFilter(models.Model):
    """A freelancer's search, kept to browse again and to receive a daily e-mail of new matches."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(_("name"), max_length=80)
    params = models.JSONField(_("filter"), default=dict)
    email_digest = models.BooleanField(_("e-mail me new matches daily"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class DigestedJob(models.Model):
    """A job already sent in a saved filter's digest: each job is e-mailed once per filter."""

    saved_filter = models.ForeignKey(SavedFilter, on_delete=models.CASCADE, related_name="digested")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["saved_filter", "job"], name="digest_job_once")]

    def __str__(self) -> str:
        return f"{self.saved_filter_id}/{self.job_id}"
