"""``haat ledger verify`` (check every invariant) and ``haat ledger rollup`` (fold hot-account deltas)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haat.ledger import selectors, services


class Command(BaseCommand):
    help = (
        "Ledger maintenance: 'verify' checks every invariant on the live database; 'rollup' folds hot deltas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "rollup"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "rollup":
            self.stdout.write(f"Folded {services.roll_up_hot_accounts()} hot delta(s).")
            return
        report = selectors.verify()
        self.stdout.write(f"Checked {report.accounts} accounts and {report.transfers} transfers.")
        checks = [
            "debits equal credits per currency (posted and pending)",
            "every account's totals equal the sum of its transfers",
            "no floored account below zero",
            "no transfer id repeats, no currency mixed, every resolution resolves a pending transfer",
        ]
        if report.ok:
            for check in checks:
                self.stdout.write(self.style.SUCCESS(f"  ok  {check}"))
            self.stdout.write(self.style.SUCCESS("Ledger verified: no violations."))
            return
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"  FAIL {problem}"))
        raise CommandError(f"Ledger verification failed: {len(report.problems)} violation(s).")
