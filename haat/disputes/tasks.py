"""Background work of the disputes app (django-tasks; run by ``haat worker``)."""

from __future__ import annotations

from django_tasks import task

from haat.disputes import services

# Upper bound on batches per run, so one run always ends; whatever is left waits for the next run.
_MAX_BATCHES = 1000


@task()
def escalate_disputes() -> int:
    """Send disputes whose negotiation time is over to an arbiter. Idempotent: an escalated dispute is no longer
    in negotiation, so a second run (or a concurrent one on another worker) changes nothing."""
    total = 0
    for _batch in range(_MAX_BATCHES):
        escalated = services.escalate_due()
        total += escalated
        if not escalated:
            break
    return total
