"""In-process search timings for recording what an optimisation buys (median of N API requests through
Django's test client, with the SQL time and query count of the last one); no HTTP, no server.

    DATABASE_URL=... python bench/inprocess.py [repeat]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haat.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.suite import query_shapes  # noqa: E402


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    client = Client(SERVER_NAME="localhost")
    print(f"{connection.vendor} {connection.settings_dict['NAME']}, load {os.getloadavg()[0]:.1f}")
    for name, (api, _page) in query_shapes().items():
        path = "/api/v1/jobs?" + urlencode(api)
        client.get(path)
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
        sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(
            f"  {name:<26} {statistics.median(times):8.1f} ms  (SQL {sql:7.1f} ms, {len(captured.captured_queries)} queries)"
        )


if __name__ == "__main__":
    main()
