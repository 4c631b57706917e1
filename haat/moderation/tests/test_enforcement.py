"""A suspended user cannot post a job, bid, send a message or review — in the services, the pages and the API —
but still reads their contracts and messages and withdraws cleared earnings, unless suspended for fraud."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.models import Bid
from haat.bids.tests.test_bids import PROPOSAL, bid_on, make_job
from haat.conftest import make_staff
from haat.contracts.models import Contract, ContractStatus
from haat.jobs import services as job_services
from haat.jobs.models import Job, JobStatus
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.ledger import services as ledger_services
from haat.messaging import services as messaging_services
from haat.messaging.models import Message
from haat.moderation import services
from haat.moderation.models import Suspension
from haat.moderation.tests.conftest import contract_between, english, post_json, problem
from haat.payments import withdrawals
from haat.payments.models import Withdrawal
from haat.reputation import services as reputation_services
from haat.staff.models import AuditEntry
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db

REASON = "Sent insults to three buyers."
PAYOUTS = {"paypal": {"fee_bps": 200, "fixed_fee": {"*": 0}, "minimum": {"USD": 1000, "*": 1000}}}


@pytest.fixture(autouse=True)
def _payouts(settings: Any) -> None:
    settings.HAAT_PAYOUTS = PAYOUTS


def _suspend(moderator: User, user: User, *, is_fraud: bool = False) -> Suspension:
    return services.suspend(
        moderator=moderator,
        user_id=user.pk,
        rule="no-fraud" if is_fraud else "respect",
        reason=REASON,
        is_fraud=is_fraud,
    )


def _earn(contract: Contract, amount: int = 18_000) -> None:
    """The freelancer's earnings from ``contract``: funded, released and cleared (as after the clearance days)."""
    operations.credit_deposit(
        deposit_id=contract.pk, user=contract.buyer, gateway="sandbox", amount=30_000, currency="USD"
    )
    operations.fund_escrow(
        key=f"f{contract.pk}",
        buyer=contract.buyer,
        escrow_reference=contract.escrow_reference,
        price=20_000,
        buyer_fee=600,
        currency="USD",
    )
    operations.release_escrow(
        key=f"r{contract.pk}",
        escrow_reference=contract.escrow_reference,
        freelancer=contract.freelancer,
        amount=20_000,
        freelancer_fee=2_000,
        currency="USD",
    )
    assert operations.clear_earnings(older_than=dt.timedelta(0)) == 1


def _available(user: User) -> int:
    return ledger_selectors.balance(ledger_services.wallet(user, "USD")).available


def _refused(action: Any) -> str:
    with pytest.raises(PermissionDenied) as refused:
        action()
    message = str(refused.value)
    assert REASON in message and "Be respectful" in message
    return message


def test_a_suspended_user_cannot_post_bid_message_or_review(
    moderator: User, buyer: User, worker: User
) -> None:
    draft = make_job(buyer, status=JobStatus.DRAFT, published_at=None)
    open_job = make_job(buyer)
    bid = bid_on(open_job, worker)
    thread, _c = messaging_services.start_interview(user=worker, job_id=open_job.pk)
    sent = messaging_services.post_message(user=worker, thread_id=thread.pk, body="Before the suspension.")
    contract = contract_between(buyer, worker)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.COMPLETED, ended_at=timezone.now())
    _suspend(moderator, buyer)
    _suspend(moderator, worker)

    fields = {"title": "x"}
    _refused(lambda: job_services.create_job(buyer=buyer, fields={}, publish=True))
    _refused(lambda: job_services.update_job(user=buyer, job_id=open_job.pk, changes=fields))
    _refused(lambda: job_services.publish_job(user=buyer, job_id=draft.pk))
    _refused(
        lambda: bid_services.place_bid(
            freelancer=worker, job_id=make_job(buyer).pk, amount=20_000, delivery_days=5, proposal=PROPOSAL
        )
    )
    _refused(lambda: bid_services.edit_bid(freelancer=worker, bid_id=bid.pk, amount=25_000))
    _refused(lambda: messaging_services.post_message(user=worker, thread_id=thread.pk, body="Hello again"))
    _refused(lambda: messaging_services.edit_message(user=worker, message_id=sent.pk, body="Changed"))
    _refused(
        lambda: reputation_services.leave_review(
            user=buyer, contract_id=contract.pk, quality=5, communication=5, deadlines=5
        )
    )
    # Nothing changed.
    draft.refresh_from_db()
    bid.refresh_from_db()
    assert draft.status == JobStatus.DRAFT and bid.amount == 20_000
    assert list(Message.objects.values_list("body", flat=True)) == ["Before the suspension."]
    # Withdrawing a bid (stepping back) is still allowed.
    assert bid_services.withdraw_bid(freelancer=worker, bid_id=bid.pk).status == "withdrawn"


def test_the_pages_refuse_with_the_reason_and_still_show_contracts_and_messages(
    moderator: User, buyer: User, worker: User
) -> None:
    contract = contract_between(buyer, worker)
    thread = contract.threads.get()
    open_job = make_job(buyer)
    _suspend(moderator, worker)
    client = english(Client(), worker)

    # Reading still works, with the banner saying why and where to appeal.
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your account is suspended." in html and REASON in html and "Be respectful" in html
    assert reverse("moderation:mine") in html
    assert client.get(reverse("messaging:thread", args=[thread.pk])).status_code == 200

    # Writing answers 403 with the reason and the rule.
    reply = client.post(reverse("messaging:thread", args=[thread.pk]), {"body": "Hello"})
    assert reply.status_code == 403 and REASON in reply.content.decode()
    bid = client.post(
        reverse("bids:bid-new", args=[open_job.pk]),
        {"amount": "200", "delivery_days": "5", "proposal": PROPOSAL},
    )
    assert bid.status_code == 403 and "Be respectful" in bid.content.decode()
    assert not Bid.objects.filter(job=open_job).exists() and thread.messages.count() == 0

    english(client, buyer)
    assert "Your account is suspended." not in client.get(reverse("web:dashboard")).content.decode()
    english(client, worker)
    job_data = {
        "title": "Translate a website into Bengali",
        "description": "About 40 pages.",
        "category": "translation",
        "budget_min": "200",
        "budget_max": "350",
        "currency": "USD",
        "bidding_closes_at": (timezone.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "deadline": (timezone.now() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": "public",
        "publish": "1",
    }
    posted = client.post(reverse("jobs:job-new"), job_data)
    assert posted.status_code == 403 and REASON in posted.content.decode()
    assert not Job.objects.filter(buyer=worker).exists()


def test_the_api_refuses_with_a_403_problem(moderator: User, buyer: User, worker: User) -> None:
    draft = make_job(buyer, status=JobStatus.DRAFT, published_at=None)
    open_job = make_job(buyer)
    contract = contract_between(buyer, worker)
    thread = contract.threads.get()
    _suspend(moderator, buyer)
    _suspend(moderator, worker)
    client = Client()
    body = problem(post_json(client, f"/api/v1/jobs/{draft.pk}/publish", {}, buyer), 403)
    assert REASON in body["detail"] and "Be respectful" in body["detail"]
    body = problem(
        post_json(
            client,
            f"/api/v1/jobs/{open_job.pk}/bids",
            {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL},
            worker,
        ),
        403,
    )
    assert REASON in body["detail"]
    body = problem(post_json(client, f"/api/v1/threads/{thread.pk}/messages", {"body": "Hi"}, worker), 403)
    assert REASON in body["detail"]
    # Reading is fine.
    assert client.get(f"/api/v1/threads/{thread.pk}/messages", **_bearer(worker)).status_code == 200


def _bearer(user: User) -> dict[str, str]:
    from haat.moderation.tests.conftest import bearer

    return bearer(user)


def test_a_suspended_freelancer_still_withdraws_cleared_earnings(
    moderator: User, buyer: User, worker: User
) -> None:
    contract = contract_between(buyer, worker)
    _earn(contract)
    assert _available(worker) == 18_000
    method = withdrawals.add_payout_method(user=worker, kind="paypal", email="rahim@example.com")
    _suspend(moderator, worker)
    withdrawal = withdrawals.request_withdrawal(
        user=worker, payout_method_id=method.pk, amount=10_000, currency="USD"
    )
    assert (withdrawal.amount, withdrawal.fee) == (10_000, 200)
    assert _available(worker) == 18_000 - 10_200
    # And through the API (money-moving calls need an Idempotency-Key).
    response = post_json(
        Client(),
        "/api/v1/withdrawals",
        {"payout_method_id": method.pk, "amount": 5_000, "currency": "USD"},
        worker,
        HTTP_IDEMPOTENCY_KEY="suspended-1",
    )
    assert response.status_code == 201, response.content
    assert Withdrawal.objects.filter(user=worker).count() == 2


def test_a_fraud_suspension_stops_withdrawals_until_finance_reviews(
    moderator: User, buyer: User, worker: User, django_capture_on_commit_callbacks: Any
) -> None:
    contract = contract_between(buyer, worker)
    _earn(contract)
    method = withdrawals.add_payout_method(user=worker, kind="paypal", email="rahim@example.com")
    suspension = _suspend(moderator, worker, is_fraud=True)
    with pytest.raises(PermissionDenied) as refused:
        withdrawals.request_withdrawal(user=worker, payout_method_id=method.pk, amount=10_000, currency="USD")
    assert "finance team" in str(refused.value)
    body = problem(
        post_json(
            Client(),
            "/api/v1/withdrawals",
            {"payout_method_id": method.pk, "amount": 5_000, "currency": "USD"},
            worker,
            HTTP_IDEMPOTENCY_KEY="fraud-1",
        ),
        403,
    )
    assert "finance team" in body["detail"]
    assert not Withdrawal.objects.exists() and _available(worker) == 18_000
    # The banner says so too.
    page = english(Client(), worker).get(reverse("payments:wallet"))
    assert "Withdrawals wait until our finance team has reviewed your account." in page.content.decode()
    # Moderators cannot clear the hold: finance reviews the account (from its page), then the money can leave
    # although the suspension stays.
    with pytest.raises(PermissionDenied):
        services.finance_review(staff=moderator, suspension_id=suspension.pk, note="Looks fine.")
    finance = make_staff("finance@example.com", Role.FINANCE)
    client = english(Client(), finance)
    holds = client.get(reverse("moderation:fraud-holds")).content.decode()
    assert worker.email in holds and REASON in holds
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("moderation:finance-review", args=[suspension.pk]),
            {"note": "Card holder confirmed with the bank."},
        )
    assert worker.email not in client.get(reverse("moderation:fraud-holds")).content.decode()
    assert mail.outbox[-1].subject == "Withdrawals are open again" and mail.outbox[-1].to == [worker.email]
    (entry,) = AuditEntry.objects.filter(action="moderation.finance_review")
    assert (entry.actor, entry.reason) == (finance, "Card holder confirmed with the bank.")
    suspension.refresh_from_db()
    assert suspension.is_active
    withdrawal = withdrawals.request_withdrawal(
        user=worker, payout_method_id=method.pk, amount=10_000, currency="USD"
    )
    assert withdrawal.amount == 10_000
    with pytest.raises(services.ModerationStateError):
        services.finance_review(staff=finance, suspension_id=suspension.pk, note="Again.")
    # A moderator's page is not finance's page.
    assert english(Client(), moderator).get(reverse("moderation:fraud-holds")).status_code == 403
