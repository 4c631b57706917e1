"""Periodic ledger work, run by ``haat worker``. Each task is idempotent: running it twice changes nothing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from haat.ledger import operations, services


@task()
def clear_earnings() -> int:
    """Make released earnings withdrawable after the clearance period (``HAAT_CLEARANCE_DAYS``)."""
    return operations.clear_earnings(older_than=dt.timedelta(days=settings.HAAT_CLEARANCE_DAYS))


@task()
def roll_up_hot_accounts() -> int:
    """Fold platform-revenue and clearing deltas into their account totals."""
    return services.roll_up_hot_accounts()
