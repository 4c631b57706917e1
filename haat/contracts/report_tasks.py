"""Background work of the status reports (django-tasks; run by ``haat worker``, listed in ``web.periodic``)."""

from __future__ import annotations

from django_tasks import task

from haat.contracts import reports


@task()
def record_missed_reports() -> int:
    """Penalise every week whose status report did not come in by its Friday deadline; returns how many weeks
    were newly recorded.

    Idempotent: a missed week is recorded once (unique ``MissedReport`` row and ranking key), so a second
    run, or a concurrent one on another worker, records nothing more. Hourly is enough: a deadline is then
    penalised within the hour.
    """
    return reports.record_missed_reports()


@task()
def send_report_reminders() -> int:
    """E-mail Thursday reminders for status reports due the next day; returns how many were sent.

    Idempotent: each contract and week gets one reminder (remembered by a ``marker:`` ranking key), however
    often this runs on Thursday.
    """
    return reports.send_reminders()
