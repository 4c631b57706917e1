"""Background work of the contracts app (django-tasks; run by ``haat worker``)."""

from __future__ import annotations

from django_tasks import task

from haat.contracts import services

# Upper bound on batches per run, so one run always ends; whatever is left waits for the next run.
_MAX_BATCHES = 1000


@task()
def remind_unfunded() -> int:
    """Remind buyers of milestones still awaiting funding, 1 and 3 days after the contract was created.

    Idempotent: each milestone counts the reminders it got, so a second run sends nothing new.
    Returns how many reminders were sent.
    """
    total = 0
    for _batch in range(_MAX_BATCHES):
        sent = services.remind_unfunded()
        total += sent
        if not sent:
            break
    return total


@task()
def auto_accept_deliveries() -> int:
    """Warn buyers 2 days ahead, then accept deliveries left unanswered for ``HAAT_AUTO_ACCEPT_DAYS`` days.

    Idempotent: a warning is recorded on the milestone, and an accepted milestone is no longer delivered, so
    a second run (or a concurrent one on another worker) changes nothing. Returns how many were accepted.
    """
    total = 0
    for _batch in range(_MAX_BATCHES):
        warned, accepted = services.auto_accept_due()
        total += accepted
        if not warned and not accepted:
            break
    return total
