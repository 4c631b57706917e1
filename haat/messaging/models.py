"""Threads and messages. Messages are never changed in place: an edit keeps the earlier text as a revision,
because the conversation is the evidence if a dispute comes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 10_000


class ThreadKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    CONTRACT = "contract", _("Contract")


class Thread(models.Model):
    kind = models.CharField(max_length=16, choices=ThreadKind.choices, default=ThreadKind.INTERVIEW)
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="threads")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="threads"
    )
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "job", "freelancer"], name="one_thread_per_job_and_freelancer"
            )
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Off-platform contact details found in the text (e-mail, phone, messenger link), before an award.
    contact_flags = models.CharField(max_length=100, blank=True)
    # Moderation (haat.moderation): hidden from everyone but its author (who sees the reason) and staff.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk}"


class MessageRevision(models.Model):
    """The text of a message before an edit."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["replaced_at", "pk"]

    def __str__(self) -> str:
        return f"Revision of {self.message_id}"


def message_attachment_upload_to(instance: MessageAttachment, filename: str) -> str:
    import secrets

    return f"messages/{instance.message.thread_id}/{secrets.token_hex(16)}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=message_attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return self.original_name


class ReadState(models.Model):
    """How far a participant has read a thread (for unread counts)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="read_state_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id}"
