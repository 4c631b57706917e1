"""API: weekly status reports of a contract (mounted by contracts.api).

Both parties read the reports and the missed weeks; only the freelancer files, while the contract is active
and large (see ``haat.contracts.reports``). Everyone else gets 404, like an unknown id. No money moves here.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StrictInt, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.contracts import report_selectors, reports, selectors
from haat.contracts.models import StatusReport

router = Router(tags=["contracts"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
Text = Annotated[str, StringConstraints(max_length=reports.MAX_TEXT_LENGTH)]


class StatusReportIn(Schema):
    done: Text = Field(description="What was done this week (Markdown).")
    next_steps: Text = Field(description="What comes next (Markdown).")
    blockers: Text = Field("", description="What stands in the way, if anything (Markdown).")
    percent_complete: StrictInt = Field(description="0 to 100.")
    week_ending: date | None = Field(
        None,
        description="A Friday. Leave out for the current week; an earlier week without a report is "
        "accepted as a late report, and that week stays missed.",
    )


class StatusReportOut(Schema):
    id: int
    contract_id: int
    week_ending: date
    done: str
    next_steps: str
    blockers: str
    percent_complete: int
    filed_at: datetime
    deadline: datetime = Field(description="Friday 23:59:59 in the freelancer's time zone, as an instant.")
    on_time: bool


class MissedWeekOut(Schema):
    week_ending: date
    deadline: datetime
    recorded_at: datetime
    points: int = Field(description="Ranking points taken off the freelancer's score (negative).")


class StatusReportsOut(Schema):
    contract_id: int
    required: bool = Field(description="Whether the contract is large enough to need weekly reports.")
    freelancer_time_zone: str
    next_week_ending: date | None = Field(description="The week whose report is due next; null if none.")
    next_deadline: datetime | None
    reports: list[StatusReportOut] = Field(description="Newest week first (at most one per week).")
    missed_weeks: list[MissedWeekOut] = Field(description="Newest first.")


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _out(report: StatusReport, deadline: datetime, on_time: bool) -> dict[str, object]:
    return {
        "id": report.pk,
        "contract_id": report.contract_id,
        "week_ending": report.week_ending,
        "done": report.done,
        "next_steps": report.next_steps,
        "blockers": report.blockers,
        "percent_complete": report.percent_complete,
        "filed_at": report.filed_at,
        "deadline": deadline,
        "on_time": on_time,
    }


@router.get(
    "/contracts/{contract_id}/status-reports",
    response={200: StatusReportsOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="The contract's weekly status reports and missed weeks (both parties)",
)
def list_status_reports(request: HttpRequest, contract_id: int) -> dict[str, object]:
    contract = selectors.contract_of(_user(request), contract_id)
    view = report_selectors.overview(contract)
    return {
        "contract_id": contract.pk,
        "required": view.required,
        "freelancer_time_zone": view.zone_name,
        "next_week_ending": view.next_week_ending,
        "next_deadline": view.next_deadline,
        "reports": [_out(item.report, item.deadline, item.on_time) for item in view.reports],
        "missed_weeks": [
            {
                "week_ending": item.missed.week_ending,
                "deadline": item.missed.deadline,
                "recorded_at": item.missed.recorded_at,
                "points": item.points,
            }
            for item in view.missed
        ],
    }


@router.post(
    "/contracts/{contract_id}/status-reports",
    response={201: StatusReportOut, 409: Problem, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="File this week's status report (the freelancer, while the contract is active and large)",
)
def file_status_report(request: HttpRequest, contract_id: int, payload: StatusReportIn) -> Status:
    try:
        report = reports.file_report(
            user=_user(request),
            contract_id=contract_id,
            done=payload.done,
            next_steps=payload.next_steps,
            blockers=payload.blockers,
            percent_complete=payload.percent_complete,
            week_ending=payload.week_ending,
        )
    except reports.ReportStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    deadline = reports.report_deadline(report.contract, report.week_ending)
    return Status(201, _out(report, deadline, report.filed_at <= deadline))
