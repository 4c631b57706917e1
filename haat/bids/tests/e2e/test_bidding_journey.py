"""End-to-end on a phone-sized screen: a freelancer bids (watching the fee preview follow the typed price),
the buyer compares bids and awards one, the freelancer accepts, and both see the contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from haat.bids.models import Bid, BidStatus
from haat.bids.tests.test_bids import freelancer, make_job
from haat.conftest import PASSWORD, make_user
from haat.contracts.models import Contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_bid_award_accept_on_a_phone(live_server, page: Page, browser: Browser, output_dir: Path) -> None:
    base = live_server.url
    buyer = make_user("buyer@example.com")
    job = make_job(buyer)
    freelancer("rahim@example.com", "Rahim")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    # The freelancer bids; the fee preview follows the price as it is typed (htmx, no inline script).
    _log_in(page, base, "rahim@example.com")
    page.goto(base + f"/jobs/{job.pk}/")
    panel = page.locator("#bids")
    expect(panel).to_contain_text("US$100.00 – US$500.00")
    page.get_by_label("Your price").fill("120")
    expect(page.locator("#fee-preview")).to_contain_text("You would receive US$102.00")
    page.get_by_label("Your price").fill("300")
    expect(page.locator("#fee-preview")).to_contain_text("You would receive US$270.00")
    page.get_by_label("Delivery in days").fill("14")
    page.get_by_label("Proposal").fill("I built three shops like this one; I can start on Monday.")
    page.screenshot(path=str(output_dir / "bids-form-phone.png"), full_page=True)
    page.get_by_role("button", name="Place bid").click()
    expect(page.locator(".messages")).to_contain_text("Your bid was placed")
    expect(panel).to_contain_text("Your bid")
    expect(panel).to_contain_text("US$300.00")
    bid = Bid.objects.get()

    # The buyer sees the bid with the bidder's record and awards it after a confirmation page.
    buyer_context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    buyer_page = buyer_context.new_page()
    _log_in(buyer_page, base, "buyer@example.com")
    buyer_page.goto(base + f"/jobs/{job.pk}/")
    table = buyer_page.locator("#bids .bid-list")
    expect(table).to_contain_text("Rahim")
    expect(table).to_contain_text("US$300.00")
    expect(table).to_contain_text("Fluent")
    buyer_page.screenshot(path=str(output_dir / "bids-buyer-phone.png"), full_page=True)
    buyer_page.locator("#bids").get_by_role("link", name="Award").click()
    expect(buyer_page.get_by_role("heading", level=1)).to_have_text("Award the job")
    buyer_page.locator("main").get_by_role("button", name="Award the job").click()
    expect(buyer_page.locator(".messages")).to_contain_text("You awarded the job to Rahim")
    bid.refresh_from_db()
    assert bid.status == BidStatus.AWARDED

    # The freelancer accepts on their bids page and lands on the contract.
    page.goto(base + "/bids/mine/")
    page.screenshot(path=str(output_dir / "bids-mine-phone.png"), full_page=True)
    page.get_by_role("button", name="Accept the award").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contract #")
    expect(page.locator("main")).to_contain_text("Awaiting funding")
    expect(page.locator("main")).to_contain_text("US$300.00")
    page.screenshot(path=str(output_dir / "contract-phone.png"), full_page=True)
    contract = Contract.objects.get()
    buyer_page.goto(base + f"/contracts/{contract.pk}/")
    expect(buyer_page.locator("main")).to_contain_text("Awaiting funding")
    buyer_context.close()
    assert errors == []
