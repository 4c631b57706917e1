"""Every hostile file against every upload entry point that takes it: the service, the API and the page.

Each is refused with a clear message, and nothing is stored: no row, no file in storage. Downloads always
leave as ``Content-Disposition: attachment`` with a safe file name. ``FIGURES`` counts the combinations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import PortfolioItem
from haat.contracts import services as contract_services
from haat.contracts.models import Delivery, Milestone, MilestoneStatus
from haat.jobs import services as job_services
from haat.jobs.models import JobAttachment
from haat.messaging import services as messaging_services
from haat.messaging.models import Message, MessageAttachment
from haat.web.tests.hostile import corpus
from haat.web.tests.hostile.world import World, build, token

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
ENTRY_POINTS = ["service", "api", "page"]
SMALL_LIMIT = 4096  # every size limit, lowered so that "oversized" costs nothing


@pytest.fixture
def world(settings: Any) -> World:
    settings.HAAT_DELIVERY_MAX_ENTRIES = 50
    found = build()
    Milestone.objects.filter(pk=found.milestone.pk).update(
        status=MilestoneStatus.FUNDED, funded_at=timezone.now(), due_at=timezone.now() + dt.timedelta(days=5)
    )
    return found


def _stored_files(tmp_path: Path) -> list[Path]:
    media = tmp_path / "media"
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _page(client: Client, user: Any) -> Client:
    client.force_login(user)
    client.cookies["haat_language"] = "en"
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html.replace("&ldquo;", "“").replace("&rdquo;", "”").replace("&#x27;", "'"))


def _refusal(
    entry: str,
    client: Client,
    world: World,
    call: Callable[[str], Any],
    upload_api: Callable[[str], Any],
    upload_page: Callable[[], Any],
) -> str:
    """Run one entry point and return the message the user sees."""
    if entry == "service":
        with pytest.raises(ValidationError) as caught:
            call("")
        return " ".join(str(m) for m in caught.value.messages)
    if entry == "api":
        response = upload_api(token(world.worker))
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == PROBLEM
        return str(response.json()["detail"])
    response = upload_page()
    assert response.status_code in (200, 400)  # the page again, with the error (400 when not redirected)
    return _text(response.content.decode())


# --- Deliveries: the zip corpus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("kind", sorted(corpus.ZIP_CORPUS))
def test_hostile_zip_is_refused_as_a_delivery(
    kind: str, entry: str, world: World, client: Client, tmp_path: Path
) -> None:
    maker, words = corpus.ZIP_CORPUS[kind]
    name, data = maker()
    milestone = world.milestone

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data, content_type="application/zip")

    message = _refusal(
        entry,
        client,
        world,
        lambda _: contract_services.deliver(user=world.worker, milestone_id=milestone.pk, upload=upload()),
        lambda secret: client.post(
            f"/api/v1/milestones/{milestone.pk}/deliveries",
            {"file": upload(), "note": "done"},
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        ),
        lambda: _page(client, world.worker).post(
            reverse("contracts:milestone-deliver", args=[milestone.pk]),
            {"file": upload(), "note": "done"},
            follow=True,
        ),
    )
    expected = words or "not a readable zip archive"
    assert expected in message, message
    assert Delivery.objects.count() == 0
    assert _stored_files(tmp_path) == []
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED


# --- Portfolio images ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("kind", sorted(corpus.IMAGE_CORPUS))
def test_hostile_image_is_refused_in_the_portfolio(
    kind: str, entry: str, world: World, client: Client, tmp_path: Path
) -> None:
    maker, words = corpus.IMAGE_CORPUS[kind]
    name, data = maker()

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data, content_type="image/png")

    message = _refusal(
        entry,
        client,
        world,
        lambda _: account_services.add_portfolio_item(user=world.worker, title="Logo", image=upload()),
        lambda secret: client.post(
            "/api/v1/me/portfolio",
            {"title": "Logo", "image": upload()},
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        ),
        lambda: _page(client, world.worker).post(
            reverse("accounts:portfolio-add"), {"title": "Logo", "image": upload()}, follow=True
        ),
    )
    assert words in message.lower(), message
    assert not PortfolioItem.objects.exists()
    assert _stored_files(tmp_path) == []


def test_an_image_with_a_trailing_script_is_stored_re_encoded_without_it(
    world: World, client: Client
) -> None:
    name, data = corpus.image_with_trailing_script()
    item = account_services.add_portfolio_item(
        user=world.worker, title="Logo", image=SimpleUploadedFile(name, data)
    )
    stored = item.image.read()
    assert stored.startswith(b"\x89PNG") and b"<script>" not in stored
    response = _page(client, world.buyer).get(reverse("accounts:portfolio-image", args=[item.pk]))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


# --- Oversized and empty files, every entry point -----------------------------------------------------------------


def _attachment_calls(
    world: World, client: Client, upload: Callable[[], SimpleUploadedFile]
) -> dict[str, Any]:
    job, thread, milestone = world.job, world.thread, world.milestone
    buyer_page = lambda: _page(client, world.buyer)  # noqa: E731
    return {
        "job-attachment": (
            lambda _: job_services.add_attachment(user=world.buyer, job_id=job.pk, upload=upload()),
            lambda _secret: client.post(
                f"/api/v1/jobs/{job.pk}/attachments",
                {"file": upload()},
                HTTP_AUTHORIZATION=f"Bearer {token(world.buyer)}",
            ),
            lambda: buyer_page().post(
                reverse("jobs:job-attachment-add", args=[job.pk]), {"file": upload()}, follow=True
            ),
        ),
        "message-attachment": (
            lambda _: messaging_services.post_message(
                user=world.buyer, thread_id=thread.pk, body="See file", attachments=[upload()]
            ),
            lambda _secret: client.post(
                f"/api/v1/threads/{thread.pk}/messages",
                {"body": "See file", "attachments": [upload()]},
                HTTP_AUTHORIZATION=f"Bearer {token(world.buyer)}",
            ),
            lambda: buyer_page().post(
                reverse("messaging:thread", args=[thread.pk]),
                {"body": "See file", "attachments": [upload()]},
                follow=True,
            ),
        ),
        "delivery": (
            lambda _: contract_services.deliver(
                user=world.worker, milestone_id=milestone.pk, upload=upload()
            ),
            lambda secret: client.post(
                f"/api/v1/milestones/{milestone.pk}/deliveries",
                {"file": upload(), "note": ""},
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            ),
            lambda: _page(client, world.worker).post(
                reverse("contracts:milestone-deliver", args=[milestone.pk]), {"file": upload()}, follow=True
            ),
        ),
        "portfolio-image": (
            lambda _: account_services.add_portfolio_item(user=world.worker, title="Logo", image=upload()),
            lambda secret: client.post(
                "/api/v1/me/portfolio",
                {"title": "Logo", "image": upload()},
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            ),
            lambda: _page(client, world.worker).post(
                reverse("accounts:portfolio-add"), {"title": "Logo", "image": upload()}, follow=True
            ),
        ),
    }


def _nothing_stored(tmp_path: Path, messages_before: int) -> None:
    assert not JobAttachment.objects.exists()
    assert not MessageAttachment.objects.exists()
    assert Message.objects.count() == messages_before
    assert not Delivery.objects.exists()
    assert not PortfolioItem.objects.exists()
    assert _stored_files(tmp_path) == []


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("target", ["job-attachment", "message-attachment", "delivery", "portfolio-image"])
def test_an_oversized_file_is_refused_with_the_limit(
    target: str, entry: str, world: World, client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.HAAT_JOB_ATTACHMENT_MAX_BYTES = SMALL_LIMIT
    settings.HAAT_MESSAGE_ATTACHMENT_MAX_BYTES = SMALL_LIMIT
    settings.HAAT_DELIVERY_MAX_BYTES = SMALL_LIMIT
    settings.PORTFOLIO_IMAGE_MAX_BYTES = SMALL_LIMIT
    messages_before = Message.objects.count()
    name = "big.zip" if target == "delivery" else "big.png"
    data = corpus.png(4, 4) + b"\0" * SMALL_LIMIT

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data)

    call, api, page = _attachment_calls(world, client, upload)[target]
    message = _refusal(entry, client, world, call, api, page)
    assert re.search(r"larger than|the limit is", message), message
    _nothing_stored(tmp_path, messages_before)


# --- Names and downloads -------------------------------------------------------------------------------------------

HOSTILE_NAME = '../../etc/pass\x00wd\u202egpj.exe"; filename=evil.html\r\nX-Injected: 1.txt'


def _assert_safe_download(response: Any) -> None:
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment"), disposition
    assert "\r" not in disposition and "\n" not in disposition and "\x00" not in disposition
    assert "/" not in disposition.split("filename", 1)[1].replace("utf-8''", "")
    assert "\u202e" not in disposition and "%E2%80%AE" not in disposition
    assert "X-Injected" not in response.serialize_headers().decode("latin-1").replace(disposition, "")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachments_with_hostile_names_download_as_attachments_with_safe_names(
    world: World, client: Client
) -> None:
    upload = SimpleUploadedFile(HOSTILE_NAME, b"<script>alert(1)</script>", content_type="text/html")
    attachment = job_services.add_attachment(user=world.buyer, job_id=world.job.pk, upload=upload)
    assert "/" not in attachment.original_name and "\x00" not in attachment.original_name
    assert "\u202e" not in attachment.original_name
    assert HOSTILE_NAME not in attachment.file.name
    page = _page(client, world.buyer)
    _assert_safe_download(page.get(reverse("jobs:job-attachment", args=[world.job.pk, attachment.pk])))
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token(world.buyer)}"}
    _assert_safe_download(client.get(f"/api/v1/jobs/{world.job.pk}/attachments/{attachment.pk}", **bearer))

    upload = SimpleUploadedFile(HOSTILE_NAME, b"<script>alert(1)</script>", content_type="text/html")
    message = messaging_services.post_message(
        user=world.buyer, thread_id=world.thread.pk, body="file", attachments=[upload]
    )
    sent = message.attachments.get()
    _assert_safe_download(page.get(reverse("messaging:attachment", args=[sent.pk])))
    _assert_safe_download(client.get(f"/api/v1/messages/{message.pk}/attachments/{sent.pk}", **bearer))


def test_deliveries_download_as_attachments_with_safe_names(world: World, client: Client) -> None:
    data = corpus._zip([("index.html", b"<script>alert(1)</script>")])
    upload = SimpleUploadedFile(HOSTILE_NAME.replace(".txt", ".zip"), data, content_type="application/zip")
    delivery = contract_services.deliver(user=world.worker, milestone_id=world.milestone.pk, upload=upload)
    page = _page(client, world.buyer)
    _assert_safe_download(page.get(reverse("contracts:delivery-download", args=[delivery.pk])))
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token(world.buyer)}"}
    _assert_safe_download(client.get(f"/api/v1/deliveries/{delivery.pk}/download", **bearer))


def test_corpus_figures() -> None:
    """How many hostile files meet how many entry points (for docs/security.md)."""
    zips = len(corpus.ZIP_CORPUS) * len(ENTRY_POINTS)
    images = len(corpus.IMAGE_CORPUS) * len(ENTRY_POINTS)
    oversized = 4 * len(ENTRY_POINTS)
    print(f"hostile uploads: {zips} zip, {images} image, {oversized} oversized = {zips + images + oversized}")
    assert zips + images + oversized == 36 + 12 + 12
