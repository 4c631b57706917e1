"""API of haat.moderation: the parties' side.

Report a job, message, profile or review you can see (others answer 404, like unknown ids); list your reports
and their outcome; read your own moderation record (warnings, suspension, hidden content); appeal a suspension
once (a second appeal answers 409). Moderators work in the staff pages, not through the API.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StrictInt

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.moderation import rules, selectors, services
from haat.moderation.models import REASON_MAX_LENGTH, Appeal, Report, ReportReason, Suspension

router = Router(tags=["moderation"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}


class ReportIn(Schema):
    target_type: Literal["job", "message", "profile", "review"] = Field(
        description="What is reported. A profile is identified by its user's id."
    )
    target_id: StrictInt = Field(
        gt=0, description="The id of the job, message, review, or the profile's user."
    )
    reason: ReportReason = Field(description="Why it is reported.")
    note: str = Field("", max_length=REASON_MAX_LENGTH, description="Anything the moderators should know.")


class ReportOut(Schema):
    id: int
    target_type: str
    target_id: int
    reason: str
    note: str
    status: str = Field(description="open, actioned or dismissed.")
    outcome: str = Field(description="What the moderator told you, once handled.")
    created_at: datetime
    resolved_at: datetime | None


class AppealIn(Schema):
    statement: str = Field(min_length=1, max_length=REASON_MAX_LENGTH)


class AppealOut(Schema):
    id: int
    suspension_id: int
    statement: str
    status: str = Field(description="pending, granted or refused.")
    decision: str
    created_at: datetime
    decided_at: datetime | None


class WarningOut(Schema):
    id: int
    rule: str
    rule_title: str
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_rule_title(obj: object) -> str:
        return rules.rule_title(str(getattr(obj, "rule", "")))


class SuspensionOut(Schema):
    id: int
    rule: str
    rule_title: str
    reason: str
    is_fraud: bool = Field(description="For suspected fraud.")
    withdrawals_blocked: bool = Field(description="For fraud, and finance has not reviewed the account yet.")
    created_at: datetime
    lifted_at: datetime | None
    lift_reason: str
    appeal: AppealOut | None

    @staticmethod
    def resolve_rule_title(obj: Suspension) -> str:
        return obj.rule_title

    @staticmethod
    def resolve_withdrawals_blocked(obj: Suspension) -> bool:
        return obj.blocks_withdrawals

    @staticmethod
    def resolve_appeal(obj: Suspension) -> Appeal | None:
        return getattr(obj, "appeal", None)


class HiddenOut(Schema):
    target_type: str
    target_id: int
    reason: str
    hidden_at: datetime


class RecordOut(Schema):
    active_suspension: SuspensionOut | None
    suspensions: list[SuspensionOut]
    warnings: list[WarningOut]
    hidden: list[HiddenOut]


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.post(
    "/reports",
    response={201: ReportOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Report a job, message, profile or review you can see",
)
def create_report(request: HttpRequest, payload: ReportIn) -> Status[Report]:
    item = services.report(
        reporter=_user(request),
        target_type=payload.target_type,
        target_id=payload.target_id,
        reason=payload.reason.value,
        note=payload.note,
    )
    return Status(201, item)


@router.get(
    "/reports", response={200: list[ReportOut], **AUTH_ERRORS}, summary="Your reports and their outcome"
)
def list_reports(request: HttpRequest) -> list[Report]:
    return list(selectors.reports_of(_user(request))[:200])


@router.get(
    "/me/moderation",
    response={200: RecordOut, **AUTH_ERRORS},
    summary="Your warnings, suspensions (with appeals) and hidden content",
)
def my_record(request: HttpRequest) -> dict[str, object]:
    record = selectors.record_of(_user(request))
    return {
        "active_suspension": record.active,
        "suspensions": record.suspensions,
        "warnings": record.warnings,
        "hidden": [
            {
                "target_type": item.target_type,
                "target_id": item.target_id,
                "reason": item.reason,
                "hidden_at": item.hidden_at,
            }
            for item in record.hidden
        ],
    }


@router.post(
    "/suspensions/{suspension_id}/appeal",
    response={201: AppealOut, **NOT_FOUND, 409: Problem, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Appeal your suspension, once; a staff member other than the one who suspended you decides",
)
def create_appeal(request: HttpRequest, suspension_id: int, payload: AppealIn) -> Status[Appeal]:
    try:
        item = services.appeal(user=_user(request), suspension_id=suspension_id, statement=payload.statement)
    except services.ModerationStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(201, item)
