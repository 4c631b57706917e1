"""API: the delivered versions of a milestone, the files inside one, and its download (mounted by
contracts.api). Only the contract's two parties see deliveries; everyone else gets 404 as for unknown ids.
Uploading a delivery is the milestone's ``deliver`` transition (contracts.milestone_api)."""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, Problem
from haat.contracts import deliveries, delivery_views, milestone_api, selectors, zipcheck
from haat.contracts.models import Delivery

router = Router(tags=["contracts"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}


class DeliveryOut(Schema):
    id: int
    milestone_id: int
    contract_id: int
    version: int = Field(description="1 for the first delivery of the milestone, then 2, 3, …")
    original_name: str
    size: int = Field(description="Bytes of the zip as uploaded.")
    sha256: str = Field(description="Hex sha256 of the zip: compare it with the downloaded file.")
    entry_count: int
    uncompressed_size: int = Field(description="Bytes of all entries together, unpacked.")
    note: str
    is_late: bool = Field(description="Delivered after the milestone's due time.")
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_contract_id(obj: Delivery) -> int:
        return obj.milestone.contract_id

    @staticmethod
    def resolve_download_url(obj: Delivery) -> str:
        return reverse("api:delivery_download", args=[obj.pk])


class DeliveryFileOut(Schema):
    name: str = Field(description="Path inside the zip, with forward slashes.")
    size: int
    compressed_size: int
    is_dir: bool


class DeliveryDetailOut(DeliveryOut):
    files: list[DeliveryFileOut] = Field(description="Every entry of the zip, from its central directory.")

    @staticmethod
    def resolve_files(obj: Delivery) -> list[zipcheck.ZipEntry]:
        return deliveries.list_files(obj)


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


# POST on this path (deliver) lives in milestone_api's router. Two routers cannot share a URL in django-ninja
# (the first one's pattern answers every method, 405 for the others), so the GET joins the router that owns
# the path.
@milestone_api.router.get(
    "/milestones/{milestone_id}/deliveries",
    response={200: list[DeliveryOut], **NOT_FOUND, **AUTH_ERRORS},
    summary="Every delivered version of one of your milestones, oldest first",
)
@paginate(LimitOffsetPagination)
def list_deliveries(request: HttpRequest, milestone_id: int) -> QuerySet[Delivery]:
    return deliveries.deliveries_of_milestone(_user(request), milestone_id)


@router.get(
    "/contracts/{contract_id}/deliveries",
    response={200: list[DeliveryOut], **NOT_FOUND, **AUTH_ERRORS},
    summary="Every delivered version on one of your contracts, by milestone then version",
)
@paginate(LimitOffsetPagination)
def list_contract_deliveries(request: HttpRequest, contract_id: int) -> QuerySet[Delivery]:
    user = _user(request)
    contract = selectors.contract_of(user, contract_id)  # 404 for other people's contracts
    return deliveries.deliveries_of_contract(user, contract.pk)


@router.get(
    "/deliveries/{delivery_id}",
    response={200: DeliveryDetailOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="One delivery with the list of files in its zip (read before downloading)",
)
def get_delivery(request: HttpRequest, delivery_id: int) -> Delivery:
    return deliveries.delivery_for(_user(request), delivery_id)


@router.get(
    "/deliveries/{delivery_id}/download",
    response={**NOT_FOUND, **AUTH_ERRORS},
    url_name="delivery_download",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The zip, as a download (Content-Disposition: attachment).",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Download a delivery's zip",
)
def download_delivery(request: HttpRequest, delivery_id: int) -> FileResponse:
    return delivery_views.zip_response(deliveries.delivery_for(_user(request), delivery_id))
