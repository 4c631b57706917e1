"""Pages of delivered work: the files inside one delivery's zip, and the permission-checked download.

Only the contract's two parties see a delivery; everyone else gets 404 as for unknown ids. The zip is always
sent as an attachment under a safe name, never rendered by the browser.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from haat.accounts.models import User
from haat.contracts import deliveries
from haat.contracts.models import Delivery

FILES_PAGE_SIZE = 200


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _delivery(request: HttpRequest, delivery_id: int) -> Delivery:
    try:
        return deliveries.delivery_for(_user(request), delivery_id)
    except Delivery.DoesNotExist as exc:
        raise Http404(_("No such delivery.")) from exc


def zip_response(delivery: Delivery) -> FileResponse:
    """Serve a delivery's zip as a download under a safe name; the browser may not sniff or run it."""
    response = FileResponse(
        delivery.file.open("rb"),
        as_attachment=True,
        filename=deliveries.download_name(delivery),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def delivery_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """The files in a delivery's zip (names and sizes from its central directory), with the download link."""
    delivery = _delivery(request, delivery_id)
    files = deliveries.list_files(delivery)
    page = Paginator(files, FILES_PAGE_SIZE).get_page(request.GET.get("page"))
    contract = delivery.milestone.contract
    return render(
        request,
        "contracts/delivery_detail.html",
        {
            "delivery": delivery,
            "milestone": delivery.milestone,
            "contract": contract,
            "page": page,
            "file_count": sum(1 for entry in files if not entry.is_dir),
            "is_buyer": contract.buyer_id == _user(request).pk,
        },
    )


@login_required
@require_GET
def delivery_download(request: HttpRequest, delivery_id: int) -> FileResponse:
    """The delivery's zip, for the contract's two parties only, always as a download."""
    return zip_response(_delivery(request, delivery_id))
