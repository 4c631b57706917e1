"""Disputes through the service layer: settled by an accepted offer, decided by an arbiter (amounts to the minor
unit, the book verified), the frozen escrow refusing every other money move, the arbiter rules, escalation by
time, withdrawal, ranking and e-mails.

Fees (see ``default_fees``): buyer 3 %, freelancer 10 %. The milestone is US$200.00 = 20 000 minor units.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haat.accounts.models import User
from haat.conftest import make_staff, make_user
from haat.contracts import services as contract_services
from haat.contracts.models import CancellationRequest, Contract, ContractStatus, Milestone, MilestoneStatus
from haat.contracts.tests.test_milestones import (  # noqa: F401 (fixtures)
    clearing,
    default_fees,
    deposit,
    escrow,
    fake_store,
    funded,
    make_contract,
    ok,
    only_milestone,
    revenue,
    state,
    wallet,
)
from haat.disputes import services
from haat.disputes.models import Dispute, DisputeEvent, DisputeOffer, DisputeStatus, OfferStatus
from haat.ledger.models import Transfer
from haat.reputation.models import RankingEvent
from haat.staff.models import AuditEntry
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db

PRICE = 20_000


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mails leave on commit; the test's transaction never commits, and the e-mails are what users check."""
    from haat.disputes import emails

    monkeypatch.setattr(services, "_notify", lambda dispute_id, what: emails.mail_both(dispute_id, what))


def delivered_contract() -> tuple[Contract, Milestone]:
    contract = make_contract(PRICE)
    milestone = funded(contract)
    contract_services.deliver(
        user=contract.freelancer, milestone_id=milestone.pk, upload=_upload(), note="Done"
    )
    contract.refresh_from_db()
    milestone.refresh_from_db()
    return contract, milestone


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("work.zip", b"PK\x05\x06" + b"\0" * 18, content_type="application/zip")


def open_on(contract: Contract, milestone: Milestone, by: User | None = None) -> Dispute:
    return services.open_dispute(
        user=by or contract.buyer,
        milestone_id=milestone.pk,
        reason="quality",
        statement="The site does not load on phones, as the job asked.",
    )


# --- Settled by agreement ---------------------------------------------------------------------------------------


def test_dispute_settled_by_an_accepted_offer_splits_the_escrow_at_once() -> None:
    contract, milestone = delivered_contract()
    buyer, worker = contract.buyer, contract.freelancer
    buyer_before, revenue_before = wallet(buyer), revenue()
    dispute = open_on(contract, milestone)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DISPUTED
    assert dispute.amount == PRICE and dispute.status == DisputeStatus.NEGOTIATION

    first = services.make_offer(user=worker, dispute_id=dispute.pk, percent=70, note="Most of it works.")
    assert first.freelancer_amount == 14_000
    services.reject_offer(user=buyer, offer_id=first.pk, note="Too much.")
    second = services.make_offer(user=buyer, dispute_id=dispute.pk, amount=10_001)
    settled = services.accept_offer(user=worker, offer_id=second.pk)

    assert settled.status == DisputeStatus.SETTLED
    # Freelancer: 10 001 − 10 % fee (1 000.1 → 1 000, half-even) = 9 001; buyer gets 9 999 back.
    assert (settled.freelancer_fee, settled.freelancer_receives, settled.buyer_refund) == (
        1_000,
        9_001,
        9_999,
    )
    assert settled.arbitration_fee == 0
    assert clearing(worker) == 9_001
    assert wallet(buyer) == buyer_before + 9_999
    assert revenue() == revenue_before + 1_000
    assert escrow(contract) == 0
    milestone.refresh_from_db()
    contract.refresh_from_db()
    assert (milestone.status, milestone.released_amount) == (MilestoneStatus.ACCEPTED, 10_001)
    assert contract.status == ContractStatus.COMPLETED
    assert ok()
    assert not RankingEvent.objects.filter(key__startswith="dispute-lost").exists()
    assert DisputeOffer.objects.get(pk=second.pk).status == OfferStatus.ACCEPTED
    kinds = list(DisputeEvent.objects.filter(dispute=dispute).values_list("kind", flat=True))
    assert kinds == ["opened", "offer", "offer_rejected", "offer", "offer_accepted"]


def test_a_new_offer_replaces_the_sides_own_open_offer() -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    old = services.make_offer(user=contract.freelancer, dispute_id=dispute.pk, percent=90)
    new = services.make_offer(user=contract.freelancer, dispute_id=dispute.pk, percent=80)
    old.refresh_from_db()
    assert old.status == OfferStatus.SUPERSEDED and new.status == OfferStatus.OPEN
    with pytest.raises(services.DisputeStateError):
        services.accept_offer(user=contract.buyer, offer_id=old.pk)


def test_nothing_to_the_freelancer_refunds_everything_and_cancels_the_contract() -> None:
    contract, milestone = delivered_contract()
    buyer_before = wallet(contract.buyer)
    dispute = open_on(contract, milestone, by=contract.freelancer)
    offer = services.make_offer(user=contract.freelancer, dispute_id=dispute.pk, amount=0)
    services.accept_offer(user=contract.buyer, offer_id=offer.pk)
    milestone.refresh_from_db()
    contract.refresh_from_db()
    assert milestone.status == MilestoneStatus.REFUNDED
    assert contract.status == ContractStatus.CANCELLED
    assert wallet(contract.buyer) == buyer_before + PRICE
    assert clearing(contract.freelancer) == 0
    assert ok()


# --- Decided by an arbiter --------------------------------------------------------------------------------------


def test_arbiter_decides_60_40_with_arbitration_fee(settings: Any) -> None:
    settings.HAAT_ARBITRATION_FEE_BPS = 500  # 5 % of each side's share
    contract, milestone = delivered_contract()
    buyer, worker = contract.buyer, contract.freelancer
    buyer_before, revenue_before = wallet(buyer), revenue()
    arbiter = make_staff("arbiter@example.com", Role.ARBITER)
    dispute = open_on(contract, milestone)
    services.escalate(user=worker, dispute_id=dispute.pk)
    services.take_case(staff=arbiter, dispute_id=dispute.pk)
    reason = "The delivery covers six of the ten pages; the buyer used it. 60 % is fair."
    decided = services.decide(staff=arbiter, dispute_id=dispute.pk, percent=60, reason=reason)

    # 60 % = 12 000 to the freelancer: fee 1 200, arbitration 5 % = 600 → receives 10 200.
    # Buyer's 8 000: arbitration 400 → refund 7 600. Platform: 1 200 + 600 + 400 = 2 200.
    assert decided.status == DisputeStatus.DECIDED
    assert (decided.freelancer_amount, decided.freelancer_fee, decided.arbitration_fee) == (
        12_000,
        1_200,
        1_000,
    )
    assert (decided.freelancer_receives, decided.buyer_refund) == (10_200, 7_600)
    assert clearing(worker) == 10_200
    assert wallet(buyer) == buyer_before + 7_600
    assert revenue() == revenue_before + 2_200
    assert escrow(contract) == 0
    assert Transfer.objects.filter(reference=contract.escrow_reference, code="arbitration_fee").count() == 1
    assert ok()
    assert decided.decision_reason == reason
    # The buyer got less than half: the decision counts against them.
    event = RankingEvent.objects.get(key=f"dispute-lost:{dispute.pk}")
    assert (event.user_id, event.points) == (buyer.pk, -2000)
    entry = AuditEntry.objects.get(action="dispute.decide")
    assert (entry.actor_id, entry.target_id, entry.reason) == (arbiter.pk, str(dispute.pk), reason)
    assert entry.details["freelancer_amount"] == 12_000
    assert AuditEntry.objects.filter(action="dispute.take", actor=arbiter).count() == 1


def test_decision_against_the_freelancer_costs_ranking_points() -> None:
    contract, milestone = delivered_contract()
    arbiter = make_staff("arbiter@example.com", Role.ARBITER)
    dispute = open_on(contract, milestone)
    services.escalate(user=contract.buyer, dispute_id=dispute.pk)
    services.decide(
        staff=arbiter, dispute_id=dispute.pk, amount=4_999, reason="Only the log-in page was delivered, late."
    )
    from haat.reputation.ranking import stats_for

    assert stats_for([contract.freelancer])[contract.freelancer.pk].event_points == -2000
    assert not RankingEvent.objects.filter(user=contract.buyer).exists()


def test_an_even_split_counts_against_nobody() -> None:
    contract, milestone = delivered_contract()
    arbiter = make_staff("arbiter@example.com", Role.ARBITER)
    dispute = open_on(contract, milestone)
    services.escalate(user=contract.buyer, dispute_id=dispute.pk)
    services.decide(
        staff=arbiter, dispute_id=dispute.pk, percent=50, reason="Both sides share the blame here."
    )
    assert not RankingEvent.objects.filter(key=f"dispute-lost:{dispute.pk}").exists()


def test_an_arbiter_cannot_decide_a_case_they_are_a_party_to() -> None:
    contract, milestone = delivered_contract()
    # The buyer happens to be an arbiter too.
    from haat.staff.roles import add_role

    add_role(contract.buyer, Role.ARBITER)
    dispute = open_on(contract, milestone)
    services.escalate(user=contract.freelancer, dispute_id=dispute.pk)
    before = state()
    with pytest.raises(PermissionDenied, match="party"):
        services.take_case(staff=contract.buyer, dispute_id=dispute.pk)
    with pytest.raises(PermissionDenied, match="party"):
        services.decide(
            staff=contract.buyer,
            dispute_id=dispute.pk,
            percent=0,
            reason="I decide in my own favour, obviously.",
        )
    assert state() == before
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.ARBITRATION


def test_only_arbiters_decide_and_only_with_a_reason() -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    services.escalate(user=contract.freelancer, dispute_id=dispute.pk)
    moderator = make_staff("moderator@example.com", Role.MODERATOR)
    arbiter = make_staff("arbiter@example.com", Role.ARBITER)
    with pytest.raises(PermissionDenied):
        services.decide(
            staff=moderator, dispute_id=dispute.pk, percent=50, reason="A reason long enough here."
        )
    with pytest.raises(ValidationError) as too_short:
        services.decide(staff=arbiter, dispute_id=dispute.pk, percent=50, reason="Because.")
    assert "reason" in too_short.value.message_dict
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.ARBITRATION


def test_arbiter_cannot_take_someone_elses_case_nor_decide_during_negotiation() -> None:
    contract, milestone = delivered_contract()
    first = make_staff("first@example.com", Role.ARBITER)
    second = make_staff("second@example.com", Role.ARBITER)
    dispute = open_on(contract, milestone)
    with pytest.raises(services.DisputeStateError):
        services.decide(
            staff=first, dispute_id=dispute.pk, percent=50, reason="Too early for a decision now."
        )
    services.escalate(user=contract.buyer, dispute_id=dispute.pk)
    services.take_case(staff=first, dispute_id=dispute.pk)
    with pytest.raises(services.DisputeStateError):
        services.take_case(staff=second, dispute_id=dispute.pk)
    with pytest.raises(PermissionDenied):
        services.decide(
            staff=second, dispute_id=dispute.pk, percent=50, reason="Not my case, still deciding."
        )


# --- The frozen escrow ------------------------------------------------------------------------------------------


def test_frozen_escrow_refuses_every_other_money_move(settings: Any) -> None:
    contract, milestone = delivered_contract()
    buyer, worker = contract.buyer, contract.freelancer
    # A partial proposal and a cancellation request, both made before the dispute.
    contract_services.accept(user=buyer, milestone_id=milestone.pk, percent=50)  # a partial proposal waits
    request = contract_services.ask_cancellation(
        user=worker, milestone_id=milestone.pk, reason="Let us stop."
    )
    dispute = open_on(contract, milestone, by=worker)
    milestone.refresh_from_db()
    assert milestone.accepted_percent is None  # the proposal lapsed: the dispute decides the split now
    before = state()
    money_before = (wallet(buyer), clearing(worker), escrow(contract), revenue())

    attempts = {
        "accept": lambda: contract_services.accept(user=buyer, milestone_id=milestone.pk),
        "propose partial": lambda: contract_services.accept(
            user=buyer, milestone_id=milestone.pk, percent=30
        ),
        "agree partial": lambda: contract_services.agree_partial(user=worker, milestone_id=milestone.pk),
        "request changes": lambda: contract_services.request_changes(
            user=buyer, milestone_id=milestone.pk, comment="More."
        ),
        "ask cancellation": lambda: contract_services.ask_cancellation(user=buyer, milestone_id=milestone.pk),
        "agree cancellation": lambda: contract_services.answer_cancellation(
            user=buyer, request_id=request.pk, agree=True
        ),
        "cancel": lambda: contract_services.cancel_milestone(user=buyer, milestone_id=milestone.pk),
        "deliver again": lambda: contract_services.deliver(
            user=worker, milestone_id=milestone.pk, upload=_upload(), note=""
        ),
        "second dispute": lambda: open_on(contract, milestone),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.messages, name
        assert state() == before, name

    # Auto-acceptance, long after the delivery, leaves it alone too.
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.HAAT_AUTO_ACCEPT_DAYS + 3)):
        assert contract_services.auto_accept_due() == (0, 0)
    assert state() == before
    assert (wallet(buyer), clearing(worker), escrow(contract), revenue()) == money_before
    assert CancellationRequest.objects.get(pk=request.pk).answered_at is None
    assert Dispute.objects.get(pk=dispute.pk).is_open
    assert ok()


def test_funding_another_milestone_is_refused_while_disputed() -> None:
    from haat.contracts.services import MilestonePlan

    contract = make_contract(PRICE)
    due = timezone.now() + dt.timedelta(days=20)
    contract_services.split_milestones(
        user=contract.buyer,
        contract_id=contract.pk,
        plan=[MilestonePlan("Design", 8_000, due), MilestonePlan("Build", 12_000, due)],
    )
    first, second = Milestone.objects.filter(contract=contract).order_by("position")
    deposit(contract.buyer, 100_000)
    contract_services.fund_milestone(user=contract.buyer, milestone_id=first.pk)
    services.open_dispute(user=contract.freelancer, milestone_id=first.pk, reason="scope", statement="Scope.")
    before = state()
    with pytest.raises(ValidationError, match="dispute"):
        contract_services.fund_milestone(user=contract.buyer, milestone_id=second.pk)
    with pytest.raises(ValidationError, match="dispute"):
        contract_services.cancel_milestone(user=contract.buyer, milestone_id=second.pk)
    assert state() == before


# --- Who may dispute what ---------------------------------------------------------------------------------------


def test_only_a_funded_milestone_of_ones_own_contract_can_be_disputed() -> None:
    contract = make_contract(PRICE)
    milestone = only_milestone(contract)
    with pytest.raises(services.DisputeStateError):
        open_on(contract, milestone)  # not funded yet
    stranger = make_user("stranger@example.com")
    funded(contract)
    with pytest.raises(Milestone.DoesNotExist):
        open_on(contract, milestone, by=stranger)
    for bad in (None, "x", True, -1, 0, 2**70):
        with pytest.raises(Milestone.DoesNotExist):
            services.open_dispute(user=contract.buyer, milestone_id=bad, reason="quality", statement="x")
    with pytest.raises(ValidationError) as wrong:
        services.open_dispute(user=contract.buyer, milestone_id=milestone.pk, reason="revenge", statement="")
    assert "reason" in wrong.value.message_dict
    assert not Dispute.objects.exists()
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.ACTIVE


@pytest.mark.parametrize(
    ("amount", "percent"),
    [
        (None, None),
        (100, 50),
        (-1, None),
        (PRICE + 1, None),
        (2**63, None),
        (None, 101),
        (None, -5),
        (True, None),
        ("100", None),
        (None, 50.5),
        (1.5, None),
    ],
)
def test_bad_offers_are_refused_and_change_nothing(amount: object, percent: object) -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    before = (state(), list(DisputeOffer.objects.values_list()))
    with pytest.raises(ValidationError):
        services.make_offer(user=contract.buyer, dispute_id=dispute.pk, amount=amount, percent=percent)
    assert (state(), list(DisputeOffer.objects.values_list())) == before


def test_offers_are_answered_only_by_the_other_side_and_once() -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    offer = services.make_offer(user=contract.buyer, dispute_id=dispute.pk, percent=40)
    with pytest.raises(PermissionDenied):
        services.accept_offer(user=contract.buyer, offer_id=offer.pk)
    stranger = make_user("stranger@example.com")
    with pytest.raises(DisputeOffer.DoesNotExist):
        services.accept_offer(user=stranger, offer_id=offer.pk)
    services.accept_offer(user=contract.freelancer, offer_id=offer.pk)
    transfers = Transfer.objects.count()
    with pytest.raises(services.DisputeStateError):
        services.accept_offer(user=contract.freelancer, offer_id=offer.pk)
    assert Transfer.objects.count() == transfers
    assert ok()


def test_strangers_see_no_dispute() -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    stranger = make_user("stranger@example.com")
    for call in (
        lambda: services.add_statement(user=stranger, dispute_id=dispute.pk, text="Hi"),
        lambda: services.make_offer(user=stranger, dispute_id=dispute.pk, percent=1),
        lambda: services.escalate(user=stranger, dispute_id=dispute.pk),
        lambda: services.withdraw(user=stranger, dispute_id=dispute.pk),
    ):
        with pytest.raises(Dispute.DoesNotExist):
            call()


# --- Escalation, withdrawal ----------------------------------------------------------------------------------


def test_unsettled_disputes_go_to_an_arbiter_after_the_negotiation_days(settings: Any) -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    assert services.escalate_due() == 0
    later = timezone.now() + dt.timedelta(days=settings.HAAT_DISPUTE_NEGOTIATION_DAYS, minutes=1)
    with time_machine.travel(later):
        mail.outbox.clear()
        assert services.escalate_due() == 1
        assert services.escalate_due() == 0  # a second run changes nothing
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ARBITRATION and dispute.escalated_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([contract.buyer.email, contract.freelancer.email])


def test_withdrawing_unfreezes_the_contract() -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    with pytest.raises(PermissionDenied):
        services.withdraw(user=contract.freelancer, dispute_id=dispute.pk)
    services.withdraw(user=contract.buyer, dispute_id=dispute.pk)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    contract_services.accept(user=contract.buyer, milestone_id=milestone.pk)
    assert clearing(contract.freelancer) == 18_000
    assert ok()


def test_every_step_emails_both_sides() -> None:
    contract, milestone = delivered_contract()
    mail.outbox.clear()
    dispute = open_on(contract, milestone)
    offer = services.make_offer(user=contract.freelancer, dispute_id=dispute.pk, percent=75)
    services.accept_offer(user=contract.buyer, offer_id=offer.pk)
    both = sorted([contract.buyer.email, contract.freelancer.email])
    assert len(mail.outbox) == 6
    for pair in (mail.outbox[0:2], mail.outbox[2:4], mail.outbox[4:6]):
        assert sorted(m.to[0] for m in pair) == both
    assert "settled" in mail.outbox[-1].subject
    assert "US$135.00" in mail.outbox[-1].body  # 15 000 − 10 % fee
