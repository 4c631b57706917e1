"""End-to-end, three people in three browsers: the freelancer delivers, the buyer disputes, they exchange offers
and fail to agree, the buyer asks for an arbiter, the arbiter (signed in with two-factor authentication) reads
the evidence and decides 60/40 with a reason; both sides see the reason, and their wallets show the result to
the cent. Every step is saved as a screenshot.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import PASSWORD, make_user
from haat.contracts import services as contract_services
from haat.disputes.models import Dispute, DisputeStatus
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.payments.fees import percent_of
from haat.staff.roles import Role
from haat.staff.tests.browser import log_in_staff, staff_with_secret

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PRICE = 20_000  # US$200.00
DEPOSIT = 25_000
REASON = "Six of the ten pages work on phones, as the job asked; the buyer already uses them. 60 % is fair."


def _usd(minor: int) -> str:
    return f"US${minor / 100:,.2f}"


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_deliver_dispute_fail_to_agree_arbiter_decides_60_40(
    live_server, browser: Browser, output_dir: Path, tmp_path: Path
) -> None:
    base = live_server.url
    buyer_user = make_user("shop@example.com")
    seller_user = freelancer("nadia@example.com", "Nadia Rahman")
    arbiter_secret = staff_with_secret("arbiter@example.com", Role.ARBITER)
    job = make_job(buyer_user)
    bid = bid_on(job, seller_user, amount=PRICE, days=10)
    bid_services.award_bid(buyer=buyer_user, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=seller_user, bid_id=bid.pk)
    operations.credit_deposit(
        deposit_id=991_001, user=buyer_user, gateway="sandbox", amount=DEPOSIT, currency="USD"
    )
    milestone = contract.milestones.get()
    contract_services.fund_milestone(user=buyer_user, milestone_id=milestone.pk)
    buyer_fee = percent_of(PRICE, contract.buyer_fee_bps)
    to_freelancer = PRICE * 60 // 100  # 12 000
    freelancer_receives = to_freelancer - percent_of(to_freelancer, contract.freelancer_fee_bps)  # 10 800
    buyer_back = PRICE - to_freelancer  # 8 000
    contract_url = f"{base}/contracts/{contract.pk}/"

    shots = itertools.count(1)

    def shot(page: Page, name: str) -> None:
        page.screenshot(
            path=str(output_dir / f"dispute-journey-{next(shots):02d}-{name}.png"), full_page=True
        )

    contexts = [
        browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB") for _ in range(3)
    ]
    for ctx in contexts:
        ctx.set_default_timeout(15_000)
    buyer, seller, arbiter = (ctx.new_page() for ctx in contexts)
    _log_in(buyer, base, "shop@example.com")
    _log_in(seller, base, "nadia@example.com")

    # 1. The freelancer delivers a zip.
    work = tmp_path / "shop.zip"
    with zipfile.ZipFile(work, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("shop/index.html", "<h1>Sari shop</h1>")
    seller.goto(contract_url)
    seller.get_by_label("Your work, as a zip file").set_input_files(str(work))
    seller.get_by_label("Note to the buyer").fill("All ten pages.")
    seller.get_by_role("button", name="Deliver", exact=True).click()
    expect(seller.locator("main")).to_contain_text("Your work was delivered.")
    shot(seller, "delivered")

    # 2. The buyer disputes it: the escrow freezes.
    buyer.goto(contract_url)
    buyer.get_by_role("link", name="Open a dispute").click()
    buyer.get_by_label("Reason").select_option("quality")
    buyer.get_by_label("Your statement").fill("Four of the ten pages do not open on a phone.")
    shot(buyer, "open-dispute-form")
    buyer.get_by_role("button", name="Open the dispute").click()
    expect(buyer.locator("main")).to_contain_text("The escrow is frozen")
    expect(buyer.locator(".dispute-status")).to_have_text("The two sides are negotiating")
    shot(buyer, "dispute-opened")
    dispute = Dispute.objects.get()
    dispute_url = f"{base}/disputes/{dispute.pk}/"

    # 3. They exchange offers and fail to agree.
    seller.goto(dispute_url)
    expect(seller.locator("main")).to_contain_text("Four of the ten pages do not open on a phone.")
    seller.get_by_label("Freelancer's share in percent").fill("90")
    seller.get_by_label("Note").fill("Only small fixes are missing.")
    seller.get_by_role("button", name="Send the offer").click()
    expect(seller.locator("main")).to_contain_text("Your offer was sent.")
    shot(seller, "freelancer-offer")
    buyer.goto(dispute_url)
    expect(buyer.locator("section[aria-labelledby=offers]")).to_contain_text(
        f"{_usd(18_000)} to the freelancer"
    )
    buyer.get_by_role("button", name="Reject").click()
    expect(buyer.locator("main")).to_contain_text("You rejected the offer.")
    buyer.get_by_label("Freelancer's share in percent").fill("20")
    buyer.get_by_role("button", name="Send the offer").click()
    seller.goto(dispute_url)
    seller.get_by_role("button", name="Reject").click()
    expect(seller.locator("main")).to_contain_text("You rejected the offer.")
    buyer.goto(dispute_url)
    buyer.get_by_role("button", name="We cannot agree: ask for an arbiter now").click()
    expect(buyer.locator(".dispute-status")).to_have_text("Waiting for the arbiter")
    shot(buyer, "escalated")

    # 4. The arbiter signs in with two-factor authentication, reads the evidence and decides 60/40.
    log_in_staff(arbiter, base, "arbiter@example.com", arbiter_secret)
    arbiter.goto(base + "/staff/disputes/")
    arbiter.get_by_role("link", name=f"Dispute #{dispute.pk}").first.click()
    expect(arbiter.locator("main")).to_contain_text("Four of the ten pages do not open on a phone.")
    expect(arbiter.locator("#ev-deliveries")).to_be_visible()
    expect(arbiter.locator("main")).to_contain_text("shop.zip")
    arbiter.get_by_role("button", name="Take this case").click()
    expect(arbiter.locator("main")).to_contain_text("The case is yours.")
    shot(arbiter, "case-page")
    arbiter.get_by_label("Freelancer's share in percent").fill("60")
    arbiter.get_by_label("Reason for the decision (both sides see it)").fill(REASON)
    arbiter.get_by_role("button", name="Decide and pay out").click()
    expect(arbiter.locator("main")).to_contain_text("Decision recorded")
    shot(arbiter, "decided")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DECIDED
    assert (dispute.freelancer_amount, dispute.freelancer_receives, dispute.buyer_refund) == (
        to_freelancer,
        freelancer_receives,
        buyer_back,
    )

    # 5. Both sides see the reason and the figures; the wallets show the result.
    for page, who in ((buyer, "buyer"), (seller, "freelancer")):
        page.goto(dispute_url)
        outcome = page.locator(".outcome")
        expect(outcome).to_contain_text(REASON)
        expect(outcome.get_by_role("row", name="The freelancer receives")).to_contain_text(
            _usd(freelancer_receives)
        )
        expect(outcome.get_by_role("row", name="Back to the buyer's wallet")).to_contain_text(
            _usd(buyer_back)
        )
        shot(page, f"{who}-sees-decision")
    buyer.goto(base + "/wallet/")
    expect(buyer.locator(".balance-main")).to_have_text(_usd(DEPOSIT - PRICE - buyer_fee + buyer_back))
    shot(buyer, "buyer-wallet")
    seller.goto(base + "/wallet/")
    expect(seller.locator("main")).to_contain_text(_usd(freelancer_receives))  # waiting for clearance
    shot(seller, "freelancer-wallet")
    assert ledger_selectors.verify().ok
    for ctx in contexts:
        ctx.close()
