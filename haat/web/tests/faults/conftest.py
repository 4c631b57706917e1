"""Fixtures of the fault tests: a migrated database of their own (never pytest-django's test database)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from haat.web.tests.faults import harness

OUTPUT = harness.ROOT / "test-output"


@pytest.fixture
def haat_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of ``haat`` subprocesses bound to a fresh, migrated database."""
    with harness.database(tmp_path) as env:
        yield env


def vendor() -> str:
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def record_figures(name: str, figures: dict[str, Any]) -> None:
    """Keep a run's figures in ``test-output/faults-<name>-<database>.json`` (and print them with ``-s``)."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"faults-{name}-{vendor()}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\n{name} ({vendor()}): {json.dumps(figures)}")
