"""Background work of the bids app (django-tasks; run by ``haat worker``)."""

from __future__ import annotations

from django_tasks import task

from haat.bids import services

# Upper bound on batches per run, so one run always ends; whatever is left waits for the next run.
_MAX_BATCHES = 1000


@task()
def expire_awards() -> int:
    """Expire every award whose freelancer did not answer in time; returns how many were expired.

    Idempotent: a second run (or a concurrent one on another worker) finds nothing left to expire. Each award
    enqueues this task to run at its ``award_expires_at``; running it more often changes nothing.
    """
    total = 0
    for _batch in range(_MAX_BATCHES):
        expired = services.expire_due_awards()
        total += expired
        if not expired:
            break
    return total


@task()
def close_bids() -> int:
    """Close the live bids of jobs that closed or were cancelled; returns how many bids were closed.

    Idempotent: closed bids are no longer live, so a second run changes nothing.
    """
    total = 0
    for _batch in range(_MAX_BATCHES):
        closed = services.close_bids_on_finished_jobs()
        total += closed
        if not closed:
            break
    return total
