"""The issue's "Done when" journey through ``/api/v1`` only, with bearer tokens: post → bid → award → accept →
fund → message → status report → deliver → request changes → deliver → accept → clearance → payout request →
paid, with the exact amounts checked at each money step and the ledger verified at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids.tests.test_bids import freelancer
from haat.conftest import make_user
from haat.contracts.models import Contract, ContractStatus, Delivery, MilestoneStatus
from haat.jobs.models import Category
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.ledger import services as ledger_services
from haat.payments import withdrawals
from haat.payments.fees import percent_of
from haat.payments.tests.test_withdrawals import make_finance

pytestmark = pytest.mark.django_db

PRICE = 20_000  # US$200.00: at or above HAAT_LARGE_CONTRACT_PRICE, so weekly status reports are required
DEPOSIT = 25_000


class Api:
    """A client that talks to /api/v1 as one user with a bearer token."""

    def __init__(self, client: Client, user: User) -> None:
        self.client = client
        self.user = user
        secret = account_services.create_api_token(user=user, name="journey").secret
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path: str, status: int = 200) -> Any:
        response = self.client.get(f"/api/v1{path}", **self.auth)
        assert response.status_code == status, response.content
        return response.json()

    def post(self, path: str, body: Any = None, status: int = 200, key: str | None = None) -> Any:
        extra = dict(self.auth)
        if key is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = key
        response = self.client.post(
            f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json", **extra
        )
        assert response.status_code == status, response.content
        return response.json()

    def upload(self, path: str, data: dict[str, Any], status: int = 201) -> Any:
        response = self.client.post(f"/api/v1{path}", data=data, **self.auth)
        assert response.status_code == status, response.content
        return response.json()


def _zip(name: str, text: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("shop/README.md", "# Sari shop\n")
        archive.writestr(f"shop/{name}", text)
    buffer.seek(0)
    buffer.name = "shop.zip"
    return buffer


def _balance(api: Api, currency: str = "USD") -> dict[str, int]:
    for line in api.get("/wallet")["balances"]:
        if line["currency"] == currency:
            return line
    return {"available": 0, "held": 0, "pending_clearance": 0, "in_escrow": 0}


def _revenue(currency: str = "USD") -> int:
    return ledger_selectors.balance(ledger_services.platform_revenue(currency)).available


def test_a_whole_project_through_the_api(client: Client, settings: Any) -> None:
    settings.HAAT_GATEWAYS = ["sandbox", "manual"]
    assert settings.HAAT_LARGE_CONTRACT_PRICE["USD"] <= PRICE
    buyer = Api(client, make_user("buyer@example.com"))
    worker = Api(client, freelancer("rahim@example.com", "Rahim"))
    finance = Api(client, make_finance())
    revenue_before = _revenue()

    # The buyer deposits with the sandbox gateway; a replay of the same key changes nothing.
    deposit = buyer.post(
        "/deposits", {"amount": DEPOSIT, "currency": "USD", "gateway": "sandbox"}, status=201, key="dep-1"
    )
    again = buyer.post(
        "/deposits", {"amount": DEPOSIT, "currency": "USD", "gateway": "sandbox"}, status=201, key="dep-1"
    )
    assert again["id"] == deposit["id"]
    assert _balance(buyer)["available"] == DEPOSIT

    # The buyer posts a job, open for bids at once.
    category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    assert category is not None
    now = timezone.now()
    job = buyer.post(
        "/jobs",
        {
            "title": "Build an online shop",
            "description": "A shop for handmade saris, with **bKash** payments.",
            "category": category.slug,
            "budget_min": 10_000,
            "budget_max": 50_000,
            "currency": "USD",
            "bidding_closes_at": (now + dt.timedelta(days=7)).isoformat(),
            "deadline": (now + dt.timedelta(days=30)).isoformat(),
            "publish": True,
        },
        status=201,
    )

    # The freelancer (complete profile) bids; the buyer awards; the freelancer accepts.
    bid = worker.post(
        f"/jobs/{job['id']}/bids",
        {
            "amount": PRICE,
            "delivery_days": 10,
            "proposal": "I have built three shops like this one in Django; I can start on Monday.",
        },
        status=201,
    )
    assert buyer.post(f"/bids/{bid['id']}/award")["status"] == "awarded"
    contract_id = worker.post(f"/bids/{bid['id']}/accept")["contract_id"]
    contract = buyer.get(f"/contracts/{contract_id}")
    assert (contract["price"], contract["currency"], contract["status"]) == (PRICE, "USD", "awaiting_funding")
    row = Contract.objects.get(pk=contract_id)
    buyer_fee = percent_of(PRICE, row.buyer_fee_bps)
    freelancer_fee = percent_of(PRICE, row.freelancer_fee_bps)
    assert (buyer_fee, freelancer_fee) == (600, 2_000)  # the default schedule: 3 % and 10 %

    # The buyer reads the fee breakdown first, then funds the one milestone.
    [milestone] = buyer.get(f"/contracts/{contract_id}/milestones")
    assert (milestone["amount"], milestone["status"]) == (PRICE, "awaiting_funding")
    quote = buyer.get(f"/milestones/{milestone['id']}/fund-quote")
    assert (quote["amount"], quote["buyer_fee"], quote["total"]) == (PRICE, buyer_fee, PRICE + buyer_fee)
    assert quote["available"] == DEPOSIT and quote["enough"] is True
    buyer.post(
        f"/milestones/{milestone['id']}/fund", status=400
    )  # no Idempotency-Key: refused, nothing moves
    assert _balance(buyer)["available"] == DEPOSIT
    funded = buyer.post(f"/milestones/{milestone['id']}/fund", key="fund-1")
    assert funded["status"] == "funded"
    assert _balance(buyer)["available"] == DEPOSIT - PRICE - buyer_fee  # charged price + buyer fee exactly
    assert _balance(buyer)["in_escrow"] == PRICE
    assert _revenue() - revenue_before == buyer_fee
    assert buyer.get(f"/contracts/{contract_id}")["status"] == "active"

    # Both talk on the contract's thread.
    threads = worker.get("/threads")["items"]
    [thread] = [t for t in threads if t["contract_id"] == contract_id]
    worker.post(
        f"/threads/{thread['id']}/messages", {"body": "Started: the catalogue comes first."}, status=201
    )
    buyer.post(f"/threads/{thread['id']}/messages", {"body": "Great, thank you!"}, status=201)
    bodies = [m["body"] for m in buyer.get(f"/threads/{thread['id']}/messages")["items"]]
    assert "Started: the catalogue comes first." in bodies and "Great, thank you!" in bodies

    # The contract is large: the freelancer files this week's status report.
    reports = worker.get(f"/contracts/{contract_id}/status-reports")
    assert reports["required"] is True
    report = worker.post(
        f"/contracts/{contract_id}/status-reports",
        {"done": "Catalogue pages.", "next_steps": "Checkout with bKash.", "percent_complete": 40},
        status=201,
    )
    assert report["on_time"] is True
    assert [r["id"] for r in buyer.get(f"/contracts/{contract_id}/status-reports")["reports"]] == [
        report["id"]
    ]

    # The freelancer delivers a zip; the buyer lists its files and asks for changes.
    first = worker.upload(
        f"/milestones/{milestone['id']}/deliveries", {"file": _zip("shop.py", "v1"), "note": "First version."}
    )
    assert first["version"] == 1
    files = {f["name"] for f in buyer.get(f"/deliveries/{first['id']}")["files"]}
    assert {"shop/README.md", "shop/shop.py"} <= files
    changed = buyer.post(
        f"/milestones/{milestone['id']}/request-changes", {"comment": "Please add a search box."}
    )
    assert changed["status"] == "changes_requested"

    # The freelancer delivers again; the buyer accepts and the escrow is released.
    second = worker.upload(
        f"/milestones/{milestone['id']}/deliveries", {"file": _zip("search.py", "v2"), "note": "With search."}
    )
    assert second["version"] == 2
    assert Delivery.objects.filter(milestone_id=milestone["id"]).count() == 2
    accepted = buyer.post(f"/milestones/{milestone['id']}/accept", {}, key="accept-1")
    assert accepted["status"] == MilestoneStatus.ACCEPTED
    assert accepted["released_amount"] == PRICE
    assert buyer.get(f"/contracts/{contract_id}")["status"] == ContractStatus.COMPLETED
    assert ledger_selectors.balance(ledger_services.escrow(row.escrow_reference, "USD")).available == 0
    assert _balance(buyer)["in_escrow"] == 0
    assert _balance(worker)["pending_clearance"] == PRICE - freelancer_fee  # credited price − fee exactly
    assert _balance(worker)["available"] == 0
    assert _revenue() - revenue_before == buyer_fee + freelancer_fee

    # Clearance moves the earnings to the wallet.
    assert operations.clear_earnings(older_than=dt.timedelta(0)) == 1
    earned = PRICE - freelancer_fee
    assert _balance(worker)["available"] == earned
    assert _balance(worker)["pending_clearance"] == 0

    # Adding a payout method through the API needs a browser session that re-authenticated recently (bearer
    # tokens cannot add one, by design), so this one step uses the service the page calls.
    method = withdrawals.add_payout_method(
        user=worker.user, kind="mobile_money", mobile_provider="bkash", mobile_number="01712345678"
    )
    assert [m["id"] for m in worker.get("/payout-methods")["items"]] == [method.pk]

    # The freelancer withdraws what fits with the fee on top.
    fee_bps = settings.HAAT_PAYOUTS["mobile_money"]["fee_bps"]
    amount = 17_000
    fee = percent_of(amount, fee_bps)
    assert amount + fee <= earned
    quoted = worker.get(f"/withdrawals/quote?payout_method_id={method.pk}&amount={amount}&currency=USD")
    assert (quoted["amount"], quoted["fee"], quoted["total"]) == (amount, fee, amount + fee)
    body = {"payout_method_id": method.pk, "amount": amount, "currency": "USD"}
    withdrawal = worker.post("/withdrawals", body, status=201, key="wd-1")
    assert worker.post("/withdrawals", body, status=201, key="wd-1")["id"] == withdrawal["id"]  # a replay
    assert (withdrawal["status"], withdrawal["total"]) == ("requested", amount + fee)
    assert _balance(worker)["available"] == earned - amount - fee
    assert _balance(worker)["held"] == amount + fee

    # Finance sees it in the queue and marks it paid.
    assert [w["id"] for w in finance.get("/payout-queue")["items"]] == [withdrawal["id"]]
    worker.post(f"/withdrawals/{withdrawal['id']}/mark-paid", {"reference": "BK-1"}, status=403, key="mp-0")
    paid = finance.post(f"/withdrawals/{withdrawal['id']}/mark-paid", {"reference": "BK-778899"}, key="mp-1")
    assert paid["status"] == "paid"
    assert worker.get(f"/withdrawals/{withdrawal['id']}")["payment_reference"] == "BK-778899"
    assert _balance(worker)["held"] == 0
    assert _balance(worker)["available"] == earned - amount - fee
    assert _balance(buyer)["available"] == DEPOSIT - PRICE - buyer_fee

    # The books balance.
    assert ledger_selectors.verify().ok
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "ok" in out.getvalue().lower()
