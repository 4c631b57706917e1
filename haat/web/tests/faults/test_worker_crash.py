"""The task worker killed mid-task: ``haat worker`` runs due auto-acceptances and missed-report penalties, is
SIGKILLed at random points while it works (seeded delays after its first progress), restarted, and must end
with every due milestone released once and every missed week penalised once, and a clean ledger."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from haat.web.tests.faults import harness
from haat.web.tests.faults.conftest import record_figures

pytestmark = pytest.mark.faults

SEED = int(os.environ.get("HAAT_CRASH_SEED", "20261125"))
KILLS = int(os.environ.get("HAAT_WORKER_KILLS", "5"))
ACCEPTED = "SELECT COUNT(*) FROM contracts_milestone WHERE status = 'accepted'"
MISSED = "SELECT COUNT(*) FROM contracts_missedreport"
WAIT = 120.0


def _wait_for(env: dict[str, str], worker: harness.Process, done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if done():
            return
        assert worker.alive(), f"haat worker exited; see {worker.log}"
        time.sleep(0.02)  # polling interval
    raise AssertionError(f"the worker did not get to {what}; see {worker.log}")


def _more_than(env: dict[str, str], count: int) -> Callable[[], bool]:
    return lambda: harness.scalar(env, ACCEPTED) > count


def test_worker_killed_mid_task_applies_each_once(haat_env: dict[str, str], tmp_path: Path) -> None:
    rng = random.Random(SEED)
    started = time.monotonic()
    seeded = harness.dbtool(haat_env, "seed-due", contracts=4)
    due = len(seeded["due_milestones"])
    missed = harness.dbtool(haat_env, "expected-missed", contract_ids=seeded["contracts"])
    assert missed > 0
    worker = harness.Process(haat_env, ["worker", "--interval", "0.1"], tmp_path / "worker.log")
    kills: list[int] = []
    try:
        while len(kills) < KILLS and harness.scalar(haat_env, ACCEPTED) < due:
            before = harness.scalar(haat_env, ACCEPTED)
            worker.start()
            _wait_for(haat_env, worker, _more_than(haat_env, before), "its next release")
            time.sleep(rng.uniform(0.0, 0.3))  # a random point (seeded) while it works through the batch
            worker.kill()
            kills.append(harness.scalar(haat_env, ACCEPTED))
        worker.start()
        _wait_for(
            haat_env,
            worker,
            lambda: harness.scalar(haat_env, ACCEPTED) == due and harness.scalar(haat_env, MISSED) == missed,
            "the end of the work",
        )
    finally:
        worker.kill()

    verify = harness.run_haat(haat_env, "ledger", "verify", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    report = harness.dbtool(haat_env, "report", buyer=seeded["buyer"], freelancer=seeded["freelancer"])
    assert report["transfers"]["release"] == due
    assert report["transfers"]["freelancer_fee"] == due
    assert report["milestones"]["accepted"] == due
    assert report["freelancer_clearing"] == due * 9_000
    assert report["missed_reports"] == missed
    assert report["penalties"] == missed
    assert any(0 < k < due for k in kills)  # at least one kill landed in the middle of the batch
    record_figures(
        "worker-crash",
        {
            "due_milestones": due,
            "missed_weeks": missed,
            "kills": len(kills),
            "accepted_at_each_kill": kills,
            "worker_starts": worker.starts,
            "seconds": round(time.monotonic() - started, 1),
        },
    )
