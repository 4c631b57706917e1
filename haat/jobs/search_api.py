"""API: GET /jobs (search, filters, facets) on the jobs router, and saved filters."""

from ninja import Router

from haat.jobs.job_api import router as jobs_router  # noqa: F401  (GET /jobs is registered on it)

router = Router(tags=["saved filters"])
