"""Reads of contracts. Only the two parties (buyer and freelancer) ever see a contract."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from haat.accounts.models import User
from haat.contracts.models import Contract
from haat.ledger.models import MAX_AMOUNT
from haat.payments.fees import FeeBreakdown, percent_of


def contracts_of(user: User) -> QuerySet[Contract]:
    """The contracts where the user is the buyer or the freelancer, newest first."""
    return (
        Contract.objects.filter(Q(buyer=user) | Q(freelancer=user))
        .select_related("job", "bid", "buyer__profile", "freelancer__profile")
        .order_by("-created_at", "-pk")
    )


def contract_of(user: User, contract_id: int) -> Contract:
    """One of the user's contracts; ``Contract.DoesNotExist`` for unknown ids and other people's alike."""
    if not 0 < contract_id <= MAX_AMOUNT:
        raise Contract.DoesNotExist
    return contracts_of(user).get(pk=contract_id)


def contract_fees(contract: Contract) -> FeeBreakdown:
    """The contract's fees at the rates locked in at the award (never the current fee schedule)."""
    return FeeBreakdown(
        price=contract.price,
        currency=contract.currency,
        buyer_fee_bps=contract.buyer_fee_bps,
        buyer_fee=percent_of(contract.price, contract.buyer_fee_bps),
        freelancer_fee_bps=contract.freelancer_fee_bps,
        freelancer_fee=percent_of(contract.price, contract.freelancer_fee_bps),
    )


def contract_thread_id(contract: Contract) -> int | None:
    """The id of the contract's message thread, if it has one."""
    from haat.messaging.models import Thread, ThreadKind

    return (
        Thread.objects.filter(contract=contract, kind=ThreadKind.CONTRACT)
        .values_list("pk", flat=True)
        .first()
    )
