"""API of the contracts app. So far: reading one's contracts (buyer or freelancer); funding, delivery and
acceptance come with the contracts issue. Other people's contracts answer 404 like unknown ids."""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, Problem
from haat.contracts import selectors
from haat.contracts.models import Contract, ContractStatus

router = Router(tags=["contracts"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}


class PartyOut(Schema):
    id: int
    name: str


class ContractOut(Schema):
    id: int
    job_id: int
    job_title: str
    bid_id: int
    buyer: PartyOut
    freelancer: PartyOut
    price: int = Field(description="Minor units (cents, paisa): the accepted bid's amount.")
    currency: str
    deadline: datetime = Field(description="Acceptance time plus the bid's delivery days.")
    status: ContractStatus
    created_at: datetime

    @staticmethod
    def resolve_job_title(obj: Contract) -> str:
        return obj.job.title

    @staticmethod
    def resolve_buyer(obj: Contract) -> dict[str, object]:
        return {"id": obj.buyer_id, "name": obj.buyer.profile.public_name}

    @staticmethod
    def resolve_freelancer(obj: Contract) -> dict[str, object]:
        return {"id": obj.freelancer_id, "name": obj.freelancer.profile.public_name}


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.get(
    "/contracts",
    response={200: list[ContractOut], **AUTH_ERRORS},
    summary="Your contracts, as buyer or freelancer, newest first",
)
@paginate(LimitOffsetPagination)
def list_contracts(request: HttpRequest) -> QuerySet[Contract]:
    return selectors.contracts_of(_user(request))


@router.get(
    "/contracts/{contract_id}",
    response={200: ContractOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="One of your contracts",
)
def get_contract(request: HttpRequest, contract_id: int) -> Contract:
    return selectors.contract_of(_user(request), contract_id)


def _mount_parts() -> None:
    from haat.contracts import delivery_api, milestone_api, report_api, timeline_api, vault_api

    for part in (milestone_api, delivery_api, report_api, vault_api, timeline_api):
        router.add_router("/", part.router)


_mount_parts()
