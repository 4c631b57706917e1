"""Background work of the payments app (django-tasks; run by ``haat worker``)."""

from __future__ import annotations

from django_tasks import task

from haat.payments import deposits

# Upper bound on batches per run, so one run always ends; whatever is left waits for the next run.
_MAX_BATCHES = 1000


@task()
def expire_deposits() -> int:
    """Expire every pending deposit whose time is up; returns how many were expired.

    Idempotent: a second run (or a concurrent one on another worker) finds nothing left to expire. Each
    waiting deposit enqueues this task to run at its ``expires_at``; running it more often changes nothing.
    """
    total = 0
    for _batch in range(_MAX_BATCHES):
        expired = deposits.expire_pending_deposits()
        total += expired
        if not expired:
            break
    return total
