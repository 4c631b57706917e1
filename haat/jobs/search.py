"""Full-text search of jobs on PostgreSQL and SQLite behind one interface (see the search issue)."""

from __future__ import annotations

from haat.jobs.models import Job


def index_job(job: Job) -> None:
    """Bring the job's search entry up to date; call after every change to a job's text or status."""
