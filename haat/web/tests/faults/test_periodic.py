"""Found by the worker crash test: a worker started soon after the machine booted must still run every periodic
check at once (the scheduler's clock is ``time.monotonic()``, which starts near zero at boot)."""

from __future__ import annotations

import pytest

from haat.web import periodic


def test_every_periodic_task_is_due_when_the_worker_starts_right_after_boot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enqueued: list[str] = []

    class Task:
        def __init__(self, path: str) -> None:
            self.path = path

        def enqueue(self) -> None:
            enqueued.append(self.path)

    monkeypatch.setattr(periodic, "import_string", Task)
    uptime = 20 * 60.0  # twenty minutes: less than the hourly interval
    assert periodic.enqueue_due({}, now=uptime) == [path for path, _ in periodic.PERIODIC_TASKS]
    assert "haat.contracts.tasks.auto_accept_deliveries" in enqueued
    assert periodic.enqueue_due({path: uptime for path, _ in periodic.PERIODIC_TASKS}, now=uptime + 30) == []
