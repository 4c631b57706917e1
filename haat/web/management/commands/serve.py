"""``haat serve``: the production web server (gunicorn; static files by WhiteNoise)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Haat with gunicorn (production-grade; static files by WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=settings.HAAT_BIND, help="host:port (default: %(default)s)")
        parser.add_argument("--workers", type=int, default=settings.HAAT_WEB_WORKERS)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, bind: str, workers: int, threads: int, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        from haat.wsgi import application

        class HaatServer(BaseApplication):
            def load_config(self) -> None:
                for key, value in {
                    "bind": bind,
                    "workers": workers,
                    "threads": threads,
                    "worker_class": "gthread",
                    "accesslog": "-",
                    "timeout": 60,
                    "graceful_timeout": 20,
                    "forwarded_allow_ips": "127.0.0.1,::1",
                    # The control socket lives at one path in $HOME: a second server would collide with it.
                    "control_socket_disable": True,
                }.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        HaatServer().run()
