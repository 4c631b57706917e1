"""Payout methods and withdrawals: validation, holds, finance decisions, idempotency, e-mail and pages.

Every refusal is checked twice: a clear error, and the ledger exactly as it was (``verify()`` still ok).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse

from haat.accounts import services as account_services
from haat.accounts.models import Profile, User
from haat.conftest import PASSWORD, make_staff, make_user
from haat.ledger import operations, selectors, services
from haat.ledger.models import Account, HotDelta, Phase, Transfer
from haat.payments import withdrawals
from haat.payments.fees import percent_of
from haat.payments.models import PayoutKind, PayoutMethod, Withdrawal, WithdrawalStatus
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
PAYOUTS = {
    "payoneer": {"fee_bps": 0, "fixed_fee": {"USD": 300, "*": 0}, "minimum": {"USD": 5000, "*": 5000}},
    "bank": {
        "fee_bps": 0,
        "fixed_fee": {"BDT": 5000, "*": 0},
        "minimum": {"USD": 1000, "BDT": 100000, "*": 1000},
    },
    "mobile_money": {"fee_bps": 185, "fixed_fee": {"*": 0}, "minimum": {"USD": 500, "BDT": 50000, "*": 500}},
    "paypal": {"fee_bps": 200, "fixed_fee": {"*": 0}, "minimum": {"USD": 1000, "*": 1000}},
}
_deposit_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _payout_settings(settings: Any) -> None:
    """Known fees and minimums, whatever HAAT_PAYOUTS_JSON says on this machine."""
    settings.HAAT_PAYOUTS = PAYOUTS
    settings.HAAT_CURRENCIES = ["USD", "BDT", "EUR", "GBP", "INR"]


def _fund(user: User, amount: int, currency: str = "USD") -> None:
    operations.credit_deposit(
        deposit_id=next(_deposit_ids), user=user, gateway="sandbox", amount=amount, currency=currency
    )


def _available(user: User, currency: str = "USD") -> int:
    return selectors.balance(services.wallet(user, currency)).available


def _held(user: User, currency: str = "USD") -> int:
    return selectors.balance(services.wallet(user, currency)).held


def _ledger_state() -> tuple[object, ...]:
    """Every non-empty account's totals, and how many transfers, hot deltas and withdrawals exist."""
    accounts = [
        row
        for row in Account.objects.order_by("pk").values_list(
            "pk", "debits_pending", "debits_posted", "credits_pending", "credits_posted"
        )
        if any(row[1:])
    ]
    statuses = list(Withdrawal.objects.order_by("pk").values_list("pk", "status", "payment_reference"))
    return accounts, Transfer.objects.count(), HotDelta.objects.count(), statuses


def _verified() -> None:
    report = selectors.verify()
    assert report.ok, report.problems


def make_finance(email: str = "finance@example.com") -> User:
    return make_staff(email, Role.FINANCE)


@pytest.fixture
def finance(db: None) -> User:
    return make_finance()


def _paypal(user: User, email: str | None = None) -> PayoutMethod:
    return withdrawals.add_payout_method(user=user, kind="paypal", email=email or f"pp-{user.pk}@example.com")


def _bearer(user: User) -> dict[str, str]:
    return {
        "HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='test').secret}"
    }


def _post(client: Client, path: str, body: object, headers: dict[str, str], key: str | None = None) -> Any:
    extra = dict(headers)
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(path, data=json.dumps(body), content_type="application/json", **extra)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


# --- Payout methods -------------------------------------------------------------------------------------------

GOOD_METHODS: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"kind": "payoneer", "email": " Rahim@Example.COM "}, {"email": "Rahim@example.com"}),
    ({"kind": "paypal", "email": "a.b+pay@example.org"}, {"email": "a.b+pay@example.org"}),
    (
        {
            "kind": "bank",
            "account_name": " Rahim Uddin ",
            "account_number": "1234-5678 9012",
            "bank_name": "Sonali Bank",
            "branch": "Motijheel 200270522",
        },
        {
            "account_name": "Rahim Uddin",
            "account_number": "123456789012",
            "bank_name": "Sonali Bank",
            "branch": "Motijheel 200270522",
        },
    ),
    (
        {"kind": "bank", "account_name": "A", "account_number": "123456", "bank_name": "B", "branch": "C"},
        {"account_number": "123456"},
    ),
    (
        {"kind": "bank", "account_name": "A", "account_number": "1" * 20, "bank_name": "B", "branch": "C"},
        {"account_number": "1" * 20},
    ),
    (
        {"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "+8801712345678"},
        {"mobile_provider": "bkash", "mobile_number": "01712345678"},
    ),
    (
        {"kind": "mobile_money", "mobile_provider": "nagad", "mobile_number": "8801812345678"},
        {"mobile_provider": "nagad", "mobile_number": "01812345678"},
    ),
    (
        {"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "017 1234-5678"},
        {"mobile_number": "01712345678"},
    ),
    (
        {"kind": "mobile_money", "mobile_provider": "nagad", "mobile_number": "+880 1312-345678"},
        {"mobile_number": "01312345678"},
    ),
]


@pytest.mark.parametrize(("data", "stored"), GOOD_METHODS)
def test_good_payout_methods_are_normalised(user: User, data: dict[str, str], stored: dict[str, str]) -> None:
    method = withdrawals.add_payout_method(user=user, **data)
    method.refresh_from_db()
    assert method.kind == data["kind"]
    assert method.is_active
    for field, value in stored.items():
        assert getattr(method, field) == value
    # Fields of other kinds stay empty.
    others = {
        "email",
        "account_name",
        "account_number",
        "bank_name",
        "branch",
        "mobile_provider",
        "mobile_number",
    }
    for field in others - set(stored) - {k for k in data if k != "kind"}:
        assert getattr(method, field) == ""


def test_fields_of_other_kinds_are_ignored(user: User) -> None:
    method = withdrawals.add_payout_method(
        user=user,
        kind="paypal",
        email="x@example.com",
        account_number="123456789",
        mobile_number="01712345678",
    )
    assert (method.account_number, method.mobile_number) == ("", "")


BANK = {"account_name": "Rahim", "account_number": "12345678", "bank_name": "Sonali", "branch": "Motijheel"}
BAD_METHODS: list[tuple[dict[str, str], str]] = [
    ({"kind": "payoneer", "email": ""}, "email"),
    ({"kind": "payoneer", "email": "not-an-email"}, "email"),
    ({"kind": "paypal", "email": "someone@"}, "email"),
    ({"kind": "paypal", "email": "a b@example.com"}, "email"),
    ({"kind": "paypal", "email": "x" * 250 + "@example.com"}, "email"),
    ({"kind": "bank", **BANK, "account_name": "  "}, "account_name"),
    ({"kind": "bank", **BANK, "account_name": "Rahim\nUddin"}, "account_name"),
    ({"kind": "bank", **BANK, "account_name": "R" * 121}, "account_name"),
    ({"kind": "bank", **BANK, "account_number": ""}, "account_number"),
    ({"kind": "bank", **BANK, "account_number": "12345"}, "account_number"),
    ({"kind": "bank", **BANK, "account_number": "1" * 21}, "account_number"),
    ({"kind": "bank", **BANK, "account_number": "12AB5678"}, "account_number"),
    ({"kind": "bank", **BANK, "account_number": "১২৩৪৫৬৭৮"}, "account_number"),
    ({"kind": "bank", **BANK, "account_number": "1234.5678"}, "account_number"),
    ({"kind": "bank", **BANK, "bank_name": ""}, "bank_name"),
    ({"kind": "bank", **BANK, "branch": ""}, "branch"),
    ({"kind": "bank", **BANK, "branch": "B" * 61}, "branch"),
    (
        {"kind": "mobile_money", "mobile_provider": "rocket", "mobile_number": "01712345678"},
        "mobile_provider",
    ),
    ({"kind": "mobile_money", "mobile_provider": "", "mobile_number": "01712345678"}, "mobile_provider"),
    ({"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": ""}, "mobile_number"),
    ({"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "01212345678"}, "mobile_number"),
    ({"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "0171234567"}, "mobile_number"),
    ({"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "017123456789"}, "mobile_number"),
    (
        {"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "+9101712345678"},
        "mobile_number",
    ),
    (
        {"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "+88017123456789"},
        "mobile_number",
    ),
    ({"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "880171234567"}, "mobile_number"),
    ({"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "1712345678"}, "mobile_number"),
    ({"kind": "mobile_money", "mobile_provider": "nagad", "mobile_number": "০১৭১২৩৪৫৬৭৮"}, "mobile_number"),
    ({"kind": "mobile_money", "mobile_provider": "nagad", "mobile_number": "phone me"}, "mobile_number"),
    ({"kind": "cash", "email": "x@example.com"}, "kind"),
    ({"kind": "", "email": "x@example.com"}, "kind"),
]


@pytest.mark.parametrize(("data", "field"), BAD_METHODS)
def test_bad_payout_methods_are_refused_per_field(user: User, data: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        withdrawals.add_payout_method(user=user, **data)
    assert field in caught.value.message_dict
    assert all(caught.value.message_dict[field])
    assert not PayoutMethod.objects.exists()


def test_every_missing_bank_detail_is_reported_at_once(user: User) -> None:
    with pytest.raises(ValidationError) as caught:
        withdrawals.add_payout_method(user=user, kind="bank")
    assert set(caught.value.message_dict) == {"account_name", "account_number", "bank_name", "branch"}


def test_a_method_the_site_does_not_offer_is_refused(user: User, settings: Any) -> None:
    settings.HAAT_PAYOUTS = {k: v for k, v in PAYOUTS.items() if k != "paypal"}
    with pytest.raises(ValidationError) as caught:
        withdrawals.add_payout_method(user=user, kind="paypal", email="x@example.com")
    assert "kind" in caught.value.message_dict


def test_the_same_method_twice_is_refused_until_removed(user: User, other_user: User) -> None:
    first = _paypal(user, "same@example.com")
    with pytest.raises(ValidationError) as caught:
        _paypal(user, "SAME@example.com")
    assert "email" in caught.value.message_dict
    _paypal(other_user, "same@example.com")  # another user may use the same address
    withdrawals.deactivate_payout_method(user=user, method_id=first.pk)
    assert _paypal(user, "same@example.com").pk != first.pk


def test_deactivating_is_owner_only_and_repeatable(user: User, other_user: User) -> None:
    method = _paypal(user)
    with pytest.raises(PayoutMethod.DoesNotExist):
        withdrawals.deactivate_payout_method(user=other_user, method_id=method.pk)
    with pytest.raises(PayoutMethod.DoesNotExist):
        withdrawals.deactivate_payout_method(user=user, method_id=2**70)
    method.refresh_from_db()
    assert method.is_active
    withdrawals.deactivate_payout_method(user=user, method_id=method.pk)
    withdrawals.deactivate_payout_method(user=user, method_id=method.pk)
    method.refresh_from_db()
    assert not method.is_active
    assert list(withdrawals.payout_methods_of(user)) == []


# --- Fees -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "amount", "currency", "fee"),
    [
        ("paypal", 10_000, "USD", 200),
        ("paypal", 25, "USD", 0),  # 0.5 rounds half to even: 0
        ("paypal", 75, "USD", 2),  # 1.5 rounds half to even: 2
        ("payoneer", 5_000, "USD", 300),  # fixed fee in USD
        ("payoneer", 5_000, "EUR", 0),  # "*" fallback
        ("bank", 100_000, "BDT", 5_000),
        ("bank", 100_000, "USD", 0),
        ("mobile_money", 12_345, "BDT", percent_of(12_345, 185)),
    ],
)
def test_withdrawal_fee(kind: str, amount: int, currency: str, fee: int) -> None:
    assert withdrawals.withdrawal_fee(kind, amount, currency) == fee


def test_minimums_follow_the_currency_with_fallback() -> None:
    assert withdrawals.withdrawal_minimum("bank", "BDT") == 100_000
    assert withdrawals.withdrawal_minimum("bank", "GBP") == 1_000
    assert withdrawals.withdrawal_minimum("paypal", "USD") == 1_000


# --- Requesting, paying, rejecting ----------------------------------------------------------------------------


def test_request_holds_amount_plus_fee_at_once(user: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    withdrawal = withdrawals.request_withdrawal(
        user=user, payout_method_id=method.pk, amount=5_000, currency="USD"
    )
    assert (withdrawal.status, withdrawal.amount, withdrawal.fee) == (WithdrawalStatus.REQUESTED, 5_000, 100)
    assert _available(user) == 10_000 - 5_100
    assert _held(user) == 5_100
    holds = Transfer.objects.filter(reference=f"withdrawal:{withdrawal.pk}")
    assert sorted(holds.values_list("phase", "amount")) == [(Phase.PENDING, 100), (Phase.PENDING, 5_000)]
    _verified()


def test_mark_paid_posts_the_hold(user: User, finance: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    withdrawal = withdrawals.request_withdrawal(
        user=user, payout_method_id=method.pk, amount=5_000, currency="USD"
    )
    paid = withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference=" PP-123 ")
    paid.refresh_from_db()
    assert paid.status == WithdrawalStatus.PAID
    assert paid.payment_reference == "PP-123"
    assert paid.decided_by == finance
    assert paid.decided_at is not None
    wallet = selectors.balance(services.wallet(user, "USD"))
    assert (wallet.available, wallet.held, wallet.posted) == (4_900, 0, 4_900)
    assert selectors.balance(services.payout_clearing("paypal", "USD")).posted == 5_000
    assert selectors.balance(services.platform_revenue("USD")).posted == 100
    _verified()


def test_reject_voids_the_hold_and_returns_the_money(user: User, finance: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    withdrawal = withdrawals.request_withdrawal(
        user=user, payout_method_id=method.pk, amount=5_000, currency="USD"
    )
    rejected = withdrawals.reject(staff=finance, withdrawal_id=withdrawal.pk, reason="Name does not match.")
    rejected.refresh_from_db()
    assert rejected.status == WithdrawalStatus.REJECTED
    assert rejected.rejection_reason == "Name does not match."
    assert rejected.decided_by == finance
    wallet = selectors.balance(services.wallet(user, "USD"))
    assert (wallet.available, wallet.held, wallet.posted) == (10_000, 0, 10_000)
    assert selectors.balance(services.platform_revenue("USD")).posted == 0
    _verified()


def _requested(user: User, amount: int = 5_000) -> Withdrawal:
    """Give ``user`` $100.00 more and request ``amount`` by their PayPal method (added on first use)."""
    _fund(user, 10_000)
    method = withdrawals.payout_methods_of(user).filter(kind=PayoutKind.PAYPAL).first() or _paypal(user)
    return withdrawals.request_withdrawal(
        user=user, payout_method_id=method.pk, amount=amount, currency="USD"
    )


def test_repeating_the_same_decision_is_a_no_op(user: User, finance: User) -> None:
    withdrawal = _requested(user)
    first = withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="PP-1")
    before = _ledger_state()
    again = withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="PP-1")
    assert again.decided_at == first.decided_at
    assert _ledger_state() == before
    _verified()


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (("paid", "PP-1"), ("paid", "PP-2"), "already marked paid"),
        (("paid", "PP-1"), ("reject", "changed my mind"), "already paid"),
        (("reject", "wrong name"), ("paid", "PP-1"), "rejected"),
        (("reject", "wrong name"), ("reject", "another reason"), "already rejected"),
    ],
)
def test_a_decided_withdrawal_cannot_be_decided_again(
    user: User, finance: User, first: tuple[str, str], second: tuple[str, str], message: str
) -> None:
    withdrawal = _requested(user)

    def decide(action: tuple[str, str]) -> Withdrawal:
        if action[0] == "paid":
            return withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference=action[1])
        return withdrawals.reject(staff=finance, withdrawal_id=withdrawal.pk, reason=action[1])

    decide(first)
    before = _ledger_state()
    with pytest.raises(withdrawals.WithdrawalStateError) as caught:
        decide(second)
    assert message in " ".join(caught.value.messages)
    assert _ledger_state() == before
    _verified()


def test_decisions_need_a_reference_or_reason(user: User, finance: User) -> None:
    withdrawal = _requested(user)
    before = _ledger_state()
    for call in (
        lambda: withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="  "),
        lambda: withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="a\nb"),
        lambda: withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="x" * 129),
        lambda: withdrawals.reject(staff=finance, withdrawal_id=withdrawal.pk, reason=""),
    ):
        with pytest.raises(ValidationError):
            call()
    assert _ledger_state() == before


def test_only_finance_may_decide(user: User, other_user: User) -> None:
    withdrawal = _requested(user)
    before = _ledger_state()
    for staff in (user, other_user, make_user("staff@example.com", is_staff=True)):
        with pytest.raises(PermissionDenied):
            withdrawals.mark_paid(staff=staff, withdrawal_id=withdrawal.pk, reference="PP-1")
        with pytest.raises(PermissionDenied):
            withdrawals.reject(staff=staff, withdrawal_id=withdrawal.pk, reason="no")
        with pytest.raises(PermissionDenied):
            withdrawals.payout_queue(staff)
    assert _ledger_state() == before


def test_finance_by_group_and_superusers_may_decide(user: User) -> None:
    group = Group.objects.create(name="Finance")
    group.permissions.add(Permission.objects.get(codename="process_withdrawals"))
    member = make_user("member@example.com")
    member.groups.add(group)
    boss = User.objects.create_superuser(email="boss@example.com", password=PASSWORD)
    inactive = make_finance("gone@example.com")
    inactive.is_active = False
    inactive.save()
    assert withdrawals.can_process_withdrawals(User.objects.get(pk=member.pk))
    assert withdrawals.can_process_withdrawals(boss)
    assert not withdrawals.can_process_withdrawals(inactive)
    assert set(withdrawals.finance_staff()) == {member, boss}
    withdrawal = _requested(user)
    withdrawals.mark_paid(staff=User.objects.get(pk=member.pk), withdrawal_id=withdrawal.pk, reference="X")
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == WithdrawalStatus.PAID


def test_an_unknown_withdrawal_is_does_not_exist(finance: User) -> None:
    for withdrawal_id in (999_999, 2**70, 0, -1):
        with pytest.raises(Withdrawal.DoesNotExist):
            withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal_id, reference="PP-1")


def test_the_ledger_floor_is_the_real_guard(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if the balance check before the hold were fooled (a race), the ledger refuses the hold."""
    _fund(user, 5_000)
    method = _paypal(user)
    monkeypatch.setattr(withdrawals, "available_balance", lambda user, currency: 10**12)
    before = _ledger_state()
    with pytest.raises(ValidationError) as caught:
        withdrawals.request_withdrawal(user=user, payout_method_id=method.pk, amount=5_000, currency="USD")
    assert "amount" in caught.value.message_dict
    assert _ledger_state() == before
    _verified()


def test_the_payout_queue_is_oldest_first(user: User, other_user: User, finance: User) -> None:
    first = _requested(user, 2_000)
    second = _requested(other_user, 3_000)
    third = _requested(user, 1_000)
    withdrawals.mark_paid(staff=finance, withdrawal_id=third.pk, reference="done")
    assert list(withdrawals.payout_queue(finance)) == [first, second]


# --- Refusals leave the ledger untouched ----------------------------------------------------------------------


@pytest.fixture
def funded(user: User, other_user: User) -> dict[str, Any]:
    """``user`` with $100.00 and a PayPal method; ``other_user``'s method; a deactivated method."""
    _fund(user, 10_000)
    _fund(user, 1_000_000, "BDT")
    method = _paypal(user)
    gone = _paypal(user, "gone@example.com")
    withdrawals.deactivate_payout_method(user=user, method_id=gone.pk)
    return {"method": method.pk, "others": _paypal(other_user).pk, "gone": gone.pk}


BAD_REQUESTS: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]], str]] = [
    (
        "below minimum",
        lambda m: {"payout_method_id": m["method"], "amount": 999, "currency": "USD"},
        "amount",
    ),
    (
        "above available",
        lambda m: {"payout_method_id": m["method"], "amount": 9_900, "currency": "USD"},
        "amount",
    ),
    ("far above", lambda m: {"payout_method_id": m["method"], "amount": 2**62, "currency": "USD"}, "amount"),
    ("zero", lambda m: {"payout_method_id": m["method"], "amount": 0, "currency": "USD"}, "amount"),
    ("negative", lambda m: {"payout_method_id": m["method"], "amount": -5_000, "currency": "USD"}, "amount"),
    ("fraction", lambda m: {"payout_method_id": m["method"], "amount": 1.5, "currency": "USD"}, "amount"),
    ("string", lambda m: {"payout_method_id": m["method"], "amount": "100", "currency": "USD"}, "amount"),
    ("boolean", lambda m: {"payout_method_id": m["method"], "amount": True, "currency": "USD"}, "amount"),
    ("2**63", lambda m: {"payout_method_id": m["method"], "amount": 2**63, "currency": "USD"}, "amount"),
    (
        "unknown currency",
        lambda m: {"payout_method_id": m["method"], "amount": 5_000, "currency": "XYZ"},
        "currency",
    ),
    (
        "lower-case currency",
        lambda m: {"payout_method_id": m["method"], "amount": 5_000, "currency": "usd"},
        "currency",
    ),
    (
        "no money in EUR",
        lambda m: {"payout_method_id": m["method"], "amount": 5_000, "currency": "EUR"},
        "amount",
    ),
    (
        "someone else's method",
        lambda m: {"payout_method_id": m["others"], "amount": 5_000, "currency": "USD"},
        "payout_method_id",
    ),
    (
        "unknown method",
        lambda m: {"payout_method_id": 987_654, "amount": 5_000, "currency": "USD"},
        "payout_method_id",
    ),
    (
        "huge method id",
        lambda m: {"payout_method_id": 2**70, "amount": 5_000, "currency": "USD"},
        "payout_method_id",
    ),
    (
        "deactivated method",
        lambda m: {"payout_method_id": m["gone"], "amount": 5_000, "currency": "USD"},
        "payout_method_id",
    ),
    (
        "method id as text",
        lambda m: {"payout_method_id": str(m["method"]), "amount": 5_000, "currency": "USD"},
        "payout_method_id",
    ),
]


@pytest.mark.parametrize(("name", "make", "field"), BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_bad_requests_are_refused_by_the_service(
    user: User,
    funded: dict[str, Any],
    name: str,
    make: Callable[[dict[str, Any]], dict[str, Any]],
    field: str,
) -> None:
    before = _ledger_state()
    with pytest.raises(ValidationError) as caught:
        withdrawals.request_withdrawal(user=user, **make(funded))
    assert field in caught.value.message_dict
    assert all(caught.value.message_dict[field])
    assert _ledger_state() == before
    assert not Withdrawal.objects.exists()
    _verified()


@pytest.mark.parametrize(("name", "make", "field"), BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_bad_requests_are_422_problems_in_the_api(
    client: Client,
    user: User,
    funded: dict[str, Any],
    name: str,
    make: Callable[[dict[str, Any]], dict[str, Any]],
    field: str,
) -> None:
    headers = _bearer(user)
    before = _ledger_state()
    body = _problem(_post(client, "/api/v1/withdrawals", make(funded), headers, key=f"k-{name}"), 422)
    assert body["errors"]
    assert any(error["field"] == field for error in body["errors"]), body
    assert _ledger_state() == before
    assert not Withdrawal.objects.exists()
    _verified()


def test_the_minimum_message_names_the_minimum(user: User, funded: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        withdrawals.request_withdrawal(
            user=user, payout_method_id=funded["method"], amount=999, currency="USD"
        )
    assert "$10.00" in caught.value.message_dict["amount"][0]


def test_exactly_the_available_balance_can_be_withdrawn(user: User, funded: dict[str, Any]) -> None:
    # $100.00 available, PayPal takes 2 %: 98.04 + 1.96 = 100.00.
    withdrawal = withdrawals.request_withdrawal(
        user=user, payout_method_id=funded["method"], amount=9_804, currency="USD"
    )
    assert withdrawal.amount + withdrawal.fee == 10_000
    assert _available(user) == 0
    _verified()


# --- API ------------------------------------------------------------------------------------------------------


def test_api_request_with_the_same_key_twice_makes_one_withdrawal(client: Client, user: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    headers = _bearer(user)
    body = {"payout_method_id": method.pk, "amount": 5_000, "currency": "USD"}
    first = _post(client, "/api/v1/withdrawals", body, headers, key="once-1")
    assert first.status_code == 201, first.content
    created = first.json()
    assert (created["status"], created["amount"], created["fee"], created["total"]) == (
        "requested",
        5_000,
        100,
        5_100,
    )
    assert created["payout_method"]["label"] == method.masked
    second = _post(client, "/api/v1/withdrawals", body, headers, key="once-1")
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == created["id"]
    assert Withdrawal.objects.count() == 1
    assert _available(user) == 4_900
    _verified()


def test_api_same_key_with_a_different_body_is_422(client: Client, user: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    headers = _bearer(user)
    assert (
        _post(
            client,
            "/api/v1/withdrawals",
            {"payout_method_id": method.pk, "amount": 2_000, "currency": "USD"},
            headers,
            "k",
        ).status_code
        == 201
    )
    before = _ledger_state()
    body = _problem(
        _post(
            client,
            "/api/v1/withdrawals",
            {"payout_method_id": method.pk, "amount": 3_000, "currency": "USD"},
            headers,
            "k",
        ),
        422,
    )
    assert "Idempotency-Key" in body["detail"]
    assert _ledger_state() == before
    assert Withdrawal.objects.count() == 1


def test_api_request_without_a_key_is_400(client: Client, user: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    before = _ledger_state()
    body = _problem(
        _post(
            client,
            "/api/v1/withdrawals",
            {"payout_method_id": method.pk, "amount": 2_000, "currency": "USD"},
            _bearer(user),
        ),
        400,
    )
    assert "Idempotency-Key" in body["detail"]
    assert _ledger_state() == before
    assert not Withdrawal.objects.exists()


def test_api_lists_and_shows_only_own_withdrawals(client: Client, user: User, other_user: User) -> None:
    mine = _requested(user)
    theirs = _requested(other_user)
    headers = _bearer(user)
    listing = client.get("/api/v1/withdrawals", **headers).json()
    assert listing["count"] == 1
    assert [w["id"] for w in listing["items"]] == [mine.pk]
    assert client.get(f"/api/v1/withdrawals/{mine.pk}", **headers).json()["id"] == mine.pk
    _problem(client.get(f"/api/v1/withdrawals/{theirs.pk}", **headers), 404)
    _problem(client.get("/api/v1/withdrawals/99999999", **headers), 404)
    _problem(client.get(f"/api/v1/withdrawals/{2**70}", **headers), 404)
    _problem(client.get("/api/v1/withdrawals"), 401)


def test_api_quote_shows_the_fee_without_holding(client: Client, user: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    before = _ledger_state()
    response = client.get(
        "/api/v1/withdrawals/quote",
        {"payout_method_id": method.pk, "amount": 5_000, "currency": "USD"},
        **_bearer(user),
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "payout_method_id": method.pk,
        "amount": 5_000,
        "fee": 100,
        "total": 5_100,
        "currency": "USD",
        "minimum": 1_000,
        "available": 10_000,
    }
    assert _ledger_state() == before


def test_api_non_finance_cannot_mark_paid_or_reject(client: Client, user: User, other_user: User) -> None:
    withdrawal = _requested(user)
    before = _ledger_state()
    for who in (user, other_user):
        headers = _bearer(who)
        path = f"/api/v1/withdrawals/{withdrawal.pk}"
        _problem(_post(client, f"{path}/mark-paid", {"reference": "PP-1"}, headers, key=f"p{who.pk}"), 403)
        _problem(_post(client, f"{path}/reject", {"reason": "no"}, headers, key=f"r{who.pk}"), 403)
        _problem(client.get("/api/v1/payout-queue", **headers), 403)
    assert _ledger_state() == before
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == WithdrawalStatus.REQUESTED
    _verified()


def test_api_finance_queue_mark_paid_and_conflicts(client: Client, user: User, finance: User) -> None:
    withdrawal = _requested(user)
    method = withdrawal.payout_method
    headers = _bearer(finance)
    queue = client.get("/api/v1/payout-queue", **headers).json()
    assert queue["count"] == 1
    item = queue["items"][0]
    assert item["user"] == {"id": user.pk, "email": user.email}
    assert item["payout_details"]["email"] == method.email  # in full, for finance
    path = f"/api/v1/withdrawals/{withdrawal.pk}"
    _problem(_post(client, f"{path}/mark-paid", {"reference": "PP-1"}, headers), 400)  # no key
    paid = _post(client, f"{path}/mark-paid", {"reference": "PP-1"}, headers, key="pay-1")
    assert paid.status_code == 200, paid.content
    assert (paid.json()["status"], paid.json()["payment_reference"]) == ("paid", "PP-1")
    again = _post(client, f"{path}/mark-paid", {"reference": "PP-1"}, headers, key="pay-1")
    assert again["Idempotent-Replayed"] == "true"
    before = _ledger_state()
    body = _problem(_post(client, f"{path}/reject", {"reason": "oops"}, headers, key="rej-1"), 409)
    assert "already paid" in body["detail"]
    _problem(_post(client, f"{path}/mark-paid", {"reference": "PP-2"}, headers, key="pay-2"), 409)
    _problem(
        _post(client, "/api/v1/withdrawals/999999/mark-paid", {"reference": "x"}, headers, key="pay-3"), 404
    )
    _problem(_post(client, f"{path}/mark-paid", {"reference": ""}, headers, key="pay-4"), 422)
    assert _ledger_state() == before
    assert client.get("/api/v1/payout-queue", **headers).json()["count"] == 0
    _verified()


def test_api_finance_reject_returns_the_money(client: Client, user: User, finance: User) -> None:
    withdrawal = _requested(user)
    response = _post(
        client,
        f"/api/v1/withdrawals/{withdrawal.pk}/reject",
        {"reason": "Account closed."},
        _bearer(finance),
        key="r",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", "Account closed.")
    assert _available(user) == 10_000
    _verified()


def _reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def test_api_payout_methods(client: Client, user: User, other_user: User) -> None:
    token = _bearer(user)
    body = {"kind": "mobile_money", "mobile_provider": "bkash", "mobile_number": "+8801712345678"}
    # A token alone cannot add a payout method; a session must have re-authenticated recently.
    _problem(_post(client, "/api/v1/payout-methods", body, token), 401)
    client.force_login(user)
    problem = _problem(_post(client, "/api/v1/payout-methods", body, {}), 403)
    assert "re-authentication" in problem["detail"]
    assert not PayoutMethod.objects.exists()
    _reauthenticate(client)
    created = _post(client, "/api/v1/payout-methods", body, {})
    assert created.status_code == 201, created.content
    assert created.json()["label"] == "…5678"
    assert "01712345678" not in created.content.decode()
    bad = _problem(_post(client, "/api/v1/payout-methods", {**body, "mobile_number": "12345"}, {}), 422)
    assert bad["errors"][0]["field"] == "mobile_number"
    _problem(_post(client, "/api/v1/payout-methods", {"kind": "cash"}, {}), 422)
    client.logout()

    listing = client.get("/api/v1/payout-methods", **token).json()
    assert [m["id"] for m in listing["items"]] == [created.json()["id"]]
    method_id = created.json()["id"]
    _problem(client.delete(f"/api/v1/payout-methods/{method_id}", **_bearer(other_user)), 404)
    assert client.delete(f"/api/v1/payout-methods/{method_id}", **token).status_code == 204
    assert client.get("/api/v1/payout-methods", **token).json()["count"] == 0
    _problem(client.delete(f"/api/v1/payout-methods/{2**70}", **token), 404)


# --- E-mail ---------------------------------------------------------------------------------------------------


def test_emails_on_request_go_to_the_user_and_finance(
    user: User, finance: User, django_capture_on_commit_callbacks: Any
) -> None:
    Profile.objects.filter(user=user).update(language="bn")
    _fund(user, 10_000)
    method = _paypal(user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = withdrawals.request_withdrawal(
            user=user, payout_method_id=method.pk, amount=5_000, currency="USD"
        )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {user.email, finance.email}
    to_user, to_finance = by_recipient[user.email], by_recipient[finance.email]
    assert "US$৫০.০০" in to_user.body  # the user's language (Bengali) formats the amount
    assert "$50.00" in to_finance.subject
    assert f"#{withdrawal.pk}" in to_finance.subject
    assert user.email in to_finance.body
    assert reverse("payments:payout-queue") in to_finance.body
    assert method.email not in to_finance.body  # full payout details stay in the queue, not in e-mail


def test_emails_on_paid_and_rejected(
    user: User, finance: User, django_capture_on_commit_callbacks: Any
) -> None:
    paid = _requested(user)
    rejected = _requested(user, 2_000)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawals.mark_paid(staff=finance, withdrawal_id=paid.pk, reference="PP-777")
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "paid" in mail.outbox[0].subject
    assert "PP-777" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawals.reject(staff=finance, withdrawal_id=rejected.pk, reason="The PayPal account is closed.")
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "rejected" in mail.outbox[0].subject
    assert "The PayPal account is closed." in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # a repeated decision sends nothing
        withdrawals.mark_paid(staff=finance, withdrawal_id=paid.pk, reference="PP-777")
    assert mail.outbox == []


def test_no_email_when_the_request_is_refused(
    user: User, finance: User, django_capture_on_commit_callbacks: Any
) -> None:
    _fund(user, 1_000)
    method = _paypal(user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        withdrawals.request_withdrawal(user=user, payout_method_id=method.pk, amount=5_000, currency="USD")
    assert callbacks == []
    assert mail.outbox == []


def test_adding_a_payout_method_is_emailed(user: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        method = _paypal(user)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert method.masked in mail.outbox[0].body


# --- Pages ----------------------------------------------------------------------------------------------------


def test_add_payout_method_page_needs_reauthentication(client: Client, user: User) -> None:
    client.force_login(user)
    url = reverse("payments:payout-method-add")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(url, {"kind": "paypal", "email": "x@example.com"}).status_code == 302
    assert not PayoutMethod.objects.exists()
    _reauthenticate(client)
    assert "Bank account" in client.get(url).content.decode()
    form = client.get(url, {"kind": "bank"}).content.decode()
    assert 'name="account_number"' in form and 'name="email"' not in form
    bad = client.post(url, {"kind": "bank", **BANK, "account_number": "12"})
    assert bad.status_code == 400
    assert "6 to 20 digits" in bad.content.decode()
    response = client.post(url, {"kind": "bank", **BANK, "account_number": "1234 5678 9012"})
    assert response.status_code == 302
    method = PayoutMethod.objects.get(user=user)
    assert method.account_number == "123456789012"


def test_payout_methods_page_masks_and_removes(client: Client, user: User, other_user: User) -> None:
    method = withdrawals.add_payout_method(user=user, kind="bank", **{**BANK, "account_number": "9876543210"})
    client.force_login(user)
    page = client.get(reverse("payments:payout-method-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "…3210" in html
    assert "9876543210" not in html
    client.force_login(other_user)
    assert client.post(reverse("payments:payout-method-deactivate", args=[method.pk])).status_code == 404
    client.force_login(user)
    assert client.post(reverse("payments:payout-method-deactivate", args=[method.pk])).status_code == 302
    method.refresh_from_db()
    assert not method.is_active


def test_withdraw_page_shows_the_fee_before_confirming(client: Client, user: User) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    client.force_login(user)
    url = reverse("payments:withdrawal-new")
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"].initial["form_token"]
    data = {"payout_method": method.pk, "amount": "50.00", "currency": "USD", "form_token": token}
    preview = client.post(url, data)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "$50.00" in html and "$1.00" in html and "$51.00" in html
    assert not Withdrawal.objects.exists()  # nothing held before confirming
    assert _available(user) == 10_000
    done = client.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302
    assert done["Location"] == reverse("payments:withdrawal-list")
    again = client.post(url, {**data, "confirm": "1"})  # a double click or a reload
    assert again.status_code == 302
    assert Withdrawal.objects.count() == 1
    assert _available(user) == 4_900
    listing = client.get(reverse("payments:withdrawal-list")).content.decode()
    assert "$50.00" in listing and "Waiting for payment" in listing
    _verified()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("50.001", "at most 2 decimal places"),
        ("0", "greater than zero"),
        ("9.99", "$10.00"),
        ("99", "available"),
    ],
)
def test_withdraw_page_errors(client: Client, user: User, amount: str, message: str) -> None:
    _fund(user, 10_000)
    method = _paypal(user)
    client.force_login(user)
    data = {"payout_method": method.pk, "amount": amount, "currency": "USD", "form_token": "t"}
    response = client.post(reverse("payments:withdrawal-new"), {**data, "confirm": "1"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_withdraw_page_refuses_someone_elses_method(client: Client, user: User, other_user: User) -> None:
    _fund(user, 10_000)
    theirs = _paypal(other_user)
    client.force_login(user)
    data = {"payout_method": theirs.pk, "amount": "50", "currency": "USD", "form_token": "t", "confirm": "1"}
    assert client.post(reverse("payments:withdrawal-new"), data).status_code == 400
    assert not Withdrawal.objects.exists()


def test_pages_need_login(client: Client) -> None:
    for name in (
        "payout-method-list",
        "payout-method-add",
        "withdrawal-list",
        "withdrawal-new",
        "payout-queue",
    ):
        response = client.get(reverse(f"payments:{name}"))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login"))


def test_payout_queue_page_is_for_finance_only(client: Client, user: User, finance: User) -> None:
    _fund(user, 10_000)
    method = withdrawals.add_payout_method(user=user, kind="bank", **{**BANK, "account_number": "5550001234"})
    withdrawal = withdrawals.request_withdrawal(
        user=user, payout_method_id=method.pk, amount=2_000, currency="USD"
    )
    client.force_login(user)
    assert client.get(reverse("payments:payout-queue")).status_code == 403
    before = _ledger_state()
    assert (
        client.post(
            reverse("payments:payout-mark-paid", args=[withdrawal.pk]), {"reference": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("payments:payout-reject", args=[withdrawal.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert _ledger_state() == before

    client.force_login(finance)
    page = client.get(reverse("payments:payout-queue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert user.email in html and "5550001234" in html and "Sonali" in html and "$20.00" in html
    response = client.post(
        reverse("payments:payout-mark-paid", args=[withdrawal.pk]), {"reference": "BANK-42"}
    )
    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.payment_reference, withdrawal.decided_by) == (
        "paid",
        "BANK-42",
        finance,
    )
    # Rejecting it now is refused with a message, and changes nothing.
    before = _ledger_state()
    response = client.post(
        reverse("payments:payout-reject", args=[withdrawal.pk]), {"reason": "late"}, follow=True
    )
    assert "already paid" in response.content.decode()
    assert _ledger_state() == before
    assert client.post(reverse("payments:payout-reject", args=[999_999]), {"reason": "x"}).status_code == 404
    _verified()


def test_payout_queue_page_reject(client: Client, user: User, finance: User) -> None:
    withdrawal = _requested(user)
    client.force_login(finance)
    response = client.post(reverse("payments:payout-reject", args=[withdrawal.pk]), {"reason": "Wrong name."})
    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.rejection_reason) == ("rejected", "Wrong name.")
    assert _available(user) == 10_000
    empty = client.post(reverse("payments:payout-reject", args=[withdrawal.pk]), {"reason": ""}, follow=True)
    assert "required" in empty.content.decode()


# --- Concurrency ----------------------------------------------------------------------------------------------

WORKERS = 6


def _race(worker: Callable[[], object]) -> tuple[list[object], list[BaseException]]:
    results: list[object] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(WORKERS)

    def run() -> None:
        try:
            barrier.wait()
            results.append(worker())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_racing_requests_never_overdraw() -> None:
    user = make_user("racer@example.com")
    _fund(user, 10_000)
    method = _paypal(user)
    # Each asks for $40.00 + $0.80: only two fit in $100.00.
    results, errors = _race(
        lambda: withdrawals.request_withdrawal(
            user=user, payout_method_id=method.pk, amount=4_000, currency="USD"
        )
    )
    assert len(results) == 2
    assert len(errors) == WORKERS - 2
    assert all(isinstance(e, ValidationError) and "amount" in e.message_dict for e in errors), errors
    assert Withdrawal.objects.count() == 2
    assert _available(user) == 10_000 - 2 * 4_080
    _verified()


@pytest.mark.django_db(transaction=True)
def test_racing_decisions_apply_once() -> None:
    user = make_user("decided@example.com")
    finance = make_finance()
    withdrawal = _requested(user)
    counter = itertools.count()

    def decide() -> Withdrawal:
        if next(counter) % 2:
            return withdrawals.reject(staff=finance, withdrawal_id=withdrawal.pk, reason="no")
        return withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="PP-1")

    results, errors = _race(decide)
    withdrawal.refresh_from_db()
    assert withdrawal.status in (WithdrawalStatus.PAID, WithdrawalStatus.REJECTED)
    assert all(isinstance(e, withdrawals.WithdrawalStateError) for e in errors), errors
    assert len(results) + len(errors) == WORKERS
    assert Transfer.objects.filter(phase__in=[Phase.POST_PENDING, Phase.VOID_PENDING]).count() == 2
    wallet = selectors.balance(services.wallet(user, "USD"))
    assert wallet.held == 0
    assert wallet.available == (4_900 if withdrawal.status == WithdrawalStatus.PAID else 10_000)
    _verified()


def test_payout_kind_labels_are_complete() -> None:
    assert set(PAYOUTS) == set(PayoutKind.values)
