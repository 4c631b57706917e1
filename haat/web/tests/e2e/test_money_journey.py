"""End-to-end: a freelancer adds money, sets up bKash (re-entering the password) and withdraws; finance pays.

Every step goes through the browser on a phone-sized screen, and the test checks what the people would see:
balances, the fee before confirming, the withdrawal's status.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from haat.conftest import PASSWORD, make_user
from haat.ledger import selectors
from haat.staff.roles import Role
from haat.staff.tests.browser import log_in_staff, staff_with_secret

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_add_money_set_up_bkash_withdraw_and_get_paid(
    live_server, page: Page, browser: Browser, output_dir: Path
) -> None:
    base = live_server.url
    make_user("karim@example.com")
    finance_secret = staff_with_secret("finance@example.com", Role.FINANCE)

    _log_in(page, base, "karim@example.com")
    page.goto(base + "/wallet/")
    page.get_by_role("link", name="Add money").click()
    page.get_by_label("Amount").fill("100")
    page.get_by_label("Sandbox (test money)").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("Succeeded")
    page.goto(base + "/wallet/")
    expect(page.locator(".balance-main")).to_have_text("US$100.00")

    # A payout method needs the password again: a stolen session alone cannot redirect payouts.
    page.get_by_role("link", name="Payout methods").click()
    page.goto(base + "/wallet/payout-methods/add/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()
    page.get_by_role("link", name="Mobile money (bKash, Nagad)").click()
    page.get_by_label("bKash").check()
    page.get_by_label("Mobile number").fill("+8801712345678")
    page.get_by_role("button", name="Save payout method").click()
    expect(page.locator("main")).to_contain_text("…5678")

    page.goto(base + "/wallet/withdrawals/new/")
    page.get_by_label("Amount to receive").fill("20")
    page.get_by_role("button", name="See the fee").click()
    # bKash's fee (1.85 %) is shown before anything is held.
    expect(page.locator("main")).to_contain_text("US$0.37")
    page.get_by_role("button", name="Confirm withdrawal").click()
    expect(page.locator("main")).to_contain_text("Waiting for payment")
    page.goto(base + "/wallet/")
    expect(page.locator(".balance-main")).to_have_text("US$79.63")
    page.screenshot(path=str(output_dir / "e2e-wallet-withdrawal.png"), full_page=True)

    finance = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in_staff(finance, base, "finance@example.com", finance_secret)
    finance.get_by_role("link", name="Staff", exact=True).click()
    finance.get_by_role("navigation", name="Staff").get_by_role("link", name="Payout queue").click()
    expect(finance.locator("main")).to_contain_text("01712345678")
    finance.get_by_label("Payment reference").first.fill("BKASH-TRX-8842")
    finance.get_by_role("button", name="Mark paid").first.click()
    expect(finance.locator("main")).to_contain_text("was marked paid")
    expect(finance.locator("main")).to_contain_text("the queue is empty")
    finance.screenshot(path=str(output_dir / "e2e-payout-queue.png"), full_page=True)
    finance.context.close()

    page.goto(base + "/wallet/withdrawals/")
    expect(page.locator("main")).to_contain_text("Paid")
    assert selectors.verify().ok
