"""Deposits: gateways, signed webhooks, credit-exactly-once, finance confirmation, expiry, API and pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.conftest import make_staff, make_user
from haat.ledger import selectors, services
from haat.ledger.models import Transfer, TransferCode
from haat.payments import deposits, gateways
from haat.payments.models import Deposit, DepositStatus
from haat.payments.tasks import expire_deposits
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SECRET = "test-webhook-secret"
MAX = 2**63 - 1


@pytest.fixture(autouse=True)
def _deposit_settings(settings: Any) -> None:
    settings.HAAT_GATEWAYS = ["sandbox", "manual"]
    settings.HAAT_WEBHOOK_SECRET = SECRET
    settings.HAAT_DEPOSIT_EXPIRY_HOURS = 72


@pytest.fixture
def finance(db: None) -> User:
    return make_staff("finance@example.com", Role.FINANCE)


# --- helpers -----------------------------------------------------------------------------------------------


def _bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"].startswith("urn:haat:problem:")
    assert body["detail"]
    return body


def _balance(user: User, currency: str = "USD") -> int:
    return selectors.balance(services.wallet(user, currency)).available


def _money_state(user: User) -> tuple[int, int, list[tuple[int, str, int | None]]]:
    """The user's balance, the number of transfers, and every deposit's (id, status, received amount)."""
    return (
        _balance(user),
        Transfer.objects.count(),
        list(Deposit.objects.order_by("pk").values_list("pk", "status", "received_amount")),
    )


def _post_deposit(client: Client, headers: dict[str, str], body: Any, key: str | None = "k-1") -> Any:
    extra = dict(headers)
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/v1/deposits", data=json.dumps(body), content_type="application/json", **extra)


def _manual(user: User, amount: int = 10_000, currency: str = "USD") -> Deposit:
    started = deposits.start_deposit(user=user, amount=amount, currency=currency, gateway="manual")
    assert started.deposit.status == DepositStatus.PENDING
    return started.deposit


def _event(deposit: Deposit, status: str = "succeeded", **extra: Any) -> bytes:
    event: dict[str, Any] = {"deposit": deposit.reference, "status": status}
    if status == "succeeded":
        event |= {"amount": deposit.amount, "currency": deposit.currency, "gateway_reference": "bank-42"}
    else:
        event |= {"reason": "The bank returned the transfer."}
    event |= extra
    return gateways.encode_event(event)


def _webhook(client: Client, body: bytes, signature: str | None, gateway: str = "manual") -> Any:
    headers = {} if signature is None else {"HTTP_X_HAAT_SIGNATURE": signature}
    return client.post(
        f"/api/v1/gateways/{gateway}/webhook", data=body, content_type="application/json", **headers
    )


def _deposit_transfers() -> int:
    return Transfer.objects.filter(code=TransferCode.DEPOSIT).count()


# --- the sandbox -------------------------------------------------------------------------------------------


def test_sandbox_deposit_credits_the_wallet_once(client: Client, user: User) -> None:
    response = _post_deposit(client, _bearer(user), {"amount": 2500, "currency": "USD", "gateway": "sandbox"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["received_amount"] == 2500
    assert body["completes_instantly"] is True
    assert body["instructions"]["kind"] == "none"
    assert re.fullmatch(r"HAAT-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", body["reference"])
    assert _balance(user) == 2500
    assert _deposit_transfers() == 1
    assert Transfer.objects.get().reference == f"deposit:{body['id']}"
    assert selectors.verify().ok

    # The success event the sandbox sent itself, delivered again, changes nothing.
    deposit = Deposit.objects.get(pk=body["id"])
    again = _webhook(client, _event(deposit), gateways.sign(_event(deposit)), gateway="sandbox")
    assert again.status_code == 200
    assert _balance(user) == 2500
    assert _deposit_transfers() == 1


def test_sandbox_goes_through_the_signed_webhook_path(user: User, settings: Any) -> None:
    settings.HAAT_WEBHOOK_SECRET = ""  # no secret: no signature can verify, so the sandbox cannot credit
    with pytest.raises(gateways.SignatureError):
        deposits.start_deposit(user=user, amount=100, currency="USD", gateway="sandbox")
    assert Deposit.objects.count() == 0
    assert Transfer.objects.count() == 0


# --- webhooks ------------------------------------------------------------------------------------------------


def test_same_webhook_delivered_ten_times_credits_once(client: Client, user: User) -> None:
    deposit = _manual(user, 7_500)
    body = _event(deposit)
    signature = gateways.sign(body)
    responses = [_webhook(client, body, signature) for _i in range(10)]
    assert [r.status_code for r in responses] == [200] * 10
    assert {r.json()["status"] for r in responses} == {"succeeded"}
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.SUCCEEDED
    assert deposit.received_amount == 7_500
    assert deposit.gateway_reference == "bank-42"
    assert _balance(user) == 7_500
    assert _deposit_transfers() == 1
    assert selectors.verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_credit_once(user: User) -> None:
    """Deliveries racing each other (several web workers) are serialized by the deposit's row lock."""
    deposit = _manual(user, 4_200)
    body = _event(deposit)
    signature = gateways.sign(body)
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[object] = []

    def deliver() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(deposits.receive_webhook(gateway="manual", body=body, signature=signature).status)
        except Exception as exc:  # reported through the assertion below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [DepositStatus.SUCCEEDED] * workers
    assert _balance(user) == 4_200
    assert _deposit_transfers() == 1
    assert selectors.verify().ok


def test_webhook_needs_no_csrf_token(user: User) -> None:
    deposit = _manual(user)
    body = _event(deposit)
    response = _webhook(Client(enforce_csrf_checks=True), body, gateways.sign(body))
    assert response.status_code == 200
    assert _balance(user) == deposit.amount


def _wrong_secret(body: bytes) -> str:
    t = int(time.time())
    mac = hmac.new(b"not-the-secret", f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("unsigned", 400),
        ("empty", 400),
        ("garbage", 400),
        ("no-v1", 400),
        ("wrong-secret", 401),
        ("wrong-mac", 401),
        ("stale", 401),
        ("future", 401),
        ("tampered-body", 401),
        ("signature-of-another-body", 401),
    ],
)
def test_bad_signatures_change_nothing(client: Client, user: User, case: str, status: int) -> None:
    deposit = _manual(user, 10_000)
    body = _event(deposit)
    now = int(time.time())
    send = body
    signature: str | None
    if case == "unsigned":
        signature = None
    elif case == "empty":
        signature = ""
    elif case == "garbage":
        signature = "this is not a signature"
    elif case == "no-v1":
        signature = f"t={now}"
    elif case == "wrong-secret":
        signature = _wrong_secret(body)
    elif case == "wrong-mac":
        signature = f"t={now},v1={'0' * 64}"
    elif case == "stale":
        signature = gateways.sign(body, timestamp=now - gateways.REPLAY_WINDOW_SECONDS - 5)
    elif case == "future":
        signature = gateways.sign(body, timestamp=now + gateways.REPLAY_WINDOW_SECONDS + 60)
    elif case == "tampered-body":
        signature = gateways.sign(body)
        send = _event(deposit, amount=10_000_000)
    else:  # a valid signature for one body, sent with another deposit's event
        other = _manual(user, 5)
        signature = gateways.sign(_event(other))
    before = _money_state(user)
    response = _webhook(client, send, signature)
    body_json = _problem(response, status)
    if status == 401:
        assert response["WWW-Authenticate"]
    assert "signature" in body_json["detail"].lower() or gateways.SIGNATURE_HEADER in body_json["detail"]
    assert _money_state(user) == before
    assert _balance(user) == 0
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.PENDING
    assert selectors.verify().ok


def test_signature_accepts_any_matching_v1_and_rejects_duplicates_of_t() -> None:
    body = b'{"x":1}'
    good = gateways.sign(body)
    t, v1 = good.split(",")
    gateways.verify_signature(body, f"{t},v1={'a' * 64},{v1}")  # e.g. during a secret rotation
    with pytest.raises(gateways.SignatureError) as bad:
        gateways.verify_signature(body, f"{t},{t},{v1}")
    assert bad.value.status == 400
    # The window is enforced on both sides, relative to the given clock.
    stamp = int(t.removeprefix("t="))
    gateways.verify_signature(body, good, now=stamp + gateways.REPLAY_WINDOW_SECONDS)
    with pytest.raises(gateways.SignatureError):
        gateways.verify_signature(body, good, now=stamp + gateways.REPLAY_WINDOW_SECONDS + 1)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"deposit": "HAAT-2222-2222", "status": "succeeded", "amount": 1, "currency": "USD"}', 404),
        (b'{"status": "succeeded", "amount": 1, "currency": "USD"}', 400),
        (b'{"deposit": "REF", "status": "expired"}', 400),
        (b'{"deposit": "REF", "status": "succeeded", "amount": "100", "currency": "USD"}', 400),
        (b'{"deposit": "REF", "status": "succeeded", "amount": 1.5, "currency": "USD"}', 400),
        (b'{"deposit": "REF", "status": "succeeded", "currency": "USD"}', 400),
        (b'{"deposit": "REF", "status": "succeeded", "amount": 100}', 400),
        (b'{"deposit": "REF", "status": "succeeded", "amount": 0, "currency": "USD"}', 422),
        (b'{"deposit": "REF", "status": "succeeded", "amount": -5, "currency": "USD"}', 422),
        (b'{"deposit": "REF", "status": "succeeded", "amount": 9223372036854775808, "currency": "USD"}', 422),
        (b'{"deposit": "REF", "status": "succeeded", "amount": 100, "currency": "EUR"}', 422),
    ],
)
def test_bad_webhook_events_change_nothing(client: Client, user: User, body: bytes, status: int) -> None:
    deposit = _manual(user)
    body = body.replace(b"REF", deposit.reference.encode())
    before = _money_state(user)
    _problem(_webhook(client, body, gateways.sign(body)), status)
    assert _money_state(user) == before
    assert selectors.verify().ok


def test_webhook_for_unknown_or_disabled_gateway_is_404(client: Client, user: User, settings: Any) -> None:
    deposit = _manual(user)
    body = _event(deposit)
    _problem(_webhook(client, body, gateways.sign(body), gateway="paypal"), 404)
    # A manual deposit's event sent to the sandbox's endpoint does not find it.
    _problem(_webhook(client, body, gateways.sign(body), gateway="sandbox"), 404)
    settings.HAAT_GATEWAYS = ["sandbox"]
    _problem(_webhook(client, body, gateways.sign(body)), 404)
    assert _balance(user) == 0
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.PENDING


def test_a_second_success_with_another_amount_is_refused(client: Client, user: User) -> None:
    deposit = _manual(user, 1_000)
    first = _event(deposit)
    assert _webhook(client, first, gateways.sign(first)).status_code == 200
    second = _event(deposit, amount=2_000)
    body = _problem(_webhook(client, second, gateways.sign(second)), 409)
    assert deposit.reference in body["detail"]
    failure = _event(deposit, "failed")
    _problem(_webhook(client, failure, gateways.sign(failure)), 409)
    assert _balance(user) == 1_000
    assert _deposit_transfers() == 1


# --- failed and expired ----------------------------------------------------------------------------------------


def test_failed_deposit_credits_nothing_and_cannot_later_succeed(
    client: Client, user: User, finance: User
) -> None:
    deposit = _manual(user)
    failure = _event(deposit, "failed")
    for _i in range(2):  # a re-delivered failure is harmless
        response = _webhook(client, failure, gateways.sign(failure))
        assert response.status_code == 200
        assert response.json()["status"] == "failed"
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.FAILED
    assert deposit.failure_reason == "The bank returned the transfer."
    success = _event(deposit)
    _problem(_webhook(client, success, gateways.sign(success)), 409)
    with pytest.raises(deposits.IllegalTransition):
        deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=deposit.amount)
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.FAILED
    assert _balance(user) == 0
    assert Transfer.objects.count() == 0
    assert selectors.verify().ok


def test_expired_deposit_credits_nothing_and_cannot_later_succeed(
    client: Client, user: User, finance: User
) -> None:
    old = _manual(user, 300)
    fresh = _manual(user, 400)
    Deposit.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert expire_deposits.call() == 1
    assert expire_deposits.call() == 0  # idempotent
    old.refresh_from_db()
    assert old.status == DepositStatus.EXPIRED
    assert old.completed_at is not None
    assert Deposit.objects.get(pk=fresh.pk).status == DepositStatus.PENDING

    success = _event(old)
    _problem(_webhook(client, success, gateways.sign(success)), 409)
    with pytest.raises(deposits.IllegalTransition):
        deposits.confirm_manual_deposit(staff=finance, deposit_id=old.pk, received_amount=300)
    assert Deposit.objects.get(pk=old.pk).status == DepositStatus.EXPIRED
    assert _balance(user) == 0
    assert Transfer.objects.count() == 0


def test_expiry_leaves_finished_deposits_alone(user: User) -> None:
    done = deposits.start_deposit(user=user, amount=100, currency="USD", gateway="sandbox").deposit
    later = timezone.now() + dt.timedelta(hours=100)
    assert deposits.expire_pending_deposits(now=later) == 0
    assert Deposit.objects.get(pk=done.pk).status == DepositStatus.SUCCEEDED
    assert _balance(user) == 100


def test_a_waiting_deposit_schedules_its_expiry(user: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        deposit = _manual(user)
    scheduled = DBTaskResult.objects.get()
    assert scheduled.task_path == "haat.payments.tasks.expire_deposits"
    assert scheduled.run_after == deposit.expires_at
    with django_capture_on_commit_callbacks(execute=True):
        deposits.start_deposit(user=user, amount=5, currency="USD", gateway="sandbox")
    assert DBTaskResult.objects.count() == 1  # a completed deposit needs no expiry


def test_state_table_allows_only_pending_to_move() -> None:
    assert deposits.TRANSITIONS[DepositStatus.PENDING] == {
        DepositStatus.SUCCEEDED,
        DepositStatus.FAILED,
        DepositStatus.EXPIRED,
    }
    for final in (DepositStatus.SUCCEEDED, DepositStatus.FAILED, DepositStatus.EXPIRED):
        assert deposits.TRANSITIONS[final] == frozenset()


# --- finance staff -----------------------------------------------------------------------------------------------


def test_finance_confirms_the_received_amount(user: User, finance: User) -> None:
    deposit = _manual(user, 10_000)
    confirmed = deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=9_650)
    assert confirmed.status == DepositStatus.SUCCEEDED
    assert confirmed.received_amount == 9_650
    assert confirmed.confirmed_by == finance
    assert _balance(user) == 9_650
    assert Transfer.objects.get().amount == 9_650
    # Confirming again with the same amount is a no-op; with another amount it is refused.
    deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=9_650)
    with pytest.raises(deposits.IllegalTransition):
        deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=10_000)
    assert _balance(user) == 9_650
    assert _deposit_transfers() == 1
    assert selectors.verify().ok


def test_superuser_may_confirm(user: User) -> None:
    boss = make_user("boss@example.com", is_superuser=True, is_staff=True)
    deposit = _manual(user, 500)
    deposits.confirm_manual_deposit(staff=boss, deposit_id=deposit.pk, received_amount=500)
    assert _balance(user) == 500


@pytest.mark.parametrize("who", ["payer", "stranger", "staff-without-permission"])
def test_only_finance_may_confirm_or_fail(user: User, who: str) -> None:
    deposit = _manual(user, 500)
    actor = {
        "payer": user,
        "stranger": make_user("x@example.com"),
        "staff-without-permission": make_user("mod@example.com", is_staff=True),
    }[who]
    before = _money_state(user)
    with pytest.raises(PermissionDenied):
        deposits.confirm_manual_deposit(staff=actor, deposit_id=deposit.pk, received_amount=500)
    with pytest.raises(PermissionDenied):
        deposits.fail_manual_deposit(staff=actor, deposit_id=deposit.pk, reason="no")
    assert _money_state(user) == before


def test_finance_cannot_confirm_their_own_deposit(finance: User) -> None:
    deposit = _manual(finance, 500)
    with pytest.raises(PermissionDenied):
        deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=500)
    assert _balance(finance) == 0


@pytest.mark.parametrize("amount", [0, -1, MAX + 1, True, 1.5, "100"])
def test_confirm_rejects_bad_amounts(user: User, finance: User, amount: Any) -> None:
    deposit = _manual(user)
    with pytest.raises(ValidationError) as error:
        deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=amount)
    assert "received_amount" in error.value.message_dict
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.PENDING
    assert _balance(user) == 0


def test_sandbox_deposits_are_not_for_finance(user: User, finance: User) -> None:
    deposit = deposits.start_deposit(user=user, amount=100, currency="USD", gateway="sandbox").deposit
    with pytest.raises(Deposit.DoesNotExist):
        deposits.confirm_manual_deposit(staff=finance, deposit_id=deposit.pk, received_amount=100)


# --- the API -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 0, "currency": "USD", "gateway": "manual"}, "amount"),
        ({"amount": -100, "currency": "USD", "gateway": "manual"}, "amount"),
        ({"amount": 1.5, "currency": "USD", "gateway": "manual"}, "amount"),
        ({"amount": "100", "currency": "USD", "gateway": "manual"}, "amount"),
        ({"amount": True, "currency": "USD", "gateway": "manual"}, "amount"),
        ({"amount": 2**63, "currency": "USD", "gateway": "manual"}, "amount"),
        ({"amount": None, "currency": "USD", "gateway": "manual"}, "amount"),
        ({"currency": "USD", "gateway": "manual"}, "amount"),
        ({"amount": 100, "currency": "XYZ", "gateway": "manual"}, "currency"),
        ({"amount": 100, "currency": "usd", "gateway": "manual"}, "currency"),
        ({"amount": 100, "currency": "DOLLARS", "gateway": "manual"}, "currency"),
        ({"amount": 100, "currency": "USD", "gateway": "paypal"}, "gateway"),
        ({"amount": 100, "currency": "USD", "gateway": ""}, "gateway"),
    ],
)
def test_bad_deposit_input_is_a_clear_problem(client: Client, user: User, body: Any, field: str) -> None:
    problem = _problem(_post_deposit(client, _bearer(user), body), 422)
    assert problem["errors"][0]["field"] == field
    assert field in problem["detail"]
    assert Deposit.objects.count() == 0
    assert Transfer.objects.count() == 0


def test_disabled_gateway_is_refused(client: Client, user: User, settings: Any) -> None:
    settings.HAAT_GATEWAYS = ["manual"]  # production: no sandbox
    problem = _problem(
        _post_deposit(client, _bearer(user), {"amount": 100, "currency": "USD", "gateway": "sandbox"}), 422
    )
    assert problem["errors"] == [{"field": "gateway", "message": problem["errors"][0]["message"]}]
    assert "manual" in problem["detail"]
    assert Deposit.objects.count() == 0
    assert _balance(user) == 0


def test_largest_amount_is_accepted(client: Client, user: User) -> None:
    response = _post_deposit(client, _bearer(user), {"amount": MAX, "currency": "BDT", "gateway": "sandbox"})
    assert response.status_code == 201, response.content
    assert _balance(user, "BDT") == MAX
    # One more minor unit would overflow the wallet: refused as a problem, nothing changes.
    again = _post_deposit(
        client, _bearer(user), {"amount": 1, "currency": "BDT", "gateway": "sandbox"}, key="k-2"
    )
    _problem(again, 422)
    assert _balance(user, "BDT") == MAX
    assert Deposit.objects.count() == 1
    assert selectors.verify().ok


def test_deposit_needs_an_idempotency_key(client: Client, user: User) -> None:
    body = {"amount": 100, "currency": "USD", "gateway": "sandbox"}
    problem = _problem(_post_deposit(client, _bearer(user), body, key=None), 400)
    assert "Idempotency-Key" in problem["detail"]
    assert Deposit.objects.count() == 0
    assert _balance(user) == 0


def test_same_key_same_body_is_one_deposit(client: Client, user: User) -> None:
    headers = _bearer(user)
    body = {"amount": 1234, "currency": "USD", "gateway": "sandbox"}
    first = _post_deposit(client, headers, body, key="same")
    second = _post_deposit(client, headers, body, key="same")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Deposit.objects.count() == 1
    assert _balance(user) == 1234
    assert _deposit_transfers() == 1


def test_same_key_different_body_is_422(client: Client, user: User) -> None:
    headers = _bearer(user)
    first = _post_deposit(client, headers, {"amount": 100, "currency": "USD", "gateway": "manual"}, key="k")
    assert first.status_code == 201
    _problem(
        _post_deposit(client, headers, {"amount": 999, "currency": "USD", "gateway": "manual"}, key="k"), 422
    )
    assert list(Deposit.objects.values_list("amount", flat=True)) == [100]


def test_manual_deposit_via_api_returns_bank_instructions(client: Client, user: User) -> None:
    response = _post_deposit(
        client, _bearer(user), {"amount": 50_000, "currency": "BDT", "gateway": "manual"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["received_amount"] is None
    assert body["gateway_name"] == "Bank transfer"
    assert body["instructions"]["kind"] == "bank_transfer"
    assert body["instructions"]["reference"] == body["reference"]
    assert body["reference"] in body["instructions"]["message"]
    assert body["instructions"]["bank_details"]
    expires = dt.datetime.fromisoformat(body["expires_at"])
    created = dt.datetime.fromisoformat(body["created_at"])
    assert dt.timedelta(hours=71) < expires - created <= dt.timedelta(hours=72)
    assert _balance(user, "BDT") == 0


def test_deposit_api_needs_authentication(client: Client) -> None:
    _problem(client.get("/api/v1/deposits"), 401)
    _problem(_post_deposit(client, {}, {"amount": 100, "currency": "USD", "gateway": "sandbox"}), 401)
    assert Deposit.objects.count() == 0


def test_list_and_get_show_only_own_deposits(client: Client, user: User, other_user: User) -> None:
    mine = [_manual(user, 100 + i) for i in range(3)]
    theirs = _manual(other_user, 999)
    headers = _bearer(user)
    page = client.get("/api/v1/deposits?limit=2", **headers).json()
    assert page["count"] == 3
    assert [d["id"] for d in page["items"]] == [mine[2].pk, mine[1].pk]
    rest = client.get("/api/v1/deposits?limit=2&offset=2", **headers).json()
    assert [d["id"] for d in rest["items"]] == [mine[0].pk]

    own = client.get(f"/api/v1/deposits/{mine[0].pk}", **headers)
    assert own.status_code == 200
    assert own.json()["reference"] == mine[0].reference
    not_mine = _problem(client.get(f"/api/v1/deposits/{theirs.pk}", **headers), 404)
    missing = _problem(client.get("/api/v1/deposits/987654321", **headers), 404)
    assert not_mine["detail"] == missing["detail"]  # ids cannot be probed
    _problem(client.get(f"/api/v1/deposits/{2**70}", **headers), 404)


# --- pages ------------------------------------------------------------------------------------------------------


def _token(client: Client) -> str:
    page = client.get("/wallet/deposits/new/")
    assert page.status_code == 200
    match = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert match
    return match.group(1)


def test_add_money_page_with_sandbox(logged_in: Client, user: User) -> None:
    token = _token(logged_in)
    data = {"amount": "12.34", "currency": "USD", "gateway": "sandbox", "form_token": token}
    response = logged_in.post("/wallet/deposits/new/", data)
    assert response.status_code == 302
    deposit = Deposit.objects.get()
    assert response["Location"] == f"/wallet/deposits/{deposit.pk}/"
    assert deposit.amount == 1234
    assert _balance(user) == 1234
    # The same form submitted again (a double click, a reload) opens no second deposit.
    again = logged_in.post("/wallet/deposits/new/", data)
    assert again.status_code == 302
    assert again["Location"] == response["Location"]
    assert Deposit.objects.count() == 1
    assert _balance(user) == 1234
    page = logged_in.get(response["Location"])
    assert "$12.34" in page.content.decode()
    assert "Succeeded" in page.content.decode()


@pytest.mark.parametrize(
    ("amount", "currency", "gateway", "field"),
    [
        ("0", "USD", "sandbox", "amount"),
        ("-5", "USD", "sandbox", "amount"),
        ("1.234", "USD", "sandbox", "amount"),
        ("abc", "USD", "sandbox", "amount"),
        ("NaN", "USD", "sandbox", "amount"),
        ("1e30", "USD", "sandbox", "amount"),
        ("92233720368547758.08", "USD", "sandbox", "amount"),
        ("10", "XYZ", "sandbox", "currency"),
        ("10", "USD", "paypal", "gateway"),
    ],
)
def test_add_money_page_rejects_bad_input(
    logged_in: Client, user: User, amount: str, currency: str, gateway: str, field: str
) -> None:
    data = {"amount": amount, "currency": currency, "gateway": gateway, "form_token": _token(logged_in)}
    response = logged_in.post("/wallet/deposits/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Deposit.objects.count() == 0
    assert _balance(user) == 0


def test_largest_amount_through_the_page(logged_in: Client, user: User) -> None:
    data = {"amount": "92233720368547758.07", "currency": "USD", "gateway": "manual", "form_token": "t" * 20}
    assert logged_in.post("/wallet/deposits/new/", data).status_code == 302
    assert Deposit.objects.get().amount == MAX


def test_manual_deposit_page_shows_reference_and_bank_details(logged_in: Client, user: User) -> None:
    data = {"amount": "500", "currency": "BDT", "gateway": "manual", "form_token": _token(logged_in)}
    response = logged_in.post("/wallet/deposits/new/", data, follow=True)
    deposit = Deposit.objects.get()
    assert deposit.amount == 50_000
    html = response.content.decode()
    assert deposit.reference in html
    assert "bank account details" in html
    assert "Pending" in html
    assert _balance(user, "BDT") == 0
    listing = logged_in.get("/wallet/deposits/").content.decode()
    assert deposit.reference in listing


def test_someone_elses_deposit_page_is_404(logged_in: Client, other_user: User) -> None:
    theirs = _manual(other_user)
    assert logged_in.get(f"/wallet/deposits/{theirs.pk}/").status_code == 404


def test_finance_queue_confirms_with_a_different_amount(client: Client, user: User, finance: User) -> None:
    deposit = _manual(user, 10_000)
    client.force_login(finance)
    page = client.get("/wallet/deposits/bank-transfers/")
    assert page.status_code == 200
    assert deposit.reference in page.content.decode()
    prefix = f"confirm-{deposit.pk}"
    url = f"/wallet/deposits/{deposit.pk}/confirm/"

    # A different amount needs the explicit tick.
    refused = client.post(url, {f"{prefix}-received": "98.50"})
    assert refused.status_code == 400
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.PENDING
    assert _balance(user) == 0

    done = client.post(url, {f"{prefix}-received": "98.50", f"{prefix}-accept_difference": "on"})
    assert done.status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.SUCCEEDED
    assert deposit.received_amount == 9_850
    assert deposit.confirmed_by == finance
    assert _balance(user) == 9_850
    assert client.get("/wallet/deposits/bank-transfers/").context["rows"] == []
    # Posting the form again finds nothing waiting and credits nothing.
    assert (
        client.post(url, {f"{prefix}-received": "98.50", f"{prefix}-accept_difference": "on"}).status_code
        == 404
    )
    assert _balance(user) == 9_850
    assert _deposit_transfers() == 1


def test_finance_queue_marks_failed(client: Client, user: User, finance: User) -> None:
    deposit = _manual(user, 10_000)
    client.force_login(finance)
    url = f"/wallet/deposits/{deposit.pk}/fail/"
    assert client.post(url, {f"fail-{deposit.pk}-reason": ""}).status_code == 400
    assert client.post(url, {f"fail-{deposit.pk}-reason": "Nothing arrived."}).status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.FAILED
    assert deposit.failure_reason == "Nothing arrived."
    assert _balance(user) == 0


def test_non_finance_cannot_use_the_queue(logged_in: Client, user: User, other_user: User) -> None:
    deposit = _manual(other_user, 10_000)
    assert logged_in.get("/wallet/deposits/bank-transfers/").status_code == 403
    response = logged_in.post(
        f"/wallet/deposits/{deposit.pk}/confirm/", {f"confirm-{deposit.pk}-received": "100.00"}
    )
    assert response.status_code == 403
    assert (
        logged_in.post(f"/wallet/deposits/{deposit.pk}/fail/", {f"fail-{deposit.pk}-reason": "x"}).status_code
        == 403
    )
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.PENDING
    assert _balance(other_user) == 0


def test_pages_need_login(client: Client) -> None:
    for url in ("/wallet/deposits/", "/wallet/deposits/new/", "/wallet/deposits/bank-transfers/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
