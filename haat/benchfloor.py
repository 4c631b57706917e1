"""The framework floor for the write benchmarks: ``POST /bench/floor/{job_id}``.

Authenticated like the real API (bearer token) and answered by django-ninja through the same middleware,
it does one indexed read (a job by primary key) and returns a small JSON object: the least a request to this
server can cost. Mounted only when ``HAAT_BENCH=1`` (see ``haat/urls.py``), which only the benchmark suite
sets: it is never reachable in production.
"""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI

from haat.api import token_auth
from haat.jobs.models import Job

floor_api = NinjaAPI(urls_namespace="bench-floor", docs_url=None, openapi_url=None, auth=[token_auth])


@floor_api.post("/floor/{job_id}")
def floor(request: HttpRequest, job_id: int) -> dict[str, Any]:
    status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
    return {"job": job_id, "status": status}
