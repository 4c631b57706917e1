"""Weekly status reports on large contracts, the missed-report penalty and the Thursday reminder.

A contract is **large** (``is_large``) when its price is at or above ``HAAT_LARGE_CONTRACT_PRICE`` for its
currency (``"*"`` for the others), or when it runs longer than ``HAAT_LARGE_CONTRACT_DAYS`` days (deadline minus
``started_at``, or ``created_at`` before work started). While a large contract is ``active`` the freelancer
files one report per week.

Weeks end on **Friday**, and the report of a week is due by **Friday 23:59:59.999999 in the freelancer's time
zone** (their profile's; ``report_deadline``). The deadline is computed as a wall-clock time in that zone with
``zoneinfo``, so it is right on both sides of a daylight-saving change: Friday 23:59 in Los Angeles is 06:59 UTC
on Saturday in summer and 07:59 UTC in winter.

The first week that needs a report ends on the first Friday at least ``FIRST_REPORT_AFTER_DAYS`` days after
the day work started (in the freelancer's zone), so nobody owes a report for a week they worked one day of.
The last is the one whose deadline falls before the contract ended.

What a report goes through (``file_report``)::

    (no report for the week) ──file (freelancer, contract active and large)──▶ filed
        filed before the week's deadline ──▶ on time: the week is done
        filed after it (a late report) ─────▶ accepted and kept, but the week stays missed

    (no report on time) ──deadline passes, ``record_missed_reports``──▶ missed
        one ``MissedReport`` row and one ``RankingEvent`` of −HAAT_MISSED_REPORT_PENALTY points, keyed
        ``missed-report:<contract>:<week>``; both are unique, so however often the task runs (or however
        many workers run it at once) a week is penalised once.

Anything else is refused: a second report for the same week, a report on a contract that is not active or
needs no reports (``ReportStateError``, 409 on the API), a report by the buyer (``PermissionDenied``), by
anyone else (``Contract.DoesNotExist``, a 404 like an unknown id), bad fields (``ValidationError`` keyed by
field). A refusal changes nothing.

**Reminder** (``send_reminders``): on Thursday in the freelancer's zone, if the week ending the next day needs
a report and none was filed, the freelancer is e-mailed once. "Once" is remembered by a 0-point ranking
event keyed ``marker:report-reminder:<contract>:<week>`` written in the same transaction as the decision to
send (the e-mail leaves after commit): its unique key makes a second run, or a racing worker, find the marker
and send nothing. Marker events never show in the ranking history and add nothing to the score.

Locks: ``file_report`` and the per-contract step of ``record_missed_reports`` lock the contract row
(``select_for_update``), so a report and the deadline check on one contract apply one after the other.
E-mails leave after the transaction commits, composed in the recipient's language and time zone. Money never
moves here.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from haat.accounts.models import Profile, User
from haat.contracts import selectors
from haat.contracts.models import Contract, ContractStatus, MissedReport, StatusReport
from haat.ledger.services import retry_on_conflict
from haat.notifications.email import send_to as _send
from haat.reputation import services as reputation

logger = logging.getLogger(__name__)

FRIDAY = 4
THURSDAY = 3
WEEK = dt.timedelta(days=7)
END_OF_DAY = dt.time(23, 59, 59, 999_999)
FIRST_REPORT_AFTER_DAYS = 2
MAX_TEXT_LENGTH = 10_000
MISSED_KEY = "missed-report:{contract}:{week}"
REMINDER_KEY = reputation.MARKER_PREFIX + "report-reminder:{contract}:{week}"


class ReportStateError(ValidationError):
    """The contract takes no such report now (not active, no reports needed, week already filed): a 409."""


# --- Rules (pure) ---------------------------------------------------------------------------------------------


def freelancer_zone(contract: Contract) -> zoneinfo.ZoneInfo:
    """The freelancer's time zone from their profile (UTC when they have none)."""
    profile = Profile.objects.filter(user_id=contract.freelancer_id).only("time_zone").first()
    try:
        return zoneinfo.ZoneInfo(profile.time_zone if profile else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _start(contract: Contract) -> dt.datetime:
    return contract.started_at or contract.created_at


def is_large(contract: Contract) -> bool:
    """Whether the contract needs weekly status reports (see the module docstring)."""
    thresholds: dict[str, int] = settings.HAAT_LARGE_CONTRACT_PRICE
    threshold = thresholds.get(contract.currency, thresholds.get("*"))
    if threshold is not None and contract.price >= threshold:
        return True
    return contract.deadline - _start(contract) > dt.timedelta(days=settings.HAAT_LARGE_CONTRACT_DAYS)


def friday_on_or_after(day: dt.date) -> dt.date:
    """The Friday ending the report week that contains ``day`` (``day`` itself if it is a Friday)."""
    return day + dt.timedelta(days=(FRIDAY - day.weekday()) % 7)


def report_deadline(
    contract: Contract, week_ending: dt.date, *, zone: zoneinfo.ZoneInfo | None = None
) -> dt.datetime:
    """The instant (in UTC) the report of the week ending ``week_ending`` (a Friday) is due: that Friday at
    23:59:59.999999 in the freelancer's time zone, whatever its offset is that day. ``zone`` saves looking the
    freelancer's zone up again when the caller has it."""
    if week_ending.weekday() != FRIDAY:
        raise ValueError(f"{week_ending} is not a Friday")
    local = dt.datetime.combine(week_ending, END_OF_DAY, tzinfo=zone or freelancer_zone(contract))
    return local.astimezone(dt.UTC)


def first_week_ending(contract: Contract) -> dt.date:
    """The first week that needs a report: the Friday at least ``FIRST_REPORT_AFTER_DAYS`` after work began."""
    started = timezone.localtime(_start(contract), freelancer_zone(contract)).date()
    return friday_on_or_after(started + dt.timedelta(days=FIRST_REPORT_AFTER_DAYS))


def current_week_ending(contract: Contract, now: dt.datetime) -> dt.date:
    """The week a report filed at ``now`` is for: the Friday on or after today in the freelancer's zone."""
    return friday_on_or_after(timezone.localtime(now, freelancer_zone(contract)).date())


def due_weeks(contract: Contract, now: dt.datetime) -> list[dt.date]:
    """The weeks (their Fridays, oldest first) whose report was required and whose deadline has passed by
    ``now``: from ``first_week_ending`` on, and only deadlines before the contract ended. Empty for contracts
    that need no reports or never started work."""
    if contract.status == ContractStatus.AWAITING_FUNDING or not is_large(contract):
        return []
    end = min(now, contract.ended_at) if contract.ended_at else now
    zone = freelancer_zone(contract)
    weeks: list[dt.date] = []
    week = first_week_ending(contract)
    while report_deadline(contract, week, zone=zone) < end:
        weeks.append(week)
        week += WEEK
    return weeks


def next_due_week(contract: Contract, now: dt.datetime) -> dt.date | None:
    """The week whose report is due next (for pages), or ``None`` when the contract takes no reports."""
    if contract.status != ContractStatus.ACTIVE or not is_large(contract):
        return None
    return max(current_week_ending(contract, now), first_week_ending(contract))


def penalty() -> int:
    """Ranking points a missed week costs (``HAAT_MISSED_REPORT_PENALTY``, a positive number)."""
    return int(settings.HAAT_MISSED_REPORT_PENALTY)


def missed_reason(week_ending: dt.date) -> str:
    """The ranking reason for a missed week, in the active language."""
    return _("No status report for the week ending %(date)s") % {
        "date": formats.date_format(week_ending, "DATE_FORMAT")
    }


def event_reason(key: str, stored: str) -> str:
    """The reason of a ranking event in the active language when the key says what it was, else as stored."""
    parts = key.split(":")
    if len(parts) == 3 and parts[0] == "missed-report":
        try:
            return missed_reason(dt.date.fromisoformat(parts[2]))
        except ValueError:
            pass
    return stored


# --- Filing ---------------------------------------------------------------------------------------------------


def _clean(
    done: object, next_steps: object, blockers: object, percent_complete: object
) -> tuple[str, str, str, int]:
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for field, value, required in (
        ("done", done, True),
        ("next_steps", next_steps, True),
        ("blockers", blockers, False),
    ):
        text = value.strip() if isinstance(value, str) else ""
        if value is not None and not isinstance(value, str):
            errors[field] = _("Enter text.")
        elif required and not text:
            errors[field] = _("This field is required.")
        elif len(text) > MAX_TEXT_LENGTH:
            errors[field] = _("At most %(n)d characters.") % {"n": MAX_TEXT_LENGTH}
        elif "\0" in text:
            errors[field] = _("This text contains characters that are not allowed.")
        texts[field] = text
    if (
        isinstance(percent_complete, bool)
        or not isinstance(percent_complete, int)
        or not 0 <= percent_complete <= 100
    ):
        errors["percent_complete"] = _("Enter a whole number from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(percent_complete, int)
    return texts["done"], texts["next_steps"], texts["blockers"], percent_complete


def fileable_weeks(contract: Contract, now: dt.datetime) -> list[dt.date]:
    """The weeks a report may be filed for now, newest first: the current week (if it has no report yet) and
    past weeks of this contract that never got one (a late report is accepted; the week stays missed)."""
    if contract.status != ContractStatus.ACTIVE or not is_large(contract):
        return []
    started = friday_on_or_after(timezone.localtime(_start(contract), freelancer_zone(contract)).date())
    filed = set(StatusReport.objects.filter(contract=contract).values_list("week_ending", flat=True))
    weeks: list[dt.date] = []
    week = current_week_ending(contract, now)
    while week >= started:
        if week not in filed:
            weeks.append(week)
        week -= WEEK
    return weeks


@retry_on_conflict()
def file_report(
    *,
    user: User,
    contract_id: int,
    done: object,
    next_steps: object,
    blockers: object = "",
    percent_complete: object,
    week_ending: dt.date | None = None,
) -> StatusReport:
    """File the freelancer's status report: what was done, what is next, blockers, percent complete (0–100).

    It is for the current week (the Friday on or after today in the freelancer's zone) unless ``week_ending``
    names an earlier week of this contract without a report: such a late report is stored but the week stays
    missed (``record_missed_reports`` judges by the filing time). One transaction, one report per week.

    Raises ``Contract.DoesNotExist`` for non-parties, ``PermissionDenied`` for the buyer, ``ValidationError``
    keyed by field for bad input, ``ReportStateError`` when the contract is not active, needs no reports, or
    the week already has one. A refusal stores nothing. The buyer is e-mailed after commit.
    """
    contract = selectors.contract_of(user, contract_id)
    if contract.freelancer_id != user.pk:
        raise PermissionDenied(_("Only the freelancer files status reports."))
    done, next_steps, blockers, percent = _clean(done, next_steps, blockers, percent_complete)
    now = timezone.now()
    try:
        with transaction.atomic():
            contract = Contract.objects.select_for_update().get(pk=contract.pk)
            if contract.status != ContractStatus.ACTIVE:
                raise ReportStateError(
                    _("Status reports are filed while the contract is active; it is “%(status)s”.")
                    % {"status": contract.get_status_display()}
                )
            if not is_large(contract):
                raise ReportStateError(_("This contract is small: it needs no weekly status reports."))
            week = current_week_ending(contract, now) if week_ending is None else week_ending
            if week not in fileable_weeks(contract, now):
                if StatusReport.objects.filter(contract=contract, week_ending=week).exists():
                    raise ReportStateError(
                        _("You already filed the report for the week ending %(date)s.")
                        % {"date": formats.date_format(week, "DATE_FORMAT")}
                    )
                raise ValidationError(
                    {"week_ending": _("Choose the current week or an earlier week of this contract.")}
                )
            report = StatusReport.objects.create(
                contract=contract,
                week_ending=week,
                done=done,
                next_steps=next_steps,
                blockers=blockers,
                percent_complete=percent,
            )
            transaction.on_commit(partial(_mail_report_filed, report.pk), robust=True)
            return report
    except IntegrityError:
        # A concurrent request filed the same week first (the ``one_report_per_week`` constraint).
        if StatusReport.objects.filter(contract_id=contract.pk, week_ending=week).exists():
            raise ReportStateError(
                _("You already filed the report for the week ending %(date)s.")
                % {"date": formats.date_format(week, "DATE_FORMAT")}
            ) from None
        raise


def is_on_time(report: StatusReport) -> bool:
    """Whether ``report`` came in by its week's deadline."""
    return report.filed_at <= report_deadline(report.contract, report.week_ending)


# --- The periodic checks --------------------------------------------------------------------------------------


def _active_contract_ids() -> list[int]:
    return list(
        Contract.objects.filter(status=ContractStatus.ACTIVE).order_by("pk").values_list("pk", flat=True)
    )


def record_missed_reports(now: dt.datetime | None = None) -> int:
    """Record every missed week of every active large contract; returns how many weeks were newly recorded.

    For each week in ``due_weeks`` without a report filed by its deadline: one ``MissedReport`` and one
    ranking event of −``HAAT_MISSED_REPORT_PENALTY`` for the freelancer, with the reason "No status report for
    the week ending …", and an e-mail to the freelancer after commit. Each contract is its own transaction
    (its row locked); the unique week of ``MissedReport`` and the unique ranking key make every week count
    once, however often this runs.
    """
    now = now or timezone.now()
    total = 0
    for contract_id in _active_contract_ids():
        total += _record_missed_of(contract_id, now)
    return total


@retry_on_conflict()
def _record_missed_of(contract_id: int, now: dt.datetime) -> int:
    with transaction.atomic():
        contract = Contract.objects.select_for_update().select_related("freelancer").get(pk=contract_id)
        if contract.status != ContractStatus.ACTIVE:
            return 0
        weeks = due_weeks(contract, now)
        if not weeks:
            return 0
        recorded = set(MissedReport.objects.filter(contract=contract).values_list("week_ending", flat=True))
        filed = dict(
            StatusReport.objects.filter(contract=contract, week_ending__in=weeks).values_list(
                "week_ending", "filed_at"
            )
        )
        zone = freelancer_zone(contract)
        new = 0
        for week in weeks:
            deadline = report_deadline(contract, week, zone=zone)
            if week in recorded or (week in filed and filed[week] <= deadline):
                continue
            MissedReport.objects.create(contract=contract, week_ending=week, deadline=deadline)
            with translation.override(settings.LANGUAGE_CODE):
                reason = missed_reason(week)
            reputation.record_event(
                user=contract.freelancer,
                points=-penalty(),
                reason=reason,
                key=MISSED_KEY.format(contract=contract.pk, week=week.isoformat()),
                contract=contract,
            )
            transaction.on_commit(partial(_mail_missed, contract.pk, week), robust=True)
            new += 1
        return new


def send_reminders(now: dt.datetime | None = None) -> int:
    """E-mail the freelancer of every active large contract on Thursday (their zone) whose report for the
    week ending the next day is not in yet; returns how many reminders went out. Once per contract and week
    (see the module docstring: a ``marker:`` ranking key remembers it)."""
    now = now or timezone.now()
    total = 0
    for contract_id in _active_contract_ids():
        total += _remind(contract_id, now)
    return total


@retry_on_conflict()
def _remind(contract_id: int, now: dt.datetime) -> int:
    with transaction.atomic():
        contract = Contract.objects.select_related("freelancer").get(pk=contract_id)
        if contract.status != ContractStatus.ACTIVE or not is_large(contract):
            return 0
        if timezone.localtime(now, freelancer_zone(contract)).weekday() != THURSDAY:
            return 0
        week = current_week_ending(contract, now)
        if week < first_week_ending(contract):
            return 0
        if StatusReport.objects.filter(contract=contract, week_ending=week).exists():
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Reminder sent: status report for the week ending %(date)s") % {
                "date": formats.date_format(week, "DATE_FORMAT")
            }
        _event, created = reputation.record_event_once(
            user=contract.freelancer,
            points=0,
            reason=reason,
            key=REMINDER_KEY.format(contract=contract.pk, week=week.isoformat()),
            contract=contract,
        )
        if not created:
            return 0
        transaction.on_commit(partial(_mail_reminder, contract.pk, week), robust=True)
        return 1


# --- E-mail ---------------------------------------------------------------------------------------------------


def _values(contract: Contract, week: dt.date) -> dict[str, str]:
    deadline = timezone.localtime(report_deadline(contract, week))
    return {
        "job": contract.job.title,
        "week": formats.date_format(week, "DATE_FORMAT"),
        "deadline": f"{formats.date_format(deadline, 'DATETIME_FORMAT')} ({deadline.tzname()})",
        "link": settings.HAAT_BASE_URL.rstrip("/")
        + reverse("contracts:contract-detail", args=[contract.pk])
        + "#reports",
        "points": str(settings.HAAT_MISSED_REPORT_PENALTY),
        "site": settings.HAAT_SITE_NAME,
    }


def _signature() -> str:
    return _("— %(site)s") % {"site": settings.HAAT_SITE_NAME}


def _contract(contract_id: int) -> Contract:
    return Contract.objects.select_related("job", "buyer", "freelancer").get(pk=contract_id)


def _mail_reminder(contract_id: int, week: dt.date) -> None:
    contract = _contract(contract_id)

    def compose() -> tuple[str, str]:
        values = _values(contract, week)
        subject = _("Status report due tomorrow: “%(job)s”") % values
        body = (
            _(
                "Hello,\n\nYour weekly status report on “%(job)s” for the week ending %(week)s is due by %(deadline)s."
                "\nA missed report costs %(points)s ranking points.\n\nFile it here: %(link)s\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(contract.freelancer, compose)


def _mail_missed(contract_id: int, week: dt.date) -> None:
    contract = _contract(contract_id)

    def compose() -> tuple[str, str]:
        values = _values(contract, week)
        subject = _("Missed status report: “%(job)s”") % values
        body = (
            _(
                "Hello,\n\nNo status report on “%(job)s” came in for the week ending %(week)s (due by %(deadline)s)."
                "\n%(points)s ranking points were taken off your score.\n\nThe contract: %(link)s\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(contract.freelancer, compose)


def _mail_report_filed(report_id: int) -> None:
    report = StatusReport.objects.select_related("contract__job", "contract__buyer").get(pk=report_id)
    contract = report.contract

    def compose() -> tuple[str, str]:
        values = _values(contract, report.week_ending) | {"percent": str(report.percent_complete)}
        subject = _("New status report: “%(job)s”") % values
        body = (
            _(
                "Hello,\n\nThe freelancer filed the status report on “%(job)s” for the week ending %(week)s "
                "(%(percent)s%% complete).\n\nRead it here: %(link)s\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(contract.buyer, compose)
