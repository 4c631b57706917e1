"""Fee rounding and the breakdown shown before anyone pays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haat.payments import fees
from haat.payments.models import FeeSchedule


@pytest.mark.parametrize(
    ("amount", "bps", "expected"),
    [
        (1000, 300, 30),
        (50, 300, 2),  # 1.5 → 2 (half to even: 2 is even)
        (150, 100, 2),  # 1.5 → 2
        (250, 100, 2),  # 2.5 → 2
        (350, 100, 4),  # 3.5 → 4
        (1, 1000, 0),  # 0.1 → 0
        (5, 1000, 0),  # 0.5 → 0
        (15, 1000, 2),  # 1.5 → 2
        (0, 1000, 0),
        (2**62, 1000, 2**62 // 10 + 0),  # exact integer arithmetic for huge amounts
    ],
)
def test_percent_of_rounds_half_to_even(amount: int, bps: int, expected: int) -> None:
    assert fees.percent_of(amount, bps) == expected


@given(st.integers(min_value=0, max_value=2**63 - 1), st.integers(min_value=0, max_value=10_000))
def test_percent_of_is_within_half_a_unit(amount: int, bps: int) -> None:
    fee = fees.percent_of(amount, bps)
    exact_times_2 = 2 * amount * bps  # compare 2×fee×10000 against 2×amount×bps to stay in integers
    assert abs(2 * fee * 10_000 - exact_times_2) <= 10_000


@pytest.mark.django_db
def test_default_breakdown() -> None:
    b = fees.breakdown(100_000, "BDT")
    assert (b.buyer_fee, b.buyer_total) == (3_000, 103_000)
    assert (b.freelancer_fee, b.freelancer_receives) == (10_000, 90_000)
    assert b.platform_revenue == 13_000


@pytest.mark.django_db
def test_small_usd_contracts_pay_the_higher_rate() -> None:
    small = fees.breakdown(10_000, "USD")  # $100 < $150
    assert small.freelancer_fee_bps == 1500
    assert small.freelancer_fee == 1_500
    large = fees.breakdown(20_000, "USD")
    assert large.freelancer_fee_bps == 1000
    # A $50 milestone of a $300 contract pays the normal rate.
    assert fees.breakdown(5_000, "USD", contract_price=30_000).freelancer_fee_bps == 1000


@pytest.mark.django_db
def test_operator_schedule_is_used() -> None:
    FeeSchedule.objects.create(
        currency="EUR", buyer_fee_bps=0, freelancer_fee_bps=500, small_contract_threshold=0
    )
    b = fees.breakdown(1_001, "EUR")
    assert (b.buyer_fee, b.freelancer_fee, b.freelancer_receives) == (0, 50, 951)


@pytest.mark.django_db
@given(price=st.integers(min_value=1, max_value=10**15))
def test_parts_always_add_up(price: int) -> None:
    b = fees.breakdown(price, "USD")
    assert b.buyer_total - b.buyer_fee == price
    assert b.freelancer_receives + b.freelancer_fee == price
    assert 0 <= b.freelancer_fee <= price


@pytest.mark.django_db
@pytest.mark.parametrize("price", [0, -5, 1.5, "100", True])
def test_bad_prices_are_refused(price: object) -> None:
    with pytest.raises(ValueError, match="positive whole number"):
        fees.breakdown(price, "USD")
