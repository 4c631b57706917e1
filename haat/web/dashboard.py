"""Reads behind the dashboard: each contract with what it is waiting for, and money per month for the charts.

Read-only. The "waiting for" text is written for the reader (buyer or freelancer of that contract).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from babel.dates import format_date
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.contracts import reports
from haat.contracts.models import (
    CancellationRequest,
    Contract,
    ContractStatus,
    Delivery,
    Milestone,
    MilestoneStatus,
    StatusReport,
)
from haat.contracts.selectors import contracts_of
from haat.ledger.models import AccountKind, Phase, Transfer, TransferCode
from haat.web.charts import Bar
from haat.web.money import format_money

CONTRACT_LIMIT = 20
MONTHS = 12
_OPEN = (
    MilestoneStatus.AWAITING_FUNDING,
    MilestoneStatus.FUNDED,
    MilestoneStatus.DELIVERED,
    MilestoneStatus.CHANGES_REQUESTED,
)


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    is_buyer: bool
    waiting_for: str
    report_due: str  # "" when no report is due


def _latest_version(milestone: Milestone) -> int:
    versions = [d.version for d in milestone.deliveries.all()]
    return max(versions, default=0)


def _open_cancellation(milestone: Milestone) -> CancellationRequest | None:
    return next((r for r in milestone.cancellation_requests.all() if r.answered_at is None), None)


def waiting_for(contract: Contract, user: User) -> str:
    """What the contract waits for, said to ``user`` (a party). Milestones are prefetched with their
    deliveries and cancellation requests (see ``dashboard_contracts``)."""
    is_buyer = contract.buyer_id == user.pk
    if contract.status == ContractStatus.COMPLETED:
        return _("Completed")
    if contract.status == ContractStatus.CANCELLED:
        return _("Cancelled")
    if contract.status == ContractStatus.DISPUTED:
        return _("In dispute: the escrow is frozen until the dispute is settled or decided")
    milestone = next((m for m in contract.milestones.all() if m.status in _OPEN), None)
    if milestone is None:
        return _("Nothing open")
    request = _open_cancellation(milestone)
    if request is not None:
        if request.requested_by_id == user.pk:
            return _("Waiting for the other side to answer your cancellation request")
        return _("Waiting for your answer to a cancellation request")
    version = _latest_version(milestone)
    status = milestone.status
    if status == MilestoneStatus.AWAITING_FUNDING:
        return _("Waiting for your funding") if is_buyer else _("Waiting for the buyer to fund the escrow")
    if status == MilestoneStatus.FUNDED:
        return _("Waiting for the freelancer's delivery") if is_buyer else _("Waiting for your delivery")
    if status == MilestoneStatus.CHANGES_REQUESTED:
        if is_buyer:
            return _("Waiting for the freelancer's changes to version %(version)d") % {"version": version}
        return _("Waiting for your changes to version %(version)d") % {"version": version}
    if is_buyer:
        return _("Waiting for your review of version %(version)d") % {"version": version}
    return _("Waiting for the buyer's review of version %(version)d") % {"version": version}


def report_due(contract: Contract, user: User, now: dt.datetime) -> str:
    """ "Report due Friday, 12 June" for the freelancer of an active large contract whose current report is not
    filed yet; "" otherwise."""
    if contract.freelancer_id != user.pk or contract.status != ContractStatus.ACTIVE:
        return ""
    week = reports.next_due_week(contract, now)
    if week is None or any(r.week_ending == week for r in contract.status_reports.all()):
        return ""
    day = format_date(week, "EEEE d MMMM", locale=(get_language() or "en").replace("-", "_"))
    return _("Report due %(day)s") % {"day": day}


def dashboard_contracts(user: User, *, now: dt.datetime | None = None) -> list[ContractRow]:
    """The user's newest contracts (as buyer or freelancer) with what each waits for."""
    now = now or timezone.now()
    contracts = contracts_of(user).prefetch_related(
        Prefetch(
            "milestones",
            queryset=Milestone.objects.order_by("position", "pk").prefetch_related(
                Prefetch("deliveries", queryset=Delivery.objects.only("pk", "milestone_id", "version")),
                "cancellation_requests",
            ),
        ),
        Prefetch("status_reports", queryset=StatusReport.objects.only("pk", "contract_id", "week_ending")),
    )[:CONTRACT_LIMIT]
    return [
        ContractRow(
            contract=c,
            is_buyer=c.buyer_id == user.pk,
            waiting_for=waiting_for(c, user),
            report_due=report_due(c, user, now),
        )
        for c in contracts
    ]


# --- Money per month ------------------------------------------------------------------------------------------


def _month_starts(now: dt.datetime, zone: zoneinfo.ZoneInfo) -> list[dt.date]:
    local = timezone.localtime(now, zone).date().replace(day=1)
    months = [local]
    for _i in range(MONTHS - 1):
        previous = months[-1] - dt.timedelta(days=1)
        months.append(previous.replace(day=1))
    return list(reversed(months))


def _per_month(
    transfers: Q, user: User, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> tuple[list[dt.date], dict[str, dict[dt.date, int]]]:
    months = _month_starts(now, zone)
    since = dt.datetime.combine(months[0], dt.time(), tzinfo=zone)
    rows = (
        Transfer.objects.filter(transfers, phase__in=[Phase.POSTED, Phase.POST_PENDING])
        .filter(created_at__gte=since, created_at__lte=now)
        .values_list("created_at", "amount", "currency")
    )
    sums: dict[str, dict[dt.date, int]] = defaultdict(lambda: dict.fromkeys(months, 0))
    for created_at, amount, currency in rows:
        month = timezone.localtime(created_at, zone).date().replace(day=1)
        if month in sums[currency]:
            sums[currency][month] += amount
    return months, dict(sums)


def earnings_per_month(
    user: User, zone: zoneinfo.ZoneInfo, *, now: dt.datetime | None = None
) -> tuple[list[dt.date], dict[str, dict[dt.date, int]]]:
    """Releases credited to the user's clearing account, per month of the last 12 (in ``zone``), per currency."""
    query = Q(
        code=TransferCode.RELEASE, credit_account__kind=AccountKind.CLEARING, credit_account__owner=user
    )
    return _per_month(query, user, zone, now or timezone.now())


def spending_per_month(
    user: User, zone: zoneinfo.ZoneInfo, *, now: dt.datetime | None = None
) -> tuple[list[dt.date], dict[str, dict[dt.date, int]]]:
    """Escrow fundings plus buyer fees paid from the user's wallet, per month of the last 12, per currency."""
    query = Q(
        code__in=[TransferCode.ESCROW_FUNDING, TransferCode.BUYER_FEE],
        debit_account__kind=AccountKind.WALLET,
        debit_account__owner=user,
    )
    return _per_month(query, user, zone, now or timezone.now())


def bars(months: list[dt.date], sums: dict[dt.date, int], currency: str) -> list[Bar]:
    """Chart bars for one currency's monthly sums, labelled in the reader's language."""
    locale = (get_language() or "en").replace("-", "_")
    return [
        Bar(
            label=format_date(month, "MMM", locale=locale),
            full_label=format_date(month, "MMMM y", locale=locale),
            value=sums.get(month, 0),
            value_text=format_money(sums.get(month, 0), currency),
        )
        for month in months
    ]
