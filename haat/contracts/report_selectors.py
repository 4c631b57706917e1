"""Reads of status reports: what a contract's two parties see of its reports and missed weeks."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from haat.contracts import reports
from haat.contracts.models import Contract, MissedReport, StatusReport
from haat.reputation.models import RankingEvent


@dataclasses.dataclass(frozen=True)
class FiledReport:
    report: StatusReport
    deadline: dt.datetime
    on_time: bool


@dataclasses.dataclass(frozen=True)
class MissedWeek:
    missed: MissedReport
    points: int


@dataclasses.dataclass(frozen=True)
class ReportOverview:
    """Everything the report section of a contract shows, computed with a fixed number of queries."""

    contract: Contract
    required: bool
    next_week_ending: dt.date | None
    next_deadline: dt.datetime | None
    fileable_weeks: list[dt.date]
    current_week_ending: dt.date
    reports: list[FiledReport]
    missed: list[MissedWeek]
    zone_name: str


def overview(contract: Contract, now: dt.datetime | None = None) -> ReportOverview:
    """The reports of ``contract`` (newest week first, each with its deadline and whether it was on time),
    its missed weeks (newest first), and what is due next. The caller has checked that the user is a party."""
    now = now or timezone.now()
    zone = reports.freelancer_zone(contract)
    filed = [
        FiledReport(
            report=report,
            deadline=(deadline := reports.report_deadline(contract, report.week_ending, zone=zone)),
            on_time=report.filed_at <= deadline,
        )
        for report in StatusReport.objects.filter(contract=contract).order_by("-week_ending")
    ]
    next_week = reports.next_due_week(contract, now)
    points = dict(
        RankingEvent.objects.filter(contract=contract, key__startswith="missed-report:").values_list(
            "key", "points"
        )
    )
    return ReportOverview(
        contract=contract,
        required=reports.is_large(contract),
        next_week_ending=next_week,
        next_deadline=reports.report_deadline(contract, next_week, zone=zone) if next_week else None,
        fileable_weeks=reports.fileable_weeks(contract, now),
        current_week_ending=reports.current_week_ending(contract, now),
        reports=filed,
        missed=[
            MissedWeek(
                missed=missed,
                points=points.get(
                    reports.MISSED_KEY.format(contract=contract.pk, week=missed.week_ending.isoformat()),
                    -reports.penalty(),
                ),
            )
            for missed in MissedReport.objects.filter(contract=contract).order_by("-week_ending")
        ],
        zone_name=zone.key,
    )
