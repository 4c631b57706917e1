"""Finance actions are written to the audit log in their transaction; finance never decides their own money."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.conftest import make_staff
from haat.ledger import selectors as ledger_selectors
from haat.payments import deposits, withdrawals
from haat.payments.models import Deposit, DepositStatus, Withdrawal, WithdrawalStatus
from haat.staff.models import AuditEntry
from haat.staff.roles import Role
from haat.staff.tests.helpers import PAYOUTS, request_withdrawal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    settings.HAAT_PAYOUTS = PAYOUTS
    settings.HAAT_GATEWAYS = ["sandbox", "manual"]


@pytest.fixture
def finance(db: None) -> User:
    return make_staff("finance@example.com", Role.FINANCE)


def _manual(user: User, amount: int = 10_000) -> Deposit:
    return deposits.start_deposit(user=user, amount=amount, currency="USD", gateway="manual").deposit


def _entries() -> list[tuple[Any, ...]]:
    return list(
        AuditEntry.objects.order_by("pk").values_list(
            "actor_id", "action", "target_type", "target_id", "reason"
        )
    )


def test_mark_paid_is_audited_once(user: User, finance: User) -> None:
    withdrawal = request_withdrawal(user, 5_000)
    withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="PP-9")
    withdrawals.mark_paid(
        staff=finance, withdrawal_id=withdrawal.pk, reference="PP-9"
    )  # a repeat: no new entry
    assert _entries() == [(finance.pk, "withdrawal.mark_paid", "withdrawal", str(withdrawal.pk), "PP-9")]
    entry = AuditEntry.objects.get()
    assert entry.details == {
        "user": user.pk,
        "amount": 5_000,
        "fee": 100,
        "currency": "USD",
        "method": "paypal",
    }


def test_reject_is_audited(user: User, finance: User) -> None:
    withdrawal = request_withdrawal(user, 5_000)
    withdrawals.reject(staff=finance, withdrawal_id=withdrawal.pk, reason="The name does not match.")
    assert _entries() == [
        (finance.pk, "withdrawal.reject", "withdrawal", str(withdrawal.pk), "The name does not match.")
    ]


def test_a_refused_decision_writes_nothing(user: User, finance: User) -> None:
    withdrawal = request_withdrawal(user, 5_000)
    withdrawals.mark_paid(staff=finance, withdrawal_id=withdrawal.pk, reference="PP-1")
    with pytest.raises(withdrawals.WithdrawalStateError):
        withdrawals.reject(staff=finance, withdrawal_id=withdrawal.pk, reason="late")
    assert [row[1] for row in _entries()] == ["withdrawal.mark_paid"]


def test_finance_cannot_decide_their_own_withdrawal(finance: User) -> None:
    own = request_withdrawal(finance, 5_000)
    available = ledger_selectors.balance(ledger_selectors.user_accounts(finance.pk).get()).available
    with pytest.raises(PermissionDenied, match="your own withdrawal"):
        withdrawals.mark_paid(staff=finance, withdrawal_id=own.pk, reference="PP-1")
    with pytest.raises(PermissionDenied, match="your own withdrawal"):
        withdrawals.reject(staff=finance, withdrawal_id=own.pk, reason="mine")
    own.refresh_from_db()
    assert own.status == WithdrawalStatus.REQUESTED and own.decided_by is None
    assert ledger_selectors.balance(ledger_selectors.user_accounts(finance.pk).get()).available == available
    assert _entries() == []
    # Another member of finance may.
    colleague = make_staff("colleague@example.com", Role.FINANCE)
    withdrawals.mark_paid(staff=colleague, withdrawal_id=own.pk, reference="PP-1")
    assert Withdrawal.objects.get(pk=own.pk).decided_by == colleague


def test_own_withdrawal_in_the_queue_page_has_no_buttons_and_a_post_is_refused(
    client: Client, finance: User
) -> None:
    own = request_withdrawal(finance, 5_000)
    client.force_login(finance)
    client.cookies["haat_language"] = "en"
    html = client.get(reverse("payments:payout-queue")).content.decode()
    assert "This is your own withdrawal" in html
    assert reverse("payments:payout-mark-paid", args=[own.pk]) not in html
    page = client.post(reverse("payments:payout-mark-paid", args=[own.pk]), {"reference": "X"}, follow=True)
    assert "your own withdrawal" in page.content.decode()
    assert Withdrawal.objects.get(pk=own.pk).status == WithdrawalStatus.REQUESTED


def test_own_withdrawal_through_the_api_is_403(client: Client, finance: User) -> None:
    own = request_withdrawal(finance, 5_000)
    token = account_services.create_api_token(user=finance, name="t").secret
    response = client.post(
        f"/api/v1/withdrawals/{own.pk}/mark-paid",
        {"reference": "PP-1"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 403
    assert Withdrawal.objects.get(pk=own.pk).status == WithdrawalStatus.REQUESTED


def test_finance_api_needs_two_factor(client: Client, user: User) -> None:
    request_withdrawal(user, 5_000)
    staff = make_staff("nofa@example.com", Role.FINANCE, two_factor=False)
    token = account_services.create_api_token(user=staff, name="t").secret
    response = client.get("/api/v1/payout-queue", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_confirm_deposit_is_audited(user: User, finance: User) -> None:
    deposit = _manual(user)
    deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=9_650)
    deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=9_650)  # repeat
    assert _entries() == [(finance.pk, "deposit.confirm", "deposit", str(deposit.pk), "")]
    details = AuditEntry.objects.get().details
    assert (details["announced"], details["received"], details["user"]) == (10_000, 9_650, user.pk)


def test_fail_deposit_is_audited(user: User, finance: User) -> None:
    deposit = _manual(user)
    deposits.fail_manual_deposit(staff=finance, deposit_id=deposit.pk, reason="Nothing arrived.")
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.FAILED
    assert _entries() == [(finance.pk, "deposit.fail", "deposit", str(deposit.pk), "Nothing arrived.")]


def test_finance_cannot_decide_their_own_deposit(finance: User) -> None:
    deposit = _manual(finance)
    with pytest.raises(PermissionDenied):
        deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=10_000)
    with pytest.raises(PermissionDenied):
        deposits.fail_manual_deposit(staff=finance, deposit_id=deposit.pk, reason="no")
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.PENDING
    assert _entries() == []


def test_deposit_queue_pages_write_the_audit_log(client: Client, user: User, finance: User) -> None:
    confirmed, failed = _manual(user), _manual(user, 2_000)
    client.force_login(finance)
    prefix = f"confirm-{confirmed.pk}"
    response = client.post(
        reverse("payments:deposit-confirm", args=[confirmed.pk]), {f"{prefix}-received": "100.00"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("payments:deposit-fail", args=[failed.pk]), {f"fail-{failed.pk}-reason": "Sent back."}
    )
    assert response.status_code == 302
    assert [row[1:4] for row in _entries()] == [
        ("deposit.confirm", "deposit", str(confirmed.pk)),
        ("deposit.fail", "deposit", str(failed.pk)),
    ]
