"""The world the permission matrix runs in: one of every object an endpoint can name, owned by known people.

People (the matrix's columns):

- ``buyer`` owns every job and contract below;
- ``other_buyer`` posted a job of their own and knows the ids of everything (ids are guessable);
- ``freelancer`` was awarded job 1 (contract ``contract``) and has a live bid on job 2;
- ``bidder`` bid on both jobs (lost job 1, live on job 2) but was not awarded anything;
- ``suspended`` the awarded freelancer again, after a moderator suspended them (``build(suspend_freelancer=True)``);
- ``arbiter``/``finance``/``moderator``/``admin`` staff with that one role and two-factor set up;
- ``staff_no2fa`` holds every staff role but has not set up two-factor authentication;
- ``staff_norole`` has Django's ``is_staff`` flag and two-factor authentication but no Haat role.

Objects: job 1 (awarded), job 2 (open, with an attachment and bids from the freelancer and the bidder), the
contract of job 1 with two funded milestones (the first delivered, the second with the freelancer's
cancellation request), its message thread with the freelancer's message and attachment, a vault entry, a
completed contract (job 3) with the buyer's review, the buyer's pending bank-transfer deposit, the
freelancer's payout method, requested withdrawal, portfolio item, API token and saved filter.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.accounts.session_models import UserSession
from haat.bids import services as bid_services
from haat.bids.models import Bid
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_staff, make_user
from haat.contracts import services as contract_services
from haat.contracts import vault
from haat.contracts.models import CancellationRequest, Contract, ContractStatus, Delivery, Milestone
from haat.disputes import services as dispute_services
from haat.jobs import search
from haat.jobs import services as job_services
from haat.jobs.models import Job, JobAttachment, JobStatus
from haat.ledger import operations
from haat.messaging import services as messaging_services
from haat.messaging.models import Message, MessageAttachment, Thread
from haat.moderation import services as moderation_services
from haat.payments import deposits, withdrawals
from haat.reputation import services as reputation_services
from haat.staff.roles import Role

PRICE = 20_000
MISSING_ID = 987_654
PAYOUTS: dict[str, dict[str, Any]] = {
    "paypal": {"fee_bps": 200, "fixed_fee": {"*": 0}, "minimum": {"USD": 1000, "*": 1000}},
}

ROLES = (
    "anonymous",
    "buyer",
    "other_buyer",
    "freelancer",
    "bidder",
    "suspended",
    "arbiter",
    "finance",
    "moderator",
    "admin",
    "staff_no2fa",
    "staff_norole",
)


# The URL keywords (and API path parameters) ``build`` has an object for.
KEYWORDS = {
    "user_id",
    "item_id",
    "token_id",
    "session_id",
    "deposit_id",
    "method_id",
    "withdrawal_id",
    "filter_id",
    "job_id",
    "attachment_id",
    "bid_id",
    "thread_id",
    "message_id",
    "contract_id",
    "milestone_id",
    "request_id",
    "delivery_id",
    "entry_id",
    "dispute_id",
    "offer_id",
    "report_id",
    "suspension_id",
    "appeal_id",
}


# Private text planted in the world, and who may ever read it (the matrix looks for it in every answer).
SECRETS: dict[str, bytes] = {
    "the vault secret": b"root:hunter2",
    "the unpublished review": b"Quick and tidy.",
    "the contract message": b"Here is the plan.",
    "the dispute statement": b"Nothing arrived.",
    "the payout e-mail address": b"karim@example.com",
}
PARTIES = {"buyer", "freelancer", "suspended"}
SECRET_READERS: dict[str, set[str]] = {
    "the vault secret": PARTIES,
    # Double-blind: until the freelancer reviews too (or 14 days pass), only its author reads it.
    "the unpublished review": {"buyer"},
    "the contract message": PARTIES,
    # The arbiters' queue shows open disputes with their statements; admins hold every role.
    "the dispute statement": PARTIES | {"arbiter", "admin"},
    # Finance pays withdrawals out to it.
    "the payout e-mail address": {"freelancer", "suspended", "finance", "admin"},
    # Not a text: ``runner.run`` reports an HTML answer without the CSP and framing headers under this name.
    "a page without the security headers": set(),
}


@dataclass
class World:
    people: dict[str, User | None]
    # URL keyword (or path parameter) -> the id every endpoint gets unless ``overrides`` says otherwise.
    ids: dict[str, Any]
    # route -> keyword -> id, where one keyword names different kinds of object (``attachment_id``) or an
    # endpoint needs an object in another state (reviews need a completed contract).
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def with_private_job(self) -> World:
        """The same world, but ``job_id`` names the buyer's unpublished draft instead of the open job 2."""
        ids = dict(self.ids, job_id=self.objects["draft"].pk)
        return World(people=self.people, ids=ids, overrides=self.overrides, objects=self.objects)

    def with_unknown_ids(self) -> World:
        """The same world, but every keyword names an object that does not exist."""
        ids = {key: (value if key == "gateway" else MISSING_ID) for key, value in self.ids.items()}
        return World(people=self.people, ids=ids, overrides={}, objects=self.objects)

    def kwargs_for(self, route: str, keys: list[str]) -> dict[str, Any]:
        special = self.overrides.get(route, {})
        # A keyword the world has no object for gets an id nobody owns (``test_every_keyword_has_an_object``
        # fails until the world builds one).
        return {key: special.get(key, self.ids.get(key, MISSING_ID)) for key in keys}


def zip_upload(name: str = "work.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("shop/README.md", "# Sari shop\n")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def _staff_flag_only(email: str) -> User:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = make_user(email, is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def build(*, suspend_freelancer: bool = False) -> World:
    """Create the world (about a second); every call of the matrix runs in a savepoint rolled back after it.

    With ``suspend_freelancer`` a moderator suspends the awarded freelancer at the end, and the ``suspended``
    column is that person: what a suspended party to a live contract may still read and no longer do.
    """
    now = timezone.now()
    buyer = make_user("owner.buyer@example.com")
    other_buyer = make_user("other.buyer@example.com")
    worker = freelancer("awarded.freelancer@example.com", "Karim")
    bidder = freelancer("other.bidder@example.com", "Salma")
    people: dict[str, User | None] = {
        "anonymous": None,
        "buyer": buyer,
        "other_buyer": other_buyer,
        "freelancer": worker,
        "bidder": bidder,
        "suspended": worker if suspend_freelancer else None,
        "arbiter": make_staff("arbiter@example.com", Role.ARBITER),
        "finance": make_staff("finance@example.com", Role.FINANCE),
        "moderator": make_staff("moderator@example.com", Role.MODERATOR),
        "admin": make_staff("admin@example.com", Role.ADMIN),
        "staff_no2fa": make_staff("no2fa@example.com", *Role, two_factor=False),
        # Django's staff flag and two-factor, but no Haat role: must open nothing a plain user cannot.
        "staff_norole": _staff_flag_only("norole@example.com"),
    }
    make_job(other_buyer, title="Translate a catalogue")

    # Job 1: awarded to the freelancer; the bidder lost.
    job1 = make_job(buyer)
    won = bid_on(job1, worker, amount=PRICE)
    bid_on(job1, bidder, amount=PRICE + 1000)
    bid_services.award_bid(buyer=buyer, bid_id=won.pk)
    contract = bid_services.accept_award(freelancer=worker, bid_id=won.pk)

    # A draft: nobody but the buyer may know it exists (the IDOR probe names it instead of job 2).
    draft = make_job(buyer, title="An idea for later", status=JobStatus.DRAFT, published_at=None)

    # Job 2: open, with an attachment, live bids and an interview thread.
    job2 = make_job(buyer, title="Design a logo")
    attachment = job_services.add_attachment(
        user=buyer, job_id=job2.pk, upload=SimpleUploadedFile("brief.txt", b"A logo in green.", "text/plain")
    )
    live_bid = bid_on(job2, worker, amount=15_000)
    bid_on(job2, bidder, amount=16_000)
    messaging_services.start_interview(user=buyer, job_id=job2.pk, freelancer_id=worker.pk)

    # The contract: two funded milestones, the first delivered, the second with a cancellation request.
    half = PRICE // 2
    due = now + dt.timedelta(days=10)
    first, second = contract_services.split_milestones(
        user=buyer,
        contract_id=contract.pk,
        plan=[
            contract_services.MilestonePlan(title="Design", amount=half, due_at=due),
            contract_services.MilestonePlan(title="Build", amount=PRICE - half, due_at=due),
        ],
    )
    operations.credit_deposit(
        deposit_id=900_001, user=buyer, gateway="sandbox", amount=50_000, currency="USD"
    )
    contract_services.fund_milestone(user=buyer, milestone_id=first.pk)
    contract_services.fund_milestone(user=buyer, milestone_id=second.pk)
    delivery = contract_services.deliver(
        user=worker, milestone_id=first.pk, upload=zip_upload(), note="Done."
    )
    cancellation = contract_services.ask_cancellation(
        user=worker, milestone_id=second.pk, reason="Out of scope."
    )
    thread = Thread.objects.get(contract=contract)
    message = messaging_services.post_message(
        user=worker,
        thread_id=thread.pk,
        body="Here is the plan.",
        attachments=[SimpleUploadedFile("plan.txt", b"Step one.", "text/plain")],
    )
    message_attachment = MessageAttachment.objects.get(message=message)
    entry = vault.add_entry(user=buyer, contract_id=contract.pk, label="Server", secret="root:hunter2")

    # A completed contract (job 3) with the buyer's review.
    job3 = make_job(buyer, title="Fix a bug")
    done_bid = bid_on(job3, worker, amount=12_000)
    bid_services.award_bid(buyer=buyer, bid_id=done_bid.pk)
    completed = bid_services.accept_award(freelancer=worker, bid_id=done_bid.pk)
    Contract.objects.filter(pk=completed.pk).update(status=ContractStatus.COMPLETED, ended_at=now)
    reputation_services.leave_review(
        user=buyer, contract_id=completed.pk, quality=5, communication=5, deadlines=4, text="Quick and tidy."
    )

    # Money outside contracts: the buyer's pending bank transfer, the freelancer's withdrawal.
    deposit = deposits.start_deposit(user=buyer, amount=10_000, currency="USD", gateway="manual").deposit
    operations.credit_deposit(
        deposit_id=900_002, user=worker, gateway="sandbox", amount=30_000, currency="USD"
    )
    method = withdrawals.add_payout_method(user=worker, kind="paypal", email="karim@example.com")
    withdrawal = withdrawals.request_withdrawal(
        user=worker, payout_method_id=method.pk, amount=5_000, currency="USD"
    )

    # The freelancer's own things.
    item = account_services.add_portfolio_item(user=worker, title="A shop", link="https://example.com/shop")
    token = account_services.create_api_token(user=worker, name="laptop").token
    saved = search.save_filter(user=worker, name="Logos", params={"q": "logo"})

    # A dispute on a third contract (job 4), opened by the buyer, with the freelancer's offer: contract 1
    # stays active for the contract endpoints.
    job4 = make_job(buyer, title="Translate an app")
    disputed_bid = bid_on(job4, worker, amount=12_000)
    bid_services.award_bid(buyer=buyer, bid_id=disputed_bid.pk)
    disputed = bid_services.accept_award(freelancer=worker, bid_id=disputed_bid.pk)
    disputed_milestone = Milestone.objects.get(contract=disputed)
    contract_services.fund_milestone(user=buyer, milestone_id=disputed_milestone.pk)
    dispute = dispute_services.open_dispute(
        user=buyer, milestone_id=disputed_milestone.pk, reason="not_delivered", statement="Nothing arrived."
    )
    offer = dispute_services.make_offer(user=worker, dispute_id=dispute.pk, percent=50, note="Half is fair.")

    # Moderation: a rule breaker (nobody's column) reported by the buyer, suspended, appealing.
    moderator = people["moderator"]
    assert moderator is not None
    breaker = freelancer("rule.breaker@example.com", "Babul")
    report = moderation_services.report(
        reporter=buyer, target_type="profile", target_id=breaker.profile.pk, reason="spam"
    )
    suspension = moderation_services.suspend(
        moderator=moderator, user_id=breaker.pk, rule="on-platform", reason="Asked to be paid outside Haat."
    )
    appeal = moderation_services.appeal(
        user=breaker, suspension_id=suspension.pk, statement="A misunderstanding."
    )
    if suspend_freelancer:
        suspension = moderation_services.suspend(
            moderator=moderator,
            user_id=worker.pk,
            rule="on-platform",
            reason="Asked a client to pay outside.",
        )

    # A signed-in session of the freelancer's (the sessions page lists and revokes them).
    Client().force_login(worker)
    session = UserSession.objects.filter(user=worker).order_by("pk").first()
    assert session is not None

    ids: dict[str, Any] = {
        "user_id": worker.pk,
        "item_id": item.pk,
        "token_id": token.pk,
        "deposit_id": deposit.pk,
        "method_id": method.pk,
        "withdrawal_id": withdrawal.pk,
        "filter_id": saved.pk,
        "job_id": job2.pk,
        "attachment_id": attachment.pk,
        "bid_id": live_bid.pk,
        "thread_id": thread.pk,
        "message_id": message.pk,
        "contract_id": contract.pk,
        "milestone_id": first.pk,
        "request_id": cancellation.pk,
        "delivery_id": delivery.pk,
        "entry_id": entry.pk,
        "gateway": "sandbox",
        "dispute_id": dispute.pk,
        "offer_id": offer.pk,
        "report_id": report.pk,
        "suspension_id": suspension.pk,
        "appeal_id": appeal.pk,
        "session_id": session.pk,
    }
    assert set(ids) - {"gateway"} == KEYWORDS
    review_contract = {"contract_id": completed.pk}
    dispute_contract = {"contract_id": disputed.pk}
    overrides = {
        "/messages/file/<int:attachment_id>/": {"attachment_id": message_attachment.pk},
        "/api/v1/messages/{message_id}/attachments/{attachment_id}": {"attachment_id": message_attachment.pk},
        "/contracts/<int:contract_id>/review/": review_contract,
        "/api/v1/contracts/{contract_id}/reviews": review_contract,
        "/contracts/<int:contract_id>/disputes/new/": dispute_contract,
        "/api/v1/contracts/{contract_id}/disputes": dispute_contract,
    }
    objects = {
        "job1": job1,
        "job2": job2,
        "contract": contract,
        "completed": completed,
        "first": first,
        "second": second,
        "won_bid": won,
        "live_bid": live_bid,
        "thread": thread,
        "disputed": disputed,
        "disputed_milestone": disputed_milestone,
        "draft": draft,
        "breaker": breaker,
    }
    assert Delivery.objects.filter(pk=delivery.pk).exists()
    assert CancellationRequest.objects.filter(pk=cancellation.pk).exists()
    assert Message.objects.filter(pk=message.pk).exists() and JobAttachment.objects.exists()
    assert (
        Bid.objects.filter(pk=live_bid.pk).exists()
        and Milestone.objects.filter(contract=contract).count() == 2
    )
    assert Job.objects.filter(pk=job1.pk).exists()
    return World(people=people, ids=ids, overrides=overrides, objects=objects)
