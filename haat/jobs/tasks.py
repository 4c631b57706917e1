"""Background work of the jobs app (django-tasks; run by ``haat worker``)."""

from __future__ import annotations

from django_tasks import task

from haat.jobs import services


@task()
def close_bidding() -> int:
    """Close every open job whose ``bidding_closes_at`` has passed, unless a bid on it is awarded or accepted;
    returns how many were closed.

    Publishing a job (or moving its closing time) enqueues this task to run at that time, and the periodic
    scheduler runs it as a safety net. Idempotent: a second run, or a concurrent one on another worker, finds
    nothing left to close. Only jobs change here; the bids rules refuse bids on jobs that are not open.
    """
    return services.close_expired_jobs()
