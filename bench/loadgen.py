"""A small HTTP load generator, run as its own process so that it does not share the server's interpreter.

    python bench/loadgen.py plan.json result.json

The plan is ``{"base": "http://127.0.0.1:8765", "clients": [[request, ...], ...]}``: each client is a thread
with one keep-alive connection that sends its own list of requests one after the other (so every client can
use its own account and objects). A request is ``{"method", "path", "headers", "body"}`` (body: a JSON
value or null). The result has every request's latency in milliseconds and status, the wall time and the
throughput. Loopback only: the base must be a 127.0.0.1 / localhost address.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

MAX_REQUESTS = 200_000  # a bound, whatever the plan says


def _client(base: str, requests: list[dict[str, Any]], out: list[tuple[float, int]]) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)
    for request in requests:
        body = request.get("body")
        payload = None if body is None else json.dumps(body).encode()
        headers = dict(request.get("headers") or {})
        if payload is not None:
            headers.setdefault("Content-Type", "application/json")
        started = time.perf_counter()
        try:
            connection.request(request.get("method", "GET"), request["path"], body=payload, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection(
                parts.hostname or "127.0.0.1", parts.port or 80, timeout=60
            )
        out.append(((time.perf_counter() - started) * 1000, status))
    connection.close()


def run(plan: dict[str, Any]) -> dict[str, Any]:
    base = plan["base"]
    if urlsplit(base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("The load generator only sends to this machine.")
    clients = plan["clients"]
    if sum(len(c) for c in clients) > MAX_REQUESTS:
        raise SystemExit("Too many requests in the plan.")
    results: list[list[tuple[float, int]]] = [[] for _ in clients]
    threads = [
        threading.Thread(target=_client, args=(base, requests, results[i]))
        for i, requests in enumerate(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies = [ms for client in results for ms, _ in client]
    statuses: dict[str, int] = {}
    for client in results:
        for _, status in client:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "clients": len(clients),
        "requests": len(latencies),
        "wall_s": wall,
        "throughput": len(latencies) / wall if wall else 0.0,
        "latencies_ms": latencies,
        "statuses": statuses,
    }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as source:
        plan = json.load(source)
    result = run(plan)
    with open(sys.argv[2], "w", encoding="utf-8") as target:
        json.dump(result, target)


if __name__ == "__main__":
    main()
