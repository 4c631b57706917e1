"""Every write to contracts. So far one: creating the contract when a freelancer accepts an award.

A contract starts ``awaiting_funding``; funding, work, delivery, acceptance and disputes (and their state
table) come with the contracts issue. Money never moves here.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haat.bids.models import Bid, BidStatus
from haat.contracts.models import Contract, ContractStatus


@transaction.atomic
def create_from_award(bid: Bid) -> Contract:
    """Create the contract for an accepted award and return it.

    Price is the bid's amount in the job's currency, the deadline is the acceptance time (``responded_at``, else
    now) plus the bid's delivery days, and the state is ``awaiting_funding``. Called by ``haat.bids.services.accept_award`` inside its transaction, with
    the job and its bids already locked (job first). Raises ``ValidationError`` when the bid is not accepted or
    the job already has a contract; the one-to-one columns on job and bid are the last line of defence.
    """
    if bid.status != BidStatus.ACCEPTED:
        raise ValidationError({"bid": _("Only an accepted award becomes a contract.")})
    if Contract.objects.filter(job_id=bid.job_id).exists() or Contract.objects.filter(bid_id=bid.pk).exists():
        raise ValidationError({"bid": _("This job already has a contract.")})
    job = bid.job
    return Contract.objects.create(
        job=job,
        bid=bid,
        buyer_id=job.buyer_id,
        freelancer_id=bid.freelancer_id,
        price=bid.amount,
        currency=job.currency,
        deadline=(bid.responded_at or timezone.now()) + dt.timedelta(days=bid.delivery_days),
        status=ContractStatus.AWAITING_FUNDING,
    )
