"""Many workers move money among a few hot accounts at once: nothing below zero, nothing lost or doubled.

Runs on whichever database the suite runs on: on PostgreSQL the workers really run in parallel under row
locks; on SQLite they queue on the single writer lock (IMMEDIATE transactions, busy timeout) — its limit.
The rate is printed for the record (figures, not an assertion).
"""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest
from django.db import connection, connections

from haat.accounts.models import User
from haat.conftest import make_user
from haat.ledger import operations, selectors, services
from haat.ledger.models import Transfer, TransferCode
from haat.ledger.services import InsufficientFunds, TransferSpec

WORKERS = 8
OPS_PER_WORKER = 400
START = 2_000_000


@pytest.mark.django_db(transaction=True)
def test_parallel_transfers_keep_the_books(capsys: pytest.CaptureFixture[str]) -> None:
    users = [make_user(f"hot{i}@example.com") for i in range(4)]
    for i, user in enumerate(users):
        operations.credit_deposit(
            deposit_id=10_000 + i, user=user, gateway="sandbox", amount=START, currency="USD"
        )
    wallets = [services.wallet(u, "USD") for u in users]
    revenue = services.platform_revenue("USD")

    posted: list[int] = []
    refused: list[int] = []
    errors: list[BaseException] = []
    replayed_ids: list[uuid.UUID] = []
    barrier = threading.Barrier(WORKERS)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        ok = no = 0
        try:
            barrier.wait()
            last: list[TransferSpec] | None = None
            for _ in range(OPS_PER_WORKER):
                if last is not None and rng.random() < 0.05:
                    services.post_transfers(last)  # a replay: must move nothing
                    replayed_ids.append(last[0].id)
                    continue
                a, b = rng.sample(range(len(wallets)), 2)
                amount = rng.randint(1, 60_000)
                specs = [
                    TransferSpec(uuid.uuid4(), wallets[a], wallets[b], amount, TransferCode.RELEASE),
                    TransferSpec(
                        uuid.uuid4(), wallets[a], revenue, amount // 10 + 1, TransferCode.FREELANCER_FEE
                    ),
                ]
                try:
                    services.post_transfers(specs)
                    ok += 1
                    last = specs
                except InsufficientFunds:
                    no += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            posted.append(ok)
            refused.append(no)
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(WORKERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    assert not errors, errors
    batches = sum(posted)
    assert batches > OPS_PER_WORKER  # the test really moved money
    # Nothing duplicated: two transfers per successful batch, plus the four deposits.
    assert Transfer.objects.count() == 2 * batches + len(users)
    balances = [selectors.balance(w).available for w in wallets]
    assert min(balances) >= 0
    fees = selectors.balance(revenue).posted
    assert sum(balances) + fees == START * len(users)  # nothing lost, nothing made
    report = selectors.verify()
    assert report.ok, report.problems
    services.roll_up_hot_accounts()
    assert selectors.verify().ok
    with capsys.disabled():
        print(
            f"\n[ledger concurrency] {connection.vendor}: {WORKERS} workers, {batches} batches "
            f"({2 * batches} transfers) posted, {sum(refused)} refused for lack of funds, "
            f"{len(replayed_ids)} replays without effect, {2 * batches / elapsed:.0f} transfers/s"
        )


@pytest.mark.django_db(transaction=True)
def test_the_same_transfer_posted_by_many_workers_at_once_applies_once() -> None:
    user = make_user("same@example.com")
    target: User = make_user("target@example.com")
    operations.credit_deposit(deposit_id=1, user=user, gateway="sandbox", amount=1_000, currency="USD")
    spec = TransferSpec(
        services.transfer_id("race", 1),
        services.wallet(user, "USD"),
        services.wallet(target, "USD"),
        700,
        TransferCode.RELEASE,
    )
    results: list[uuid.UUID] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(WORKERS)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(services.post_transfer(spec).pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert results == [spec.id] * WORKERS
    assert selectors.balance(services.wallet(user, "USD")).available == 300
    assert selectors.balance(services.wallet(target, "USD")).available == 700
    assert selectors.verify().ok
