"""The wallet page, its CSV statement and GET /api/v1/wallet."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.utils import translation

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.ledger import operations
from haat.web.money import format_money

pytestmark = pytest.mark.django_db


def _fund_and_spend(user: User, seller: User) -> None:
    operations.credit_deposit(deposit_id=1, user=user, gateway="sandbox", amount=100_000, currency="USD")
    operations.fund_escrow(
        key="c1", buyer=user, escrow_reference="contract:1", price=30_000, buyer_fee=900, currency="USD"
    )
    operations.release_escrow(
        key="c1m1",
        escrow_reference="contract:1",
        freelancer=seller,
        amount=10_000,
        freelancer_fee=1_000,
        currency="USD",
    )


def _bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def test_wallet_api_shows_every_balance(client: Client, user: User, other_user: User) -> None:
    _fund_and_spend(user, other_user)
    buyer = client.get("/api/v1/wallet", **_bearer(user)).json()["balances"]
    assert buyer == [
        {"currency": "USD", "available": 69_100, "held": 0, "pending_clearance": 0, "in_escrow": 20_000}
    ]
    seller = client.get("/api/v1/wallet", **_bearer(other_user)).json()["balances"]
    assert seller == [
        {"currency": "USD", "available": 0, "held": 0, "pending_clearance": 9_000, "in_escrow": 0}
    ]


def test_empty_wallet(client: Client, user: User) -> None:
    assert client.get("/api/v1/wallet", **_bearer(user)).json() == {"balances": []}
    assert client.get("/api/v1/wallet").status_code == 401


def test_statement_api_has_running_balance(client: Client, user: User, other_user: User) -> None:
    _fund_and_spend(user, other_user)
    body = client.get("/api/v1/wallet/statement", {"currency": "USD"}, **_bearer(user)).json()
    assert [(line["type"], line["amount"], line["balance_after"]) for line in body["items"]] == [
        ("deposit", 100_000, 100_000),
        ("escrow_funding", -30_000, 70_000),
        ("buyer_fee", -900, 69_100),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"currency": "XXX"},
        {"currency": "USD", "since": "2026-02-30"},
        {"currency": "USD", "since": "2026-05-02", "until": "2026-05-01"},
    ],
)
def test_statement_api_rejects_bad_filters(client: Client, user: User, params: dict[str, str]) -> None:
    response = client.get("/api/v1/wallet/statement", params, **_bearer(user))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_wallet_page_in_english_and_bengali(client: Client, user: User, other_user: User) -> None:
    _fund_and_spend(user, other_user)
    client.force_login(user)
    page = client.get("/wallet/").content.decode()
    assert "US$691.00" in page
    assert "US$200.00" in page  # in escrow
    assert "Escrow funding" in page
    client.post("/language/", {"language": "bn", "next": "/wallet/"})
    page = client.get("/wallet/").content.decode()
    assert "US$৬৯১.০০" in page


def test_statement_csv(client: Client, user: User, other_user: User) -> None:
    _fund_and_spend(user, other_user)
    client.force_login(user)
    response = client.get("/wallet/statement.csv", {"currency": "USD"})
    assert response["Content-Disposition"] == 'attachment; filename="haat-statement-USD.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "type", "reference", "amount", "currency", "balance"]
    assert [(r[1], r[3], r[5]) for r in rows[1:]] == [
        ("deposit", "1000.00", "1000.00"),
        ("escrow_funding", "-300.00", "700.00"),
        ("buyer_fee", "-9.00", "691.00"),
    ]


def test_statement_date_filter_and_bad_dates(client: Client, user: User, other_user: User) -> None:
    _fund_and_spend(user, other_user)
    client.force_login(user)
    empty = client.get(
        "/wallet/statement.csv", {"currency": "USD", "since": "2000-01-01", "until": "2000-01-31"}
    )
    assert len(list(csv.reader(io.StringIO(empty.content.decode())))) == 1
    bad = client.get("/wallet/", {"currency": "USD", "since": "2026-05-02", "until": "2026-05-01"})
    assert bad.status_code == 400
    assert "The start date must not be after the end date." in bad.content.decode()


def test_money_format() -> None:
    assert format_money(123_450, "USD", "en") == "US$1,234.50"
    assert format_money(123_450, "USD", "bn") == "US$১,২৩৪.৫০"
    assert format_money(1_234_567_800, "BDT", "bn") == "৳১,২৩,৪৫,৬৭৮.০০"
    with translation.override("bn"):
        assert format_money(5, "USD") == "US$০.০৫"


def test_wallet_needs_login(client: Client) -> None:
    assert client.get("/wallet/").status_code == 302
    assert client.get("/wallet/statement.csv").status_code == 302
    assert json.loads(client.get("/api/v1/wallet/statement", {"currency": "USD"}).content)["status"] == 401


def test_finance_links_only_for_finance(client: Client, user: User) -> None:
    client.force_login(user)
    page = client.get("/wallet/").content.decode()
    assert 'href="/staff/"' not in page
    assert "/wallet/withdrawals/new/" in page
    user.is_superuser = True
    user.save()
    page = client.get("/wallet/").content.decode()
    # One "Staff" link; the payout and bank-transfer queues are listed on the staff home.
    assert 'href="/staff/"' in page
    assert "/staff/payouts/" not in page
