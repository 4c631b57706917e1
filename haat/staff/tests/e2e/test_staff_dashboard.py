"""End-to-end: an admin signs in with password and authenticator code, goes from the site's "Staff" link to the
operator dashboard and sees the escrow, the revenue chart and the payouts waiting; a screenshot is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from haat.conftest import make_user
from haat.ledger import operations
from haat.staff.roles import Role
from haat.staff.tests.browser import log_in_staff, staff_with_secret
from haat.staff.tests.helpers import PAYOUTS, fund, make_contract, open_dispute, request_withdrawal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_reaches_the_dashboard_through_two_factor(
    live_server: Any, desktop_page: Page, output_dir: Path, settings: Any
) -> None:
    settings.HAAT_PAYOUTS = PAYOUTS
    buyer = make_user("buyer@example.com")
    worker = make_user("worker@example.com")
    fund(buyer, 100_000)
    operations.fund_escrow(
        key="e2e", buyer=buyer, escrow_reference="contract:e2e", price=40_000, buyer_fee=1_200, currency="USD"
    )
    operations.release_escrow(
        key="e2e",
        escrow_reference="contract:e2e",
        freelancer=worker,
        amount=10_000,
        freelancer_fee=1_000,
        currency="USD",
    )
    request_withdrawal(worker, 2_500)
    dispute = open_dispute(make_contract(buyer, "rahim@example.com"))
    secret = staff_with_secret("admin@example.com", Role.ADMIN)

    page = desktop_page
    base = live_server.url
    log_in_staff(page, base, "admin@example.com", secret)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    expect(page.locator("main")).to_contain_text("Payout queue")
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Operator dashboard").click()
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Operator dashboard")
    expect(main).to_contain_text("US$300.00")  # in escrow: 400.00 funded − 100.00 released
    expect(main).to_contain_text("US$25.00")  # one withdrawal waiting
    expect(main.get_by_role("img", name="Platform revenue per month (USD)")).to_be_visible()
    main.get_by_text("The figures as a table").first.click()
    expect(main).to_contain_text("US$22.00")  # this month: 12.00 buyer fee + 10.00 freelancer fee
    expect(main.get_by_role("link", name=f"#{dispute.pk}")).to_have_attribute(
        "href", f"/staff/disputes/{dispute.pk}/"
    )
    expect(main).to_contain_text("1 job in the last 30 days.")
    page.screenshot(path=str(output_dir / "e2e-staff-dashboard.png"), full_page=True)
