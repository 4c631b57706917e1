"""The fee breakdown every page and endpoint shows, and every charge uses.

Fees are a whole number of minor units, rounded half-to-even from basis points. The platform takes the
rounded fee; the rounding remainder stays with the other side (the buyer pays ``price + buyer_fee``, the
freelancer receives ``price - freelancer_fee``), so the parts always add up exactly to what moves.
"""

from __future__ import annotations

from dataclasses import dataclass

from haat.payments.models import FeeSchedule

DEFAULT = FeeSchedule(currency="*")  # used when the operator has not set any schedule


def percent_of(amount: int, basis_points: int) -> int:
    """``amount × basis_points / 10 000`` rounded half-to-even, in integers only (no float, no Decimal)."""
    if amount < 0 or basis_points < 0:
        raise ValueError("amount and rate must not be negative")
    quotient, remainder = divmod(amount * basis_points, 10_000)
    if remainder * 2 > 10_000 or (remainder * 2 == 10_000 and quotient % 2 == 1):
        quotient += 1
    return quotient


def schedule_for(currency: str) -> FeeSchedule:
    """The currency's own schedule, else the ``*`` default row, else the built-in defaults."""
    schedules = {s.currency: s for s in FeeSchedule.objects.filter(currency__in=[currency, "*"])}
    return schedules.get(currency) or schedules.get("*") or DEFAULT


@dataclass(frozen=True)
class FeeBreakdown:
    price: int
    currency: str
    buyer_fee_bps: int
    buyer_fee: int
    freelancer_fee_bps: int
    freelancer_fee: int

    @property
    def buyer_total(self) -> int:
        """What the buyer is charged: the price plus the buyer fee."""
        return self.price + self.buyer_fee

    @property
    def freelancer_receives(self) -> int:
        """What the freelancer is paid at release: the price minus the freelancer fee."""
        return self.price - self.freelancer_fee

    @property
    def platform_revenue(self) -> int:
        return self.buyer_fee + self.freelancer_fee


def breakdown(price: int, currency: str, *, contract_price: int | None = None) -> FeeBreakdown:
    """Fees for paying ``price`` (a contract or milestone amount).

    ``contract_price`` — the whole contract's price — decides whether the small-contract freelancer rate
    applies (a milestone of a large contract pays the normal rate); it defaults to ``price``.
    """
    if isinstance(price, bool) or not isinstance(price, int) or price <= 0:
        raise ValueError("The price must be a positive whole number of minor units.")
    schedule = schedule_for(currency)
    whole = price if contract_price is None else contract_price
    small = schedule.small_contract_threshold > 0 and whole < schedule.small_contract_threshold
    freelancer_bps = schedule.small_contract_fee_bps if small else schedule.freelancer_fee_bps
    return FeeBreakdown(
        price=price,
        currency=currency,
        buyer_fee_bps=schedule.buyer_fee_bps,
        buyer_fee=percent_of(price, schedule.buyer_fee_bps),
        freelancer_fee_bps=freelancer_bps,
        freelancer_fee=percent_of(price, freelancer_bps),
    )
