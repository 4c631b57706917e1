"""Page: the contract timeline, for the two parties only (404 for everyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.contracts import selectors
from haat.contracts.models import Contract
from haat.contracts.timeline import timeline


@login_required
def contract_timeline(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Everything that happened on the contract, oldest first."""
    user = request.user
    assert isinstance(user, User)
    try:
        contract = selectors.contract_of(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise Http404(_("No such contract.")) from exc
    return render(
        request,
        "contracts/timeline.html",
        {"contract": contract, "events": timeline(contract), "is_buyer": contract.buyer_id == user.pk},
    )
