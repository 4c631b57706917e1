"""Seeds and inspects the database of a server under test, from a subprocess of its own.

The fault tests never share pytest-django's test database: the server runs on a database of its own, and
this module is run against it with the same environment (``python -m haat.web.tests.faults.dbtool
<command> '<json>'``), printing one JSON document. Commands: ``seed`` (people, tokens, contracts, money),
``seed-due`` (contracts whose deliveries are due for auto-acceptance and whose reports were missed),
``report`` (what the checks count) and ``expected-missed``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
from collections.abc import Callable
from typing import Any

_counter = itertools.count(1)

MILESTONE_AMOUNT = 10_000  # US$100.00: buyer fee 3 % = 300, freelancer fee 10 % = 1 000
MILESTONES_PER_CONTRACT = 20
DEPOSIT = 100_000_000


def _setup() -> None:
    import django

    django.setup()


def _people(tag: str) -> tuple[Any, Any]:
    from haat.bids.tests.test_bids import freelancer
    from haat.conftest import make_user

    buyer = make_user(f"buyer-{tag}@example.com")
    worker = freelancer(f"worker-{tag}@example.com", "Rahim")
    return buyer, worker


def _fees() -> None:
    from haat.payments.models import FeeSchedule

    FeeSchedule.objects.filter(currency="USD").delete()
    FeeSchedule.objects.update_or_create(
        currency="*",
        defaults={
            "buyer_fee_bps": 300,
            "freelancer_fee_bps": 1000,
            "small_contract_fee_bps": 1500,
            "small_contract_threshold": 0,
        },
    )


def _contract(buyer: Any, worker: Any, milestones: int) -> Any:
    from django.utils import timezone

    from haat.bids import services as bid_services
    from haat.bids.tests.test_bids import bid_on, make_job
    from haat.contracts import services

    price = milestones * MILESTONE_AMOUNT
    job = make_job(buyer, budget_min=1_000, budget_max=max(price, 50_000))
    bid = bid_on(job, worker, amount=price, days=60)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=worker, bid_id=bid.pk)
    due = timezone.now() + dt.timedelta(days=50)
    plan = [services.MilestonePlan(f"Part {i + 1}", MILESTONE_AMOUNT, due) for i in range(milestones)]
    services.split_milestones(user=buyer, contract_id=contract.pk, plan=plan)
    return contract


def _deposit(user: Any, amount: int) -> None:
    from haat.ledger import operations

    operations.credit_deposit(
        deposit_id=900_000 + next(_counter), user=user, gateway="sandbox", amount=amount, currency="USD"
    )


def seed(contracts: int, tag: str = "a") -> dict[str, Any]:
    """A buyer and a freelancer with API tokens, ``contracts`` contracts of 20 milestones awaiting funding,
    a buyer wallet of US$1,000,000 and a Payoneer payout method for the buyer."""
    from haat.accounts import services as account_services
    from haat.payments import withdrawals

    _fees()
    buyer, worker = _people(tag)
    _deposit(buyer, DEPOSIT)
    method = withdrawals.add_payout_method(user=buyer, kind="payoneer", email=f"buyer-{tag}@example.com")
    result: dict[str, Any] = {
        "buyer": buyer.pk,
        "freelancer": worker.pk,
        "buyer_token": account_services.create_api_token(user=buyer, name="faults").secret,
        "freelancer_token": account_services.create_api_token(user=worker, name="faults").secret,
        "payout_method": method.pk,
        "deposit": DEPOSIT,
        "contracts": [],
    }
    for _ in range(contracts):
        contract = _contract(buyer, worker, MILESTONES_PER_CONTRACT)
        ids = list(contract.milestones.order_by("position").values_list("pk", flat=True))
        result["contracts"].append({"id": contract.pk, "milestones": ids})
    return result


def seed_due(contracts: int, tag: str = "w") -> dict[str, Any]:
    """Contracts started five weeks ago with 19 of 20 milestones funded and delivered 20 days ago (due for
    auto-acceptance) and the last one unfunded (so the contract stays active and its missed weekly reports
    count)."""
    from django.utils import timezone

    from haat.contracts import services
    from haat.contracts.models import Contract, Milestone, MilestoneStatus

    _fees()
    buyer, worker = _people(tag)
    _deposit(buyer, DEPOSIT)
    now = timezone.now()
    due: list[int] = []
    ids: list[int] = []
    for _ in range(contracts):
        contract = _contract(buyer, worker, MILESTONES_PER_CONTRACT)
        milestones = list(contract.milestones.order_by("position").values_list("pk", flat=True))
        for milestone_id in milestones[:-1]:
            services.fund_milestone(user=buyer, milestone_id=milestone_id)
        Milestone.objects.filter(pk__in=milestones[:-1]).update(
            status=MilestoneStatus.DELIVERED, delivered_at=now - dt.timedelta(days=20)
        )
        Contract.objects.filter(pk=contract.pk).update(started_at=now - dt.timedelta(days=35))
        due += milestones[:-1]
        ids.append(contract.pk)
    return {"contracts": ids, "due_milestones": due, "freelancer": worker.pk, "buyer": buyer.pk}


def expected_missed(contract_ids: list[int]) -> int:
    """How many weekly reports of these contracts are missed by now."""
    from django.utils import timezone

    from haat.contracts import reports
    from haat.contracts.models import Contract

    now = timezone.now()
    return sum(len(reports.due_weeks(c, now)) for c in Contract.objects.filter(pk__in=contract_ids))


def report(buyer: int | None = None, freelancer: int | None = None) -> dict[str, Any]:
    """Counts by transfer code, milestone status, withdrawals, missed reports and penalties, and balances."""
    from django.db.models import Count

    from haat.contracts.models import MilestoneStatus, MissedReport
    from haat.ledger import selectors
    from haat.ledger.models import Account, AccountKind, Transfer
    from haat.payments.models import Withdrawal
    from haat.reputation.models import RankingEvent

    def balance(kind: str, owner: int | None) -> int | None:
        if owner is None:
            return None
        account = Account.objects.filter(kind=kind, owner_id=owner, currency="USD").first()
        return 0 if account is None else selectors.balance(account).available

    transfers = dict(Transfer.objects.values_list("code").annotate(n=Count("id")).values_list("code", "n"))
    from haat.contracts.models import Milestone

    statuses = dict(
        Milestone.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {
        "transfers": transfers,
        "milestones": {str(MilestoneStatus(k).value): v for k, v in statuses.items()},
        "withdrawals": Withdrawal.objects.count(),
        "missed_reports": MissedReport.objects.count(),
        "penalties": RankingEvent.objects.filter(key__startswith="missed-report:").count(),
        "buyer_wallet": balance(AccountKind.WALLET, buyer),
        "freelancer_clearing": balance(AccountKind.CLEARING, freelancer),
    }


def main(argv: list[str]) -> None:
    _setup()
    command, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    handlers: dict[str, Callable[..., Any]] = {
        "seed": seed,
        "seed-due": seed_due,
        "report": report,
        "expected-missed": expected_missed,
    }
    print(json.dumps(handlers[command](**args)))


if __name__ == "__main__":
    main(sys.argv[1:])
