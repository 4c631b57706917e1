"""End-to-end, two people in two browsers (DESIGN.md §1, post → award):

a buyer posts a job; a freelancer finds it with a saved filter, tries a bid outside the budget (and sees why it
is refused), bids within it; the buyer interviews the freelancer in a message thread and awards the bid; the
freelancer accepts and both see the contract, awaiting funding. Every page is saved as a screenshot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from haat.accounts import services as account_services
from haat.bids.models import Bid, BidStatus
from haat.conftest import PASSWORD, make_user
from haat.contracts.models import Contract, ContractStatus
from haat.jobs.models import Job, JobStatus, SavedFilter, Skill

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment, dt.UTC).strftime("%Y-%m-%dT%H:%M")


def test_post_find_bid_interview_award_accept(live_server, browser: Browser, output_dir: Path) -> None:
    base = live_server.url
    make_user("shop@example.com")
    freelancer = make_user("nadia@example.com")
    account_services.update_profile(
        user=freelancer,
        fields={
            "display_name": "Nadia Rahman",
            "headline": "Shop builder",
            "bio": "Django shops.",
            "country": "BD",
        },
        skill_ids=[Skill.objects.get(slug="django").pk],
        languages=[("bn", "native"), ("en", "fluent")],
    )
    shots = iter(range(1, 100))

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(output_dir / f"journey-{next(shots):02d}-{name}.png"), full_page=True)

    buyer_ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    seller_ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    buyer, seller = buyer_ctx.new_page(), seller_ctx.new_page()
    console_errors: list[str] = []
    for page in (buyer, seller):
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # 1. The buyer posts a job.
    _log_in(buyer, base, "shop@example.com")
    buyer.get_by_role("link", name="Post a job").first.click()
    buyer.get_by_role("textbox", name="Title").fill("Online shop for handmade saris")
    buyer.get_by_role("textbox", name="Description").fill(
        "A **Django** shop with bKash payments and a Bengali storefront."
    )
    buyer.get_by_label("Category").select_option("software-development")
    buyer.locator("summary", has_text="Software development").click()
    buyer.get_by_role("checkbox", name="Django", exact=True).check()
    buyer.get_by_label("Minimum budget").fill("200")
    buyer.get_by_label("Maximum budget").fill("500")
    now = timezone.now()
    buyer.get_by_label("Bidding closes at").fill(_local(now + dt.timedelta(days=5)))
    buyer.get_by_label("Delivery deadline").fill(_local(now + dt.timedelta(days=30)))
    shot(buyer, "buyer-posts-job")
    buyer.get_by_role("button", name="Publish").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Online shop for handmade saris")
    job = Job.objects.get()
    assert job.status == JobStatus.OPEN
    shot(buyer, "buyer-job-page")

    # 2. The freelancer searches, saves the filter, and finds the job through it.
    _log_in(seller, base, "nadia@example.com")
    seller.get_by_role("link", name="Find work").first.click()
    seller.get_by_label("Keywords").fill("saris")
    seller.get_by_role("button", name="Search", exact=True).click()
    expect(seller.get_by_role("status")).to_contain_text("1 job found")
    seller.get_by_label("Name").fill("Django shops")
    seller.get_by_role("button", name="Save search").click()
    assert SavedFilter.objects.filter(user=freelancer, name="Django shops").exists()
    shot(seller, "freelancer-saved-filter")
    seller.locator(".card", has_text="Django shops").get_by_role("link", name="Show jobs").click()
    seller.get_by_role("link", name="Online shop for handmade saris").first.click()
    expect(seller.get_by_role("heading", level=1)).to_have_text("Online shop for handmade saris")

    # 3. A bid outside the budget is refused with the range; one inside it is placed.
    seller.get_by_label("Your price").fill("600")
    seller.get_by_label("Delivery in days").fill("20")
    seller.get_by_label("Proposal").fill("I have built four Django shops with bKash; samples on my profile.")
    seller.get_by_role("button", name="Place bid").click()
    expect(seller.locator("main")).to_contain_text("US$200.00 and US$500.00")
    assert not Bid.objects.exists()
    shot(seller, "freelancer-bid-refused")
    seller.get_by_label("Your price").fill("450")
    expect(seller.locator("#fee-preview")).to_contain_text("You would receive US$405.00")
    seller.get_by_role("button", name="Place bid").click()
    expect(seller.locator(".messages")).to_contain_text("Your bid was placed")
    shot(seller, "freelancer-bid-placed")

    # 4. The buyer interviews the bidder, on the site.
    buyer.reload()
    expect(buyer.locator("#bids")).to_contain_text("Nadia Rahman")
    buyer.locator("#interviews").get_by_role("button", name="Start interview").click()
    buyer.get_by_role("textbox", name="Message").fill(
        "Can you start this week? Which payment flow would you use?"
    )
    buyer.get_by_role("button", name="Send message").click()
    expect(buyer.locator("main")).to_contain_text("Can you start this week?")
    shot(buyer, "buyer-interview")
    seller.goto(base + "/messages/")
    seller.locator("main h2 a").first.click()  # the conversation, named after the buyer
    seller.get_by_role("textbox", name="Message").fill("Yes, Monday. bKash checkout with webhooks.")
    seller.get_by_role("button", name="Send message").click()
    expect(seller.locator("main")).to_contain_text("bKash checkout with webhooks")
    shot(seller, "freelancer-interview")

    # 5. The buyer awards the bid; the freelancer accepts; both see the contract.
    buyer.goto(base + f"/jobs/{job.pk}/")
    buyer.locator("#bids").get_by_role("link", name="Award").click()
    buyer.locator("main").get_by_role("button", name="Award the job").click()
    expect(buyer.locator(".messages")).to_contain_text("You awarded the job to Nadia Rahman")
    shot(buyer, "buyer-awarded")
    seller.goto(base + "/bids/mine/")
    shot(seller, "freelancer-award-offer")
    seller.get_by_role("button", name="Accept the award").click()
    expect(seller.locator("main")).to_contain_text("Awaiting funding")
    shot(seller, "freelancer-contract")
    contract = Contract.objects.get()
    assert (contract.price, contract.status) == (45_000, ContractStatus.AWAITING_FUNDING)
    assert Bid.objects.get().status == BidStatus.ACCEPTED
    job.refresh_from_db()
    assert job.status == JobStatus.AWARDED
    buyer.goto(base + f"/contracts/{contract.pk}/")
    expect(buyer.locator("main")).to_contain_text("Awaiting funding")
    shot(buyer, "buyer-contract")

    buyer_ctx.close()
    seller_ctx.close()
    # The refused bid's page is answered with 400 on purpose; nothing else may fail (CSP, scripts, files).
    assert [e for e in console_errors if "status of 400" not in e] == []
