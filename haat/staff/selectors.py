"""Reads behind the staff pages: the operator dashboard's figures, the queues' counts and the audit log.

Every figure is computed by the database (sums and counts grouped by currency, month or day), so a page costs
the same few queries however many transfers, disputes or jobs there are. Read-only.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from haat.contracts.models import Contract
from haat.disputes.models import OPEN_DISPUTE_STATUSES, Dispute, DisputeStatus
from haat.jobs.models import Job
from haat.ledger.models import Account, AccountKind, Phase, Transfer
from haat.moderation.models import Appeal, AppealStatus, Report, ReportStatus
from haat.payments import deposits
from haat.payments.models import Withdrawal, WithdrawalStatus
from haat.staff.models import AuditEntry

MONTHS = 12
DAYS = 30
OPEN_DISPUTE_LIMIT = 50
# Transfers whose effect on the books is final: plain postings and posted holds (a pending withdrawal fee is
# not revenue until finance pays the withdrawal).
_FINAL = (Phase.POSTED, Phase.POST_PENDING)


# --- Money ----------------------------------------------------------------------------------------------------


def escrow_totals() -> dict[str, int]:
    """Money held in escrow now, per currency (posted credits minus posted debits of every escrow account).

    Escrow accounts are floored, never hot, so their stored totals are complete: one grouped query."""
    rows = (
        Account.objects.filter(kind=AccountKind.ESCROW)
        .values("currency")
        .annotate(total=Sum(F("credits_posted") - F("debits_posted")))
        .order_by("currency")
    )
    return {row["currency"]: row["total"] for row in rows if row["total"]}


def month_starts(now: dt.datetime, zone: zoneinfo.ZoneInfo, count: int = MONTHS) -> list[dt.date]:
    """The first day of the last ``count`` months in ``zone``, oldest first, the current month last."""
    months = [timezone.localtime(now, zone).date().replace(day=1)]
    for _i in range(count - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return list(reversed(months))


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    # TruncMonth gives a datetime on PostgreSQL and SQLite alike for a DateTimeField; keep only the date.
    return value.date() if isinstance(value, dt.datetime) else value


def revenue_per_month(
    zone: zoneinfo.ZoneInfo, *, now: dt.datetime | None = None
) -> tuple[list[dt.date], dict[str, dict[dt.date, int]]]:
    """Platform revenue per calendar month in ``zone`` over the last 12 months, per currency: fees credited to
    the platform revenue accounts minus anything debited from them (e.g. a fee given back), final transfers
    only. Two grouped queries."""
    now = now or timezone.now()
    months = month_starts(now, zone)
    since = dt.datetime.combine(months[0], dt.time(), tzinfo=zone)
    window = Q(phase__in=_FINAL, created_at__gte=since, created_at__lte=now)
    sums: dict[str, dict[dt.date, int]] = defaultdict(lambda: dict.fromkeys(months, 0))
    for side, sign in (("credit_account", 1), ("debit_account", -1)):
        rows = (
            Transfer.objects.filter(window, **{f"{side}__kind": AccountKind.PLATFORM_REVENUE})
            .annotate(month=TruncMonth("created_at", tzinfo=zone))
            .values("month", "currency")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for row in rows:
            month = _as_date(row["month"])
            if month in sums[row["currency"]]:
                sums[row["currency"]][month] += sign * row["total"]
    return months, dict(sorted(sums.items()))


@dataclass(frozen=True)
class Waiting:
    currency: str
    count: int
    total: int  # what finance will send (the fees stay with the platform)


def payouts_waiting() -> list[Waiting]:
    """Withdrawals waiting for finance, per currency: how many and their sum."""
    rows = (
        Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED)
        .values("currency")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("currency")
    )
    return [Waiting(currency=r["currency"], count=r["count"], total=r["total"]) for r in rows]


# --- Disputes -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDispute:
    dispute: Dispute
    age: dt.timedelta

    @property
    def age_days(self) -> int:
        return self.age.days


@dataclass(frozen=True)
class OpenDisputes:
    count: int
    in_arbitration: int
    oldest: dt.timedelta | None
    rows: list[OpenDispute]  # the oldest ``OPEN_DISPUTE_LIMIT``


def open_disputes(*, now: dt.datetime | None = None, limit: int = OPEN_DISPUTE_LIMIT) -> OpenDisputes:
    """Disputes still open (negotiating or waiting for an arbiter), oldest first, with their age. Two queries."""
    now = now or timezone.now()
    open_ = Dispute.objects.filter(status__in=OPEN_DISPUTE_STATUSES)
    summary = open_.aggregate(
        count=Count("pk"),
        in_arbitration=Count("pk", filter=Q(status=DisputeStatus.ARBITRATION)),
        oldest=Min("created_at"),
    )
    rows = [
        OpenDispute(dispute=d, age=now - d.created_at)
        for d in open_.select_related("contract__job", "arbiter").order_by("created_at", "pk")[:limit]
    ]
    oldest = summary["oldest"]
    return OpenDisputes(
        count=summary["count"],
        in_arbitration=summary["in_arbitration"],
        oldest=now - oldest if oldest else None,
        rows=rows,
    )


# --- Activity -------------------------------------------------------------------------------------------------


def day_range(now: dt.datetime, zone: zoneinfo.ZoneInfo, count: int = DAYS) -> list[dt.date]:
    """The last ``count`` days in ``zone``, oldest first, today last."""
    today = timezone.localtime(now, zone).date()
    return [today - dt.timedelta(days=count - 1 - i) for i in range(count)]


def _per_day(
    queryset: QuerySet[Job] | QuerySet[Contract], days: list[dt.date], zone: zoneinfo.ZoneInfo
) -> dict[dt.date, int]:
    since = dt.datetime.combine(days[0], dt.time(), tzinfo=zone)
    counts = dict.fromkeys(days, 0)
    rows = (
        queryset.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["day"] in counts:
            counts[row["day"]] += row["n"]
    return counts


def new_per_day(
    zone: zoneinfo.ZoneInfo, *, now: dt.datetime | None = None
) -> tuple[list[dt.date], dict[dt.date, int], dict[dt.date, int]]:
    """Jobs created and contracts started per day in ``zone`` over the last 30 days. Two grouped queries."""
    days = day_range(now or timezone.now(), zone)
    return days, _per_day(Job.objects.all(), days, zone), _per_day(Contract.objects.all(), days, zone)


# --- Queues ---------------------------------------------------------------------------------------------------


def disputes_awaiting_arbiter() -> int:
    return Dispute.objects.filter(status=DisputeStatus.ARBITRATION).count()


def withdrawals_waiting() -> int:
    return Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED).count()


def bank_transfers_waiting() -> int:
    return deposits.pending_manual_deposits().count()


def moderation_waiting() -> int:
    """Open reports plus appeals waiting for a decision."""
    return (
        Report.objects.filter(status=ReportStatus.OPEN).count()
        + Appeal.objects.filter(status=AppealStatus.PENDING).count()
    )


# --- Audit log ------------------------------------------------------------------------------------------------


def audit_entries(*, actor: str = "", action: str = "", target: str = "") -> QuerySet[AuditEntry]:
    """The audit log, newest first, filtered by the actor's e-mail (part of it), the action (exact) and the
    target (``type`` or ``type:id``)."""
    entries = AuditEntry.objects.select_related("actor")
    if actor:
        entries = entries.filter(actor__email__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    if target:
        target_type, _sep, target_id = target.partition(":")
        entries = entries.filter(target_type=target_type.strip())
        if target_id.strip():
            entries = entries.filter(target_id=target_id.strip())
    return entries


def audit_actions() -> list[str]:
    """Every action name that occurs in the log, for the filter's choices."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
