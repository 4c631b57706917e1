"""``haat demo``: load realistic demo data (idempotent), with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from haat import demo
from haat.accounts.models import User


class Command(BaseCommand):
    help = "Create or update the demo buyers, freelancers and staff accounts (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database has users.")

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; demo data not loaded.")
            return
        with tqdm(
            total=demo.step_count(), desc="Demo data", unit="step", disable=options["verbosity"] == 0
        ) as bar:
            counts = demo.build(progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['buyers']} buyers, {counts['freelancers']} freelancers, "
                f"{counts['staff']} staff, {counts['jobs']} new open jobs with bids. Password for every demo account: {demo.DEMO_PASSWORD}"
            )
        )
        # Staff pages need two-factor authentication: add these setup keys to an authenticator app.
        self.stdout.write("Staff accounts (authenticator app setup key, TOTP, 30 s, 6 digits):")
        for email, secret in demo.staff_secrets().items():
            self.stdout.write(f"  {email}  {secret}")
