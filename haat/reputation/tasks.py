"""Background work of the reputation app (django-tasks; run by ``haat worker``)."""

from __future__ import annotations

from django_tasks import task

from haat.reputation import services


@task()
def publish_blind_reviews() -> int:
    """Publish reviews still hidden 14 days after they were written (double-blind period over).

    Idempotent: only unpublished reviews change, so a second run publishes nothing. Returns how many were
    published.
    """
    return services.publish_blind_reviews()
