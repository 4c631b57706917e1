"""The benchmark data generator (``haat bench-data``): valid, complete and deterministic."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from haat import benchdata
from haat.bids.models import Bid
from haat.contracts.models import Contract
from haat.jobs.models import Job
from haat.ledger import selectors


def _snapshot() -> list[tuple[object, ...]]:
    first = Job.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    jobs = [
        (pk - first, title, status, budget_min, currency)
        for pk, title, status, budget_min, currency in Job.objects.order_by("pk").values_list(
            "pk", "title", "status", "budget_min", "currency"
        )
    ]
    bids = list(Bid.objects.order_by("pk").values_list("amount", "status", "delivery_days"))
    contracts = list(Contract.objects.order_by("pk").values_list("price", "status"))
    return [*jobs, *bids, *contracts]


class _Undo(Exception):
    pass


@pytest.mark.django_db
def test_generated_data_is_complete_and_the_ledger_verifies(capsys):
    call_command("bench_data", "--jobs", "150", "--seed", "7", verbosity=0)
    assert Job.objects.count() == 150
    # About ten bids on each public published job.
    assert 5 * 150 < Bid.objects.count() < 15 * 150
    statuses = set(Contract.objects.values_list("status", flat=True))
    assert {"awaiting_funding", "active", "completed", "cancelled"} <= statuses
    report = selectors.verify()
    assert report.ok, report.problems
    assert report.transfers > 0
    assert (150, 7) in benchdata.datasets()

    call_command("bench_data", "--jobs", "150", "--seed", "7", "--if-missing")
    assert "already here" in capsys.readouterr().out
    assert Job.objects.count() == 150


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    snapshots = []
    for seed in (3, 3, 4):
        try:
            with transaction.atomic():
                benchdata.generate(60, seed)
                snapshots.append(_snapshot())
                raise _Undo
        except _Undo:
            pass
    assert snapshots[0] == snapshots[1]
    assert snapshots[0] != snapshots[2]
    assert len(snapshots[0]) > 60


@pytest.mark.django_db
def test_generated_jobs_are_found_by_search_in_english_and_bengali():
    benchdata.generate(200, 1)
    client = Client()
    found = client.get("/api/v1/jobs", {"q": "website"}).json()
    assert found["count"] > 0
    bengali = Job.objects.filter(title__contains="এর").values_list("title", flat=True).first()
    assert bengali is not None
    word = bengali.split()[-1]
    assert client.get("/api/v1/jobs", {"q": word, "open_only": "false"}).json()["count"] > 0
