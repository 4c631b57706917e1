"""Ledger throughput through the service layer: transfers per second with 1, 4 and 16 workers (threads),
on distinct accounts (each worker its own pair) and on shared hot accounts (everyone pays the same few
wallets and the one platform-revenue account).

Prints figures; asserts nothing about speed. Checks the books afterwards (``verify``).

    python bench/ledger_transfers.py                                   # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haat_bench python bench/ledger_transfers.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
import uuid

os.environ.setdefault("HAAT_DATA_DIR", tempfile.mkdtemp(prefix="haat-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haat.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from haat.accounts.models import User  # noqa: E402
from haat.ledger import operations, selectors, services  # noqa: E402
from haat.ledger.models import TransferCode  # noqa: E402

TRANSFERS_PER_RUN = int(os.environ.get("BENCH_TRANSFERS", "2000"))


def prepare_database() -> None:
    if connection.vendor == "postgresql":
        import psycopg

        settings_dict = connection.settings_dict
        admin = psycopg.connect(
            host=settings_dict["HOST"],
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            dbname="postgres",
            autocommit=True,
        )
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            admin.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
        connection.close()
    call_command("migrate", verbosity=0)


def run(workers: int, shared: bool, round_no: int) -> float:
    users = [
        User.objects.create_user(email=f"b{round_no}-{i}@bench.test", password=None)
        for i in range(max(2 * workers, 4))
    ]
    for i, user in enumerate(users):
        operations.credit_deposit(
            deposit_id=round_no * 10_000 + i, user=user, gateway="sandbox", amount=10**12, currency="USD"
        )
    wallets = [services.wallet(u, "USD") for u in users]
    revenue = services.platform_revenue("USD")
    per_worker = TRANSFERS_PER_RUN // workers // 2  # each batch is two transfers

    def work(n: int) -> None:
        source, target = (wallets[0], wallets[1]) if shared else (wallets[2 * n], wallets[2 * n + 1])
        for _ in range(per_worker):
            services.post_transfers(
                [
                    services.TransferSpec(uuid.uuid4(), source, target, 100, TransferCode.RELEASE),
                    services.TransferSpec(uuid.uuid4(), source, revenue, 10, TransferCode.FREELANCER_FEE),
                ]
            )
        connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_worker * workers * 2 / (time.perf_counter() - started)


def main() -> None:
    prepare_database()
    print(f"Ledger throughput on {connection.vendor} ({TRANSFERS_PER_RUN} transfers per run)")
    print(f"{'workers':>8} {'accounts':>10} {'transfers/s':>12}")
    round_no = 0
    for workers in (1, 4, 16):
        for shared in (False, True):
            round_no += 1
            rate = run(workers, shared, round_no)
            print(f"{workers:>8} {'shared' if shared else 'distinct':>10} {rate:>12.0f}")
    report = selectors.verify()
    print("ledger verify:", "ok" if report.ok else report.problems)


if __name__ == "__main__":
    main()
