"""End-to-end, two people in two phone-sized browsers (DESIGN.md §1, fund → withdraw):

starting from an accepted award (job, bid, award and acceptance are made with the services: the marketplace
journey already does them in the browser), the buyer funds the milestone after seeing the total with the fee,
both talk on the contract's thread, the freelancer files a status report and uploads a zip, the buyer asks for
changes, the freelancer delivers again, the buyer accepts; the freelancer sees the money waiting for clearance,
then (after clearance) sets up bKash and withdraws; finance marks the withdrawal paid. The amounts shown on the
pages are checked at every money step, and every step is saved as a screenshot.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import PASSWORD, make_user
from haat.contracts.models import ContractStatus, Delivery, MilestoneStatus
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.payments.fees import percent_of
from haat.payments.models import Withdrawal, WithdrawalStatus
from haat.staff.roles import Role
from haat.staff.tests.browser import log_in_staff, staff_with_secret

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PRICE = 20_000  # US$200.00: a large contract, so weekly status reports are required
DEPOSIT = 25_000
WITHDRAW = 17_000


def _usd(minor: int) -> str:
    return f"US${minor / 100:,.2f}"


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _zip(path: Path, name: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("shop/README.md", "# Sari shop\n")
        archive.writestr(f"shop/{name}", text)
    return path


def test_fund_talk_report_deliver_change_accept_withdraw_paid(
    live_server, browser: Browser, output_dir: Path, tmp_path: Path
) -> None:
    base = live_server.url
    buyer_user = make_user("shop@example.com")
    seller_user = freelancer("nadia@example.com", "Nadia Rahman")
    finance_secret = staff_with_secret("finance@example.com", Role.FINANCE)
    job = make_job(buyer_user)
    bid = bid_on(job, seller_user, amount=PRICE, days=10)
    bid_services.award_bid(buyer=buyer_user, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=seller_user, bid_id=bid.pk)
    operations.credit_deposit(
        deposit_id=990_001, user=buyer_user, gateway="sandbox", amount=DEPOSIT, currency="USD"
    )
    buyer_fee = percent_of(PRICE, contract.buyer_fee_bps)
    freelancer_fee = percent_of(PRICE, contract.freelancer_fee_bps)
    earned = PRICE - freelancer_fee
    contract_url = f"{base}/contracts/{contract.pk}/"

    shots = itertools.count(1)

    def shot(page: Page, name: str) -> None:
        page.screenshot(
            path=str(output_dir / f"contract-journey-{next(shots):02d}-{name}.png"), full_page=True
        )

    buyer_ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    seller_ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    for ctx in (buyer_ctx, seller_ctx):
        ctx.set_default_timeout(15_000)
    buyer, seller = buyer_ctx.new_page(), seller_ctx.new_page()
    _log_in(buyer, base, "shop@example.com")
    _log_in(seller, base, "nadia@example.com")

    # 1. The buyer opens the contract and funds the milestone, seeing the total with the fee first.
    buyer.goto(contract_url)
    expect(buyer.locator(".contract-status")).to_have_text("Awaiting funding")
    buyer.get_by_role("link", name="Fund this milestone").click()
    table = buyer.locator("main table")
    expect(table.get_by_role("row", name="Into escrow")).to_contain_text(_usd(PRICE))
    expect(table.get_by_role("row", name="Site fee")).to_contain_text(_usd(buyer_fee))
    expect(table.get_by_role("row", name="Total taken from your wallet")).to_contain_text(
        _usd(PRICE + buyer_fee)
    )
    expect(table.get_by_role("row", name="Available in your wallet")).to_contain_text(_usd(DEPOSIT))
    shot(buyer, "fund-quote")
    buyer.get_by_role("button", name=f"Pay {_usd(PRICE + buyer_fee)} into escrow").click()
    expect(buyer.locator("main")).to_contain_text("is funded")
    expect(buyer.locator(".contract-status")).to_have_text("Active")
    shot(buyer, "funded")
    buyer.goto(base + "/wallet/")
    expect(buyer.locator(".balance-main")).to_have_text(_usd(DEPOSIT - PRICE - buyer_fee))
    expect(buyer.locator(".balance-list")).to_contain_text(_usd(PRICE))  # in escrow
    shot(buyer, "buyer-wallet-after-funding")

    # 2. Both talk on the contract's thread.
    seller.goto(contract_url)
    seller.get_by_role("link", name="Open the contract's messages").click()
    seller.get_by_role("textbox", name="Message").fill("Thank you! I start with the catalogue pages.")
    seller.get_by_role("button", name="Send message").click()
    expect(seller.locator("main")).to_contain_text("I start with the catalogue pages.")
    shot(seller, "freelancer-message")
    buyer.goto(contract_url)
    buyer.get_by_role("link", name="Open the contract's messages").click()
    expect(buyer.locator("main")).to_contain_text("I start with the catalogue pages.")
    buyer.get_by_role("textbox", name="Message").fill("Great. The logo is attached to the job.")
    buyer.get_by_role("button", name="Send message").click()
    expect(buyer.locator("main")).to_contain_text("The logo is attached to the job.")
    shot(buyer, "buyer-message")

    # 3. The freelancer files this week's status report.
    seller.goto(contract_url)
    reports = seller.locator("#reports")
    reports.get_by_label("What was done").fill("Catalogue pages and product photos.")
    reports.get_by_label("What is next").fill("Checkout with bKash.")
    reports.get_by_label("Percent complete").fill("40")
    reports.get_by_role("button", name="File the report").click()
    expect(seller.locator("#reports")).to_contain_text("Catalogue pages and product photos.")
    expect(seller.locator("#reports")).to_contain_text("40% complete")
    shot(seller, "status-report")

    # 4. The freelancer uploads the work as a zip.
    seller.get_by_label("Your work, as a zip file").set_input_files(
        str(_zip(tmp_path / "shop.zip", "shop.py", "v1"))
    )
    seller.get_by_label("Note to the buyer").fill("The first version: catalogue and cart.")
    seller.get_by_role("button", name="Deliver", exact=True).click()
    expect(seller.locator("main")).to_contain_text("Your work was delivered.")
    expect(seller.locator("#milestones")).to_contain_text("Delivered")
    expect(seller.locator("#deliveries")).to_contain_text("v1")
    shot(seller, "delivered-v1")

    # 5. The buyer reads the delivery and asks for changes.
    buyer.goto(contract_url)
    expect(buyer.locator("#deliveries")).to_contain_text("The first version: catalogue and cart.")
    buyer.get_by_label("What should change?").fill("Please add a search box.")
    buyer.get_by_role("button", name="Request changes").click()
    expect(buyer.locator("main")).to_contain_text("Your change request was sent to the freelancer.")
    expect(buyer.locator("#milestones")).to_contain_text("Changes requested")
    shot(buyer, "changes-requested")

    # 6. The freelancer delivers again.
    seller.goto(contract_url)
    seller.get_by_label("Your work, as a zip file").set_input_files(
        str(_zip(tmp_path / "shop-v2.zip", "search.py", "v2"))
    )
    seller.get_by_label("Note to the buyer").fill("Search box added.")
    seller.get_by_role("button", name="Deliver", exact=True).click()
    expect(seller.locator("#deliveries")).to_contain_text("v2")
    shot(seller, "delivered-v2")
    assert Delivery.objects.filter(milestone__contract=contract).count() == 2

    # 7. The buyer accepts: the escrow is released.
    buyer.goto(contract_url)
    buyer.get_by_role("button", name="Accept and pay").click()
    expect(buyer.locator("main")).to_contain_text("You accepted the work; the freelancer is paid.")
    expect(buyer.locator(".contract-status")).to_have_text("Completed")
    expect(buyer.locator("#milestones")).to_contain_text(f"{_usd(PRICE)} (100%)")
    shot(buyer, "accepted")
    buyer.goto(base + "/wallet/")
    expect(buyer.locator(".balance-main")).to_have_text(_usd(DEPOSIT - PRICE - buyer_fee))
    shot(buyer, "buyer-wallet-after-acceptance")

    # 8. The freelancer sees the money waiting for clearance.
    seller.goto(base + "/wallet/")
    expect(seller.locator(".balance-main")).to_have_text(_usd(0))
    expect(seller.locator(".balance-list")).to_contain_text(_usd(earned))
    shot(seller, "waiting-for-clearance")
    assert contract.milestones.get().status == MilestoneStatus.ACCEPTED
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED

    # 9. Clearance (the periodic task's service), then the freelancer sets up bKash and withdraws.
    assert operations.clear_earnings(older_than=dt.timedelta(0)) == 1
    seller.goto(base + "/wallet/")
    expect(seller.locator(".balance-main")).to_have_text(_usd(earned))
    shot(seller, "cleared")
    seller.goto(base + "/wallet/payout-methods/add/")
    expect(seller).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    seller.get_by_label("Password").fill(PASSWORD)
    seller.locator("main").get_by_role("button", name="Confirm").click()
    seller.get_by_role("link", name="Mobile money (bKash, Nagad)").click()
    seller.get_by_label("bKash").check()
    seller.get_by_label("Mobile number").fill("+8801712345678")
    seller.get_by_role("button", name="Save payout method").click()
    expect(seller.locator("main")).to_contain_text("…5678")
    shot(seller, "bkash-added")
    fee = percent_of(WITHDRAW, settings.HAAT_PAYOUTS["mobile_money"]["fee_bps"])
    seller.goto(base + "/wallet/withdrawals/new/")
    seller.get_by_label("Amount to receive").fill(f"{WITHDRAW / 100:.2f}")
    seller.get_by_role("button", name="See the fee").click()
    expect(seller.locator("main")).to_contain_text(_usd(fee))
    shot(seller, "withdrawal-fee")
    seller.get_by_role("button", name="Confirm withdrawal").click()
    expect(seller.locator("main")).to_contain_text("Waiting for payment")
    seller.goto(base + "/wallet/")
    expect(seller.locator(".balance-main")).to_have_text(_usd(earned - WITHDRAW - fee))
    shot(seller, "withdrawal-requested")

    # 10. Finance pays it.
    finance = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB").new_page()
    log_in_staff(finance, base, "finance@example.com", finance_secret)
    finance.get_by_role("link", name="Staff", exact=True).click()
    finance.get_by_role("navigation", name="Staff").get_by_role("link", name="Payout queue").click()
    expect(finance.locator("main")).to_contain_text("01712345678")
    expect(finance.locator("main")).to_contain_text(_usd(WITHDRAW))
    finance.get_by_label("Payment reference").first.fill("BKASH-TRX-8842")
    finance.get_by_role("button", name="Mark paid").first.click()
    expect(finance.locator("main")).to_contain_text("was marked paid")
    shot(finance, "paid")
    finance.context.close()

    seller.goto(base + "/wallet/withdrawals/")
    expect(seller.locator("main")).to_contain_text("Paid")
    shot(seller, "withdrawal-paid")
    withdrawal = Withdrawal.objects.get(user=seller_user)
    assert (withdrawal.status, withdrawal.amount, withdrawal.fee) == (WithdrawalStatus.PAID, WITHDRAW, fee)
    assert ledger_selectors.verify().ok
    buyer_ctx.close()
    seller_ctx.close()
