"""The business movements of money, each one atomic and idempotent (ids derive from what caused them).

Other apps decide *when* money moves (a deposit succeeded, a milestone was accepted); these functions are
*how*. They are the only entry points other apps use to move money.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from haat.accounts.models import User
from haat.ledger import services
from haat.ledger.models import AccountKind, Phase, Transfer, TransferCode
from haat.ledger.services import TransferSpec, transfer_id


def credit_deposit(*, deposit_id: int, user: User, gateway: str, amount: int, currency: str) -> Transfer:
    """Money arrived through a gateway: gateway clearing → the user's wallet. Once per deposit."""
    return services.post_transfer(
        TransferSpec(
            id=transfer_id("deposit", deposit_id),
            debit=services.gateway_clearing(gateway, currency),
            credit=services.wallet(user, currency),
            amount=amount,
            code=TransferCode.DEPOSIT,
            reference=f"deposit:{deposit_id}",
        )
    )


def fund_escrow(
    *, key: str, buyer: User, escrow_reference: str, price: int, buyer_fee: int, currency: str
) -> list[Transfer]:
    """The buyer pays ``price`` into escrow and ``buyer_fee`` to the platform, from their wallet, at once."""
    wallet = services.wallet(buyer, currency)
    specs = [
        TransferSpec(
            transfer_id("fund", key),
            wallet,
            services.escrow(escrow_reference, currency),
            price,
            TransferCode.ESCROW_FUNDING,
            escrow_reference,
        )
    ]
    if buyer_fee:
        specs.append(
            TransferSpec(
                transfer_id("fund-fee", key),
                wallet,
                services.platform_revenue(currency),
                buyer_fee,
                TransferCode.BUYER_FEE,
                escrow_reference,
            )
        )
    return services.post_transfers(specs)


def release_escrow(
    *, key: str, escrow_reference: str, freelancer: User, amount: int, freelancer_fee: int, currency: str
) -> list[Transfer]:
    """Escrow pays ``amount - freelancer_fee`` to the freelancer (waiting for clearance) and the fee to the
    platform, in one step."""
    if freelancer_fee > amount:
        raise services.InvalidTransfer("The fee cannot exceed the amount released.")
    escrow = services.escrow(escrow_reference, currency)
    specs = []
    if amount - freelancer_fee:
        specs.append(
            TransferSpec(
                transfer_id("release", key),
                escrow,
                services.clearing(freelancer, currency),
                amount - freelancer_fee,
                TransferCode.RELEASE,
                escrow_reference,
            )
        )
    if freelancer_fee:
        specs.append(
            TransferSpec(
                transfer_id("release-fee", key),
                escrow,
                services.platform_revenue(currency),
                freelancer_fee,
                TransferCode.FREELANCER_FEE,
                escrow_reference,
            )
        )
    return services.post_transfers(specs)


def refund_escrow(*, key: str, escrow_reference: str, buyer: User, amount: int, currency: str) -> Transfer:
    """Escrow pays ``amount`` back to the buyer's wallet."""
    return services.post_transfer(
        TransferSpec(
            transfer_id("refund", key),
            services.escrow(escrow_reference, currency),
            services.wallet(buyer, currency),
            amount,
            TransferCode.REFUND,
            escrow_reference,
        )
    )


def clear_earnings(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Move every release older than ``older_than`` from the freelancer's clearing account to their wallet.

    One clearance transfer per release (its id derives from the release), so running this twice, or from two
    workers at once, clears each release exactly once. Returns how many releases were cleared now.
    """
    cutoff = (now or timezone.now()) - older_than
    releases = Transfer.objects.filter(
        code=TransferCode.RELEASE,
        phase=Phase.POSTED,
        credit_account__kind=AccountKind.CLEARING,
        created_at__lte=cutoff,
    ).select_related("credit_account__owner")
    # Already-cleared releases are skipped here for speed; the derived transfer id is what guarantees once.
    cleared_refs = set(
        Transfer.objects.filter(code=TransferCode.CLEARANCE).values_list("reference", flat=True)
    )
    count = 0
    for release in releases.iterator():
        marker = f"release:{release.pk}"
        if marker in cleared_refs:
            continue
        owner = release.credit_account.owner
        assert owner is not None
        with transaction.atomic():
            services.post_transfer(
                TransferSpec(
                    transfer_id("clearance", release.pk),
                    release.credit_account,
                    services.wallet(owner, release.currency),
                    release.amount,
                    TransferCode.CLEARANCE,
                    marker,
                )
            )
        count += 1
    return count


def hold_withdrawal(
    *, withdrawal_id: int, user: User, method: str, amount: int, fee: int, currency: str
) -> list[Transfer]:
    """Hold ``amount + fee`` of the user's wallet for a withdrawal (pending transfers)."""
    wallet = services.wallet(user, currency)
    specs = [
        TransferSpec(
            transfer_id("withdrawal", withdrawal_id),
            wallet,
            services.payout_clearing(method, currency),
            amount,
            TransferCode.WITHDRAWAL,
            f"withdrawal:{withdrawal_id}",
            pending=True,
        )
    ]
    if fee:
        specs.append(
            TransferSpec(
                transfer_id("withdrawal-fee", withdrawal_id),
                wallet,
                services.platform_revenue(currency),
                fee,
                TransferCode.WITHDRAWAL_FEE,
                f"withdrawal:{withdrawal_id}",
                pending=True,
            )
        )
    return services.post_transfers(specs)


def _withdrawal_holds(withdrawal_id: int) -> list[uuid.UUID]:
    ids = [transfer_id("withdrawal", withdrawal_id), transfer_id("withdrawal-fee", withdrawal_id)]
    return list(Transfer.objects.filter(pk__in=ids, phase=Phase.PENDING).values_list("pk", flat=True))


def settle_withdrawal(*, withdrawal_id: int) -> None:
    """The payout was sent: post the held transfers."""
    with transaction.atomic():
        for pending_id in _withdrawal_holds(withdrawal_id):
            services.resolve_pending(pending_id, post=True)


def cancel_withdrawal(*, withdrawal_id: int) -> None:
    """The payout was rejected: void the holds, so the money is back in the wallet."""
    with transaction.atomic():
        for pending_id in _withdrawal_holds(withdrawal_id):
            services.resolve_pending(pending_id, post=False)


def split_escrow(
    *,
    key: str,
    escrow_reference: str,
    freelancer: User,
    buyer: User,
    freelancer_receives: int,
    freelancer_fee: int,
    arbitration_fee: int,
    buyer_refund: int,
    currency: str,
) -> list[Transfer]:
    """Settle a dispute in one batch: the freelancer's share (after fees) to their clearing account, the
    freelancer fee and any arbitration fee to the platform, the rest back to the buyer's wallet. Every part may
    be zero; the escrow's floor guarantees the parts never exceed what it holds."""
    if min(freelancer_receives, freelancer_fee, arbitration_fee, buyer_refund) < 0:
        raise services.InvalidTransfer("A dispute's split cannot contain a negative part.")
    escrow = services.escrow(escrow_reference, currency)
    revenue = services.platform_revenue(currency)
    parts = [
        ("release", services.clearing(freelancer, currency), freelancer_receives, TransferCode.RELEASE),
        ("release-fee", revenue, freelancer_fee, TransferCode.FREELANCER_FEE),
        ("arbitration-fee", revenue, arbitration_fee, TransferCode.ARBITRATION_FEE),
        ("refund", services.wallet(buyer, currency), buyer_refund, TransferCode.REFUND),
    ]
    specs = [
        TransferSpec(transfer_id(kind, key), escrow, account, amount, code, escrow_reference)
        for kind, account, amount, code in parts
        if amount
    ]
    return services.post_transfers(specs)
