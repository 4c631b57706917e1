"""End-to-end on a phone-sized screen: a bidder reads the buyer's interview question, answers with a file and a
phone number (and is warned), edits the answer; the buyer sees the answer, the file and the earlier version."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from haat.accounts.models import Profile
from haat.bids.models import Bid
from haat.conftest import PASSWORD, make_user
from haat.jobs.models import Category, Job, JobStatus
from haat.messaging import services
from haat.messaging.models import Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_interview_on_a_phone(
    live_server, page: Page, browser: Browser, output_dir: Path, tmp_path: Path
) -> None:
    base = live_server.url
    buyer = make_user("karim@example.com")
    freelancer = make_user("nusrat@example.com")
    Profile.objects.filter(user=buyer).update(display_name="Karim Traders")
    Profile.objects.filter(user=freelancer).update(display_name="Nusrat Jahan")
    now = timezone.now()
    category = Category.objects.order_by("pk").first()
    assert category is not None
    job = Job.objects.create(
        buyer=buyer,
        title="Bangla e-commerce site",
        description="Shop with bKash checkout",
        category=category,
        budget_min=10_000,
        budget_max=50_000,
        currency="USD",
        deadline=now + timedelta(days=30),
        bidding_closes_at=now + timedelta(days=7),
        status=JobStatus.OPEN,
        published_at=now,
    )
    Bid.objects.create(job=job, freelancer=freelancer, amount=20_000, delivery_days=10, proposal="Hire me")
    thread, _created = services.start_interview(user=buyer, job_id=job.pk, freelancer_id=freelancer.pk)
    services.post_message(user=buyer, thread_id=thread.pk, body="Have you used **bKash** before?")

    _log_in(page, base, "nusrat@example.com")
    page.goto(base + "/messages/")
    expect(page.locator("main")).to_contain_text("1 unread")
    page.get_by_role("link", name="Karim Traders").click()
    expect(page.locator("main")).to_contain_text("Have you used bKash before?")
    assert _fits_the_screen(page)

    invoice = tmp_path / "sample-invoice.pdf"
    invoice.write_bytes(b"%PDF-1.4 sample")
    page.get_by_role("textbox", name="Message", exact=True).fill("Yes, many times. Call me: 01712-345678")
    page.get_by_label("Attach files").set_input_files(str(invoice))
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".messages")).to_contain_text("phone number")
    expect(page.locator("main")).to_contain_text("sample-invoice.pdf")
    page.screenshot(path=str(output_dir / "messaging-thread-phone.png"), full_page=True)
    assert _fits_the_screen(page)

    reply = Message.objects.get(sender=freelancer)
    assert reply.contact_flags == "phone"
    page.locator(f"#message-{reply.pk}").get_by_role("link", name="Edit").click()
    page.get_by_role("textbox", name="Message", exact=True).fill("Yes, many times.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#message-{reply.pk}")).to_contain_text("edited")

    buyer_page = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True).new_page()
    _log_in(buyer_page, base, "karim@example.com")
    buyer_page.goto(base + f"/messages/{thread.pk}/")
    answer = buyer_page.locator(f"#message-{reply.pk}")
    expect(answer).to_contain_text("Yes, many times.")
    expect(answer).not_to_contain_text("seems to contain")
    answer.get_by_text("earlier versions").click()
    expect(answer).to_contain_text("Call me: 01712-345678")
    with buyer_page.expect_download() as download:
        answer.get_by_role("link", name="sample-invoice.pdf").click()
    assert download.value.suggested_filename == "sample-invoice.pdf"
    buyer_page.context.close()
