"""The periodic checks ``haat worker`` enqueues: clearance, hot-account roll-up, and every app's own.

Apps list their periodic tasks in ``PERIODIC_TASKS`` as (dotted path, interval in seconds). Every worker
runs this scheduler; that may enqueue a check twice, which is harmless because every task is idempotent.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

PERIODIC_TASKS: list[tuple[str, int]] = [
    ("haat.ledger.tasks.clear_earnings", 15 * 60),
    ("haat.ledger.tasks.roll_up_hot_accounts", 60),
    ("haat.payments.tasks.expire_deposits", 60 * 60),
    ("haat.jobs.tasks.close_bidding", 5 * 60),
    ("haat.jobs.search_tasks.send_filter_digests", 60 * 60),
    ("haat.bids.tasks.expire_awards", 15 * 60),
    ("haat.bids.tasks.close_bids", 15 * 60),
    ("haat.contracts.tasks.remind_unfunded", 60 * 60),
    ("haat.contracts.tasks.auto_accept_deliveries", 60 * 60),
    ("haat.contracts.report_tasks.record_missed_reports", 60 * 60),
    ("haat.contracts.report_tasks.send_report_reminders", 60 * 60),
    ("haat.reputation.tasks.publish_blind_reviews", 60 * 60),
    ("haat.disputes.tasks.escalate_disputes", 60 * 60),
]


def enqueue_due(last_run: dict[str, float], now: float) -> list[str]:
    """Enqueue every task whose interval has passed; returns the paths enqueued."""
    enqueued = []
    for path, interval in PERIODIC_TASKS:
        last = last_run.get(path)
        # Never run yet: due now. (Counting from 0 would hold back every task whose interval exceeds the
        # monotonic clock, i.e. the machine's uptime: hourly checks skipped for an hour after a reboot.)
        if last is None or now - last >= interval:
            try:
                import_string(path).enqueue()
            except ImportError:
                logger.exception("Periodic task %s cannot be imported", path)
                continue
            last_run[path] = now
            enqueued.append(path)
    return enqueued


def start_scheduler(stop: threading.Event, tick: float = 30.0) -> threading.Thread:
    """Run ``enqueue_due`` every ``tick`` seconds in a daemon thread until ``stop`` is set."""

    def loop() -> None:
        last_run: dict[str, float] = {}
        while not stop.is_set():
            try:
                enqueue_due(last_run, time.monotonic())
            except Exception:
                logger.exception("Scheduling periodic tasks failed")
            finally:
                close_old_connections()
            stop.wait(tick)

    thread = threading.Thread(target=loop, name="haat-scheduler", daemon=True)
    thread.start()
    return thread
