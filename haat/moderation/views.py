"""Pages of haat.moderation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haat.messaging.models import Message
from haat.staff.access import staff_required
from haat.staff.roles import Role

QUEUE_SIZE = 100


@staff_required(Role.MODERATOR)
def queue(request: HttpRequest) -> HttpResponse:
    """The moderation queue: messages flagged for off-platform contact details, newest first."""
    flagged = (
        Message.objects.exclude(contact_flags="")
        .select_related("sender", "thread")
        .order_by("-created_at", "-pk")[:QUEUE_SIZE]
    )
    return render(request, "moderation/queue.html", {"flagged": flagged})
