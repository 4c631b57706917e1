"""``haat worker``: runs background tasks from the database queue (django-tasks-db) and enqueues the
periodic checks (see ``haat.web.periodic``)."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from haat.web import periodic


class Command(BaseCommand):
    help = "Run the background task worker (several may run at once on the same queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of the queue.")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")

    def handle(self, *args: Any, interval: float, batch: bool, **options: Any) -> None:
        extra = ["--batch"] if batch else []
        stop = threading.Event()
        if not batch:
            periodic.start_scheduler(stop)
        try:
            call_command("db_worker", "--queue-name", "*", "--interval", str(interval), "--no-reload", *extra)
        finally:
            stop.set()
