"""Double-accept race through a real ``haat serve``: 50 concurrent accepts of one delivery release the escrow
exactly once — with 50 different Idempotency-Keys (one 200, 49 clean 409 refusals) and with one shared key
(one execution; the others replay it or are told it is still being processed)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import pytest

from haat.web.tests.faults import harness
from haat.web.tests.faults.conftest import record_figures
from haat.web.tests.faults.test_crash_loop import _deliver

pytestmark = pytest.mark.faults

CALLERS = 50


def _race(server: harness.Server, token: str, milestone: int, keys: list[str]) -> list[harness.Answer]:
    barrier = threading.Barrier(len(keys))
    answers: list[harness.Answer | None] = [None] * len(keys)

    def accept(i: int) -> None:
        barrier.wait(timeout=60)
        answers[i] = harness.call(
            server.port,
            "POST",
            f"/api/v1/milestones/{milestone}/accept",
            token=token,
            key=keys[i],
            body=b"{}",
        )

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(a is not None for a in answers)
    return [a for a in answers if a is not None]


def test_fifty_concurrent_accepts_release_once(haat_env: dict[str, str], tmp_path: Path) -> None:
    seeded = harness.dbtool(haat_env, "seed", contracts=1)
    buyer, worker = seeded["buyer_token"], seeded["freelancer_token"]
    first, second = seeded["contracts"][0]["milestones"][:2]
    server = harness.Server(haat_env, tmp_path / "serve.log", workers=2, threads=8)
    server.start()
    try:
        for m in (first, second):
            funded = harness.call(
                server.port, "POST", f"/api/v1/milestones/{m}/fund", token=buyer, key=f"f{m}"
            )
            assert funded.status == 200, funded.body
            path, body, ctype = _deliver(m)({})
            delivered = harness.call(server.port, "POST", path, token=worker, body=body, content_type=ctype)
            assert delivered.status == 201, delivered.body

        distinct = _race(server, buyer, first, [f"accept-{i}" for i in range(CALLERS)])
        shared = _race(server, buyer, second, ["accept-shared"] * CALLERS)
    finally:
        server.kill()

    statuses = Counter(a.status for a in distinct)
    assert statuses == {200: 1, 409: CALLERS - 1}, statuses
    refusals = {json.dumps(a.body["detail"]) for a in distinct if a.status == 409}
    assert len(refusals) == 1  # one clear reason: the milestone is already accepted

    executed = [a for a in shared if a.status == 200 and not a.replayed]
    replayed = [a for a in shared if a.status == 200 and a.replayed]
    busy = [a for a in shared if a.status == 409]
    assert len(executed) == 1
    assert len(executed) + len(replayed) + len(busy) == CALLERS
    assert all(a.body == executed[0].body for a in replayed)

    verify = harness.run_haat(haat_env, "ledger", "verify", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    report = harness.dbtool(haat_env, "report", buyer=seeded["buyer"], freelancer=seeded["freelancer"])
    assert report["transfers"]["release"] == 2
    assert report["transfers"]["freelancer_fee"] == 2
    assert report["milestones"]["accepted"] == 2
    assert report["freelancer_clearing"] == 2 * 9_000
    record_figures(
        "double-accept",
        {
            "callers": CALLERS,
            "distinct_keys": dict(statuses),
            "shared_key": {"executed": len(executed), "replayed": len(replayed), "busy_409": len(busy)},
        },
    )
