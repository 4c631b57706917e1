"""Shared set-up for the staff tests: money in wallets, withdrawals, contracts and disputes."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.contracts.models import Contract, Milestone
from haat.disputes.models import Dispute, DisputeReason, DisputeStatus
from haat.ledger import operations
from haat.payments import withdrawals
from haat.payments.models import PayoutKind, Withdrawal

# Known fees whatever HAAT_PAYOUTS_JSON says on this machine: PayPal takes 2 %.
PAYOUTS = {"paypal": {"fee_bps": 200, "fixed_fee": {"*": 0}, "minimum": {"USD": 1000, "*": 1000}}}
_deposit_ids = itertools.count(9_000_001)


def fund(user: User, amount: int, currency: str = "USD") -> None:
    operations.credit_deposit(
        deposit_id=next(_deposit_ids), user=user, gateway="sandbox", amount=amount, currency=currency
    )


def request_withdrawal(user: User, amount: int) -> Withdrawal:
    """``user`` asks for ``amount`` USD by PayPal (2 % fee), funded first."""
    fund(user, amount * 2)
    method = withdrawals.payout_methods_of(user).filter(kind=PayoutKind.PAYPAL).first()
    if method is None:
        method = withdrawals.add_payout_method(user=user, kind="paypal", email=f"pp-{user.pk}@example.com")
    return withdrawals.request_withdrawal(
        user=user, payout_method_id=method.pk, amount=amount, currency="USD"
    )


def make_contract(buyer: User, email: str) -> Contract:
    """A contract through bid, award and acceptance (awaiting funding)."""
    worker = freelancer(email, "Rahim")
    bid = bid_on(make_job(buyer), worker)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    return bid_services.accept_award(freelancer=worker, bid_id=bid.pk)


def open_dispute(contract: Contract, *, status: str = DisputeStatus.ARBITRATION) -> Dispute:
    """A dispute row on the contract's first milestone (the disputes app's rules are not under test here)."""
    milestone = Milestone.objects.filter(contract=contract).order_by("position").first()
    assert milestone is not None
    return Dispute.objects.create(
        contract=contract,
        milestone=milestone,
        opened_by=contract.buyer,
        reason=DisputeReason.QUALITY,
        statement="Not what we agreed.",
        amount=milestone.amount,
        currency=contract.currency,
        status=status,
        negotiation_ends_at=timezone.now() + dt.timedelta(days=3),
    )
