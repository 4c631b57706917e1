"""Search latency on the demo data: the median of 20 queries through the selector and over the API.

Prints figures only. Uses a fresh database: SQLite in a temporary folder, or PostgreSQL when DATABASE_URL
names one (it is dropped and recreated):

    python bench/search_demo.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haat_bench python bench/search_demo.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("HAAT_DATA_DIR", tempfile.mkdtemp(prefix="haat-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haat.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.ledger_transfers import prepare_database  # noqa: E402
from haat.jobs import search, selectors  # noqa: E402

QUERIES = [
    {"q": "logo"},
    {"q": "লোগো"},
    {"q": "shop django"},
    {"category": "creative"},
    {"q": "translate"},
    {"skills": ["django"]},
    {"budget_min": 10000, "budget_max": 40000, "currency": "USD"},
    {"sort": "fewest_bids"},
    {"q": "wordpress", "sort": "relevance"},
    {"q": "ডেটা"},
    {"category": "it", "sort": "budget_high"},
    {"q": "video"},
    {"open_only": False},
    {"q": "chat support"},
    {"category": "bpo"},
    {"q": "excel"},
    {"q": "catalogue bengali"},
    {"sort": "newest"},
    {"q": "speed seo"},
    {"q": "saris"},
]


def main() -> None:
    prepare_database()
    call_command("demo", verbosity=0)
    client = Client(SERVER_NAME="localhost")
    direct, http = [], []
    for raw in QUERIES:
        params = search.clean_params(raw)
        started = time.perf_counter()
        result = selectors.search_jobs(None, params)
        assert result.count == len(result.jobs) or len(result.jobs) == 20
        direct.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        response = client.get("/api/v1/jobs", raw)
        http.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    print(f"Search on {connection.vendor}, demo data, {len(QUERIES)} queries:")
    print(
        f"  selector (page + count + facets): median {statistics.median(direct):.1f} ms, max {max(direct):.1f} ms"
    )
    print(
        f"  GET /api/v1/jobs (in-process):    median {statistics.median(http):.1f} ms, max {max(http):.1f} ms"
    )


if __name__ == "__main__":
    main()
