"""Reads of threads and messages.

Only the two participants of a thread (its buyer and its freelancer) can see it: every read starts from
``threads_of(user)``, so anyone else gets ``DoesNotExist`` (a 404, the same answer as for an unknown id).

Unread: a message is unread for a participant when the other side sent it after the participant's
``ReadState.last_read_at`` for the thread (every message from the other side, if there is no read state).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Count, DateTimeField, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from haat.accounts.models import User
from haat.bids.models import Bid, BidStatus
from haat.jobs.models import Job
from haat.messaging.models import Message, MessageAttachment, MessageRevision, ReadState, Thread, ThreadKind

# Stands in for "never read": earlier than any message.
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def threads_of(user: User) -> QuerySet[Thread]:
    """Every thread ``user`` takes part in, as buyer or as freelancer (no annotations)."""
    if not user.is_authenticated:
        return Thread.objects.none()
    return Thread.objects.filter(Q(buyer=user) | Q(freelancer=user))


def _with_unread(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    """Annotate ``read_until`` and ``unread_count`` (messages from the other side not read yet)."""
    last_read = ReadState.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_at")[:1]
    unread = (
        Message.objects.filter(thread=OuterRef("pk"), created_at__gt=OuterRef("read_until"))
        .exclude(sender=user)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return threads.annotate(
        read_until=Coalesce(Subquery(last_read), _NEVER, output_field=DateTimeField()),
    ).annotate(unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0))


def _for_display(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.select_related("job", "buyer__profile", "freelancer__profile")


def inbox(user: User, *, job_id: int | None = None) -> QuerySet[Thread]:
    """The user's threads, latest activity first, each with ``unread_count`` (one query, or two with profiles).

    A thread without messages counts from its creation.
    """
    threads = threads_of(user)
    if job_id is not None:
        threads = threads.filter(job_id=job_id)
    return _for_display(_with_unread(threads, user)).order_by(
        Coalesce("last_message_at", "created_at").desc(), "-pk"
    )


def thread_for(user: User, thread_id: int) -> Thread:
    """One of the user's threads with ``unread_count``. Raises ``Thread.DoesNotExist`` for anyone else."""
    return _for_display(_with_unread(threads_of(user), user)).get(pk=thread_id)


def unread_total(user: User) -> int:
    """How many messages are waiting for ``user`` across all their threads (one query)."""
    if not user.is_authenticated:
        return 0
    last_read = ReadState.objects.filter(thread=OuterRef("thread"), user=user).values("last_read_at")[:1]
    return (
        Message.objects.filter(thread__in=threads_of(user).values("pk"))
        .exclude(sender=user)
        .annotate(read_until=Coalesce(Subquery(last_read), _NEVER, output_field=DateTimeField()))
        .filter(created_at__gt=F("read_until"))
        .count()
    )


def other_party(thread: Thread, user: User) -> User:
    """The participant of ``thread`` who is not ``user``."""
    return thread.freelancer if thread.buyer_id == user.pk else thread.buyer


def is_pre_award(thread: Thread) -> bool:
    """Whether contact details are still flagged: an interview on a job whose award is not given yet."""
    if thread.kind != ThreadKind.INTERVIEW:
        return False
    return not Bid.objects.filter(
        job_id=thread.job_id, status__in=[BidStatus.AWARDED, BidStatus.ACCEPTED]
    ).exists()


def messages_of(thread: Thread) -> QuerySet[Message]:
    """The thread's messages, oldest first, with senders, attachments and earlier versions (four queries)."""
    return (
        Message.objects.filter(thread=thread)
        .select_related("sender__profile")
        .prefetch_related(
            Prefetch("attachments", queryset=MessageAttachment.objects.order_by("pk")),
            Prefetch("revisions", queryset=MessageRevision.objects.order_by("replaced_at", "pk")),
        )
        .order_by("created_at", "pk")
    )


def message_for(user: User, message_id: int) -> Message:
    """A message in one of the user's threads. Raises ``Message.DoesNotExist`` for anyone else."""
    return (
        Message.objects.filter(thread__in=threads_of(user).values("pk"))
        .select_related("thread", "sender__profile")
        .prefetch_related("attachments", "revisions")
        .get(pk=message_id)
    )


def revisions_of(user: User, message_id: int) -> QuerySet[MessageRevision]:
    """Earlier versions of a message, oldest first. Raises ``Message.DoesNotExist`` for anyone else."""
    message = Message.objects.filter(thread__in=threads_of(user).values("pk")).get(pk=message_id)
    return message.revisions.order_by("replaced_at", "pk")


def attachment_for(user: User, attachment_id: int, *, message_id: int | None = None) -> MessageAttachment:
    """An attachment of a message in one of the user's threads; ``MessageAttachment.DoesNotExist`` otherwise."""
    attachments = MessageAttachment.objects.filter(message__thread__in=threads_of(user).values("pk"))
    if message_id is not None:
        attachments = attachments.filter(message_id=message_id)
    return attachments.get(pk=attachment_id)


@dataclass
class BidderRow:
    """A freelancer who bid on the job, as the buyer sees them in the interview panel."""

    freelancer: User
    bid: Bid
    thread: Thread | None = None


@dataclass
class JobInterviews:
    """What the job page shows about interviews, for one viewer."""

    is_buyer: bool
    # Buyer: every bidder (latest bid each), with their thread if one was started.
    bidders: list[BidderRow] = field(default_factory=list)
    # Bidder: their own thread with the buyer, and whether they may start one (they have a bid).
    own_thread: Thread | None = None
    can_start: bool = False

    @property
    def unread_total(self) -> int:
        threads = [row.thread for row in self.bidders if row.thread is not None]
        if self.own_thread is not None:
            threads.append(self.own_thread)
        return sum(getattr(thread, "unread_count", 0) for thread in threads)


def job_interviews(user: User, job: Job) -> JobInterviews:
    """The interview threads of ``job`` that ``user`` may see: all of them for the buyer, their own for a bidder.

    A fixed number of queries, whatever the number of bids.
    """
    if not user.is_authenticated:
        return JobInterviews(is_buyer=False)
    threads = _with_unread(
        Thread.objects.filter(job=job, kind=ThreadKind.INTERVIEW).select_related("freelancer__profile"), user
    )
    if job.buyer_id == user.pk:
        by_freelancer = {thread.freelancer_id: thread for thread in threads}
        latest: dict[int, Bid] = {}
        for bid in (
            Bid.objects.filter(job=job).select_related("freelancer__profile").order_by("created_at", "pk")
        ):
            latest[bid.freelancer_id] = bid
        rows = [
            BidderRow(freelancer=bid.freelancer, bid=bid, thread=by_freelancer.get(freelancer_id))
            for freelancer_id, bid in latest.items()
        ]
        return JobInterviews(is_buyer=True, bidders=rows)
    own = threads.filter(freelancer=user).first()
    can_start = own is None and Bid.objects.filter(job=job, freelancer=user).exists()
    return JobInterviews(is_buyer=False, own_thread=own, can_start=can_start)
