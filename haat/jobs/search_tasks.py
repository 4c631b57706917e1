"""Background work of job search (django-tasks; run by ``haat worker``)."""

from __future__ import annotations

from django_tasks import task

from haat.jobs import digest


@task()
def send_filter_digests() -> int:
    """E-mail each saved filter's new matches, at most once a day per filter; returns the e-mails sent.

    Idempotent: a second run the same day (or a concurrent one on another worker) sends nothing, and a job is
    never e-mailed twice for the same filter. Meant to run every hour, so each digest leaves soon after
    midnight in its owner's time zone, or as soon as something new matches.
    """
    return digest.send_filter_digests()
