"""The ``haat`` command: Django's manage.py plus ``serve``, ``worker``, ``demo`` and ``setup``."""

from __future__ import annotations

import os
import sys

ALIASES = {"bench-data": "bench_data"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haat.settings")
    from django.core.management import execute_from_command_line

    argv = list(argv if argv is not None else sys.argv)
    # Command names with a hyphen, as documented, for management commands (which need an underscore).
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
