"""``haat bench-data --jobs N``: synthetic benchmark data (see ``haat.benchdata``), with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from haat import benchdata


def scale(text: str) -> int:
    """``10k``, ``100k``, ``1M`` or a plain number."""
    units = {"k": 1_000, "m": 1_000_000}
    text = text.strip().lower()
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError:
        raise CommandError(f"Not a number of jobs: {text!r} (try 10000, 10k or 1M).") from None


class Command(BaseCommand):
    help = "Add deterministic synthetic data for the benchmarks: users, jobs, bids, contracts and the ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jobs", type=scale, required=True, help="how many jobs (10k, 100k, 1M, ...)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when this database already holds a data set of this size and seed.",
        )

    def handle(self, *args: Any, jobs: int, seed: int, if_missing: bool, **options: Any) -> None:
        if jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        if if_missing and (jobs, seed) in benchdata.datasets():
            self.stdout.write(f"Benchmark data with {jobs} jobs (seed {seed}) is already here.")
            return
        with tqdm(total=jobs, desc="Bench data", unit="job", disable=options["verbosity"] == 0) as bar:
            summary = benchdata.generate(jobs, seed, progress=bar.update)
        rows = ", ".join(f"{table} {n}" for table, n in sorted(summary.rows.items()))
        self.stdout.write(self.style.SUCCESS(f"{jobs} jobs in {summary.seconds:.1f} s: {rows}"))
