"""A small marketplace with real objects owned by a buyer and a freelancer, for the hostile-input tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.models import Bid
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_user
from haat.contracts.models import Contract, Milestone
from haat.jobs.models import Job
from haat.ledger import operations
from haat.messaging import services as messaging_services
from haat.messaging.models import Message, Thread

_ids = itertools.count(1)


@dataclass
class World:
    buyer: User
    worker: User
    job: Job
    bid: Bid
    contract: Contract
    milestone: Milestone
    thread: Thread
    message: Message

    def ids(self) -> dict[str, int]:
        """Path parameter name → the id of a real object that one of the two users owns."""
        return {
            "job_id": self.job.pk,
            "bid_id": self.bid.pk,
            "contract_id": self.contract.pk,
            "milestone_id": self.milestone.pk,
            "thread_id": self.thread.pk,
            "message_id": self.message.pk,
            "user_id": self.worker.pk,
        }


def token(user: User) -> str:
    return account_services.create_api_token(user=user, name=f"hostile-{next(_ids)}").secret


def build() -> World:
    """A buyer with an open job (one live bid from the freelancer, one interview thread) and a second job
    awarded to the freelancer: a contract with one milestone; the buyer has US$1,000 in the wallet."""
    n = next(_ids)
    buyer = make_user(f"hostile-buyer{n}@example.com")
    worker = freelancer(f"hostile-worker{n}@example.com", "Rahim")
    job = make_job(buyer)
    bid = bid_on(job, worker)
    awarded = bid_on(make_job(buyer, title="Translate a catalogue"), worker)
    bid_services.award_bid(buyer=buyer, bid_id=awarded.pk)
    contract = bid_services.accept_award(freelancer=worker, bid_id=awarded.pk)
    operations.credit_deposit(
        deposit_id=900_000 + n, user=buyer, gateway="sandbox", amount=100_000, currency="USD"
    )
    thread, _ = messaging_services.start_interview(user=buyer, job_id=job.pk, freelancer_id=worker.pk)
    message = messaging_services.post_message(user=buyer, thread_id=thread.pk, body="When can you start?")
    return World(
        buyer=buyer,
        worker=worker,
        job=job,
        bid=bid,
        contract=contract,
        milestone=contract.milestones.order_by("pk").first(),
        thread=thread,
        message=message,
    )
