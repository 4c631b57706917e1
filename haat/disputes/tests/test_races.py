"""Racing money moves on one disputed milestone, through real concurrent transactions: whatever the timing,
the escrow is split once, or released once, never both — and the book stays balanced."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from haat.conftest import make_staff
from haat.contracts import services as contract_services
from haat.contracts.models import MilestoneStatus
from haat.contracts.tests.test_milestones import default_fees, escrow, fake_store, ok  # noqa: F401
from haat.disputes import services
from haat.disputes.models import Dispute, DisputeStatus
from haat.disputes.tests.test_services import delivered_contract, open_on
from haat.ledger.models import Transfer
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_notify", lambda dispute_id, what: None)


def race(*works: Callable[[], object]) -> list[object]:
    """Run each callable in its own thread and connection, released together; their results or errors."""
    outcomes: list[object] = []
    barrier = threading.Barrier(len(works))

    def run(work: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes.append(work())
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_eight_concurrent_acceptances_of_one_offer_settle_once() -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    offer = services.make_offer(user=contract.buyer, dispute_id=dispute.pk, percent=50)
    outcomes = race(*[lambda: services.accept_offer(user=contract.freelancer, offer_id=offer.pk)] * 8)
    settled = [o for o in outcomes if isinstance(o, Dispute)]
    assert len(settled) == 1, outcomes
    assert all(isinstance(o, services.DisputeStateError) for o in outcomes if o not in settled), outcomes
    assert Transfer.objects.filter(reference=contract.escrow_reference, code="release").count() == 1
    assert escrow(contract) == 0 and ok()


def test_settlement_racing_the_arbiters_decision_has_one_outcome() -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    offer = services.make_offer(user=contract.buyer, dispute_id=dispute.pk, percent=30)
    services.escalate(user=contract.buyer, dispute_id=dispute.pk)
    arbiter = make_staff("arbiter@example.com", Role.ARBITER)
    race(
        lambda: services.accept_offer(user=contract.freelancer, offer_id=offer.pk),
        lambda: services.decide(
            staff=arbiter, dispute_id=dispute.pk, percent=70, reason="Racing the settlement."
        ),
    )
    dispute.refresh_from_db()
    assert dispute.status in (DisputeStatus.SETTLED, DisputeStatus.DECIDED)
    assert dispute.freelancer_amount == (6_000 if dispute.status == DisputeStatus.SETTLED else 14_000)
    assert Transfer.objects.filter(reference=contract.escrow_reference, code="release").count() == 1
    assert escrow(contract) == 0 and ok()


def test_opening_a_dispute_racing_the_acceptance_has_one_outcome() -> None:
    contract, milestone = delivered_contract()
    outcomes = race(
        lambda: contract_services.accept(user=contract.buyer, milestone_id=milestone.pk),
        lambda: open_on(contract, milestone, by=contract.freelancer),
    )
    milestone.refresh_from_db()
    if milestone.status == MilestoneStatus.ACCEPTED:
        assert not Dispute.objects.exists()  # the dispute came too late: nothing left in escrow to freeze
        assert escrow(contract) == 0
    else:
        assert Dispute.objects.get().is_open and escrow(contract) == milestone.amount
    assert sum(isinstance(o, Exception) for o in outcomes) == 1, outcomes
    assert ok()
