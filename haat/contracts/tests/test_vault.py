"""The contract's secret vault: encrypted at rest, read only by the two parties while the contract is open,
every read logged, hidden once the contract ends, and refusals that change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_user
from haat.contracts import vault
from haat.contracts.models import Contract, ContractStatus, VaultAccess, VaultEntry
from haat.ledger import selectors as ledger_selectors

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SECRET = "postgres://shop:S3cr3t-pa55@db.example.com:5432/shop\nssh root@203.0.113.7 (key in 1Password)"


# --- Helpers ----------------------------------------------------------------------------------------------------


def _bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def _fields(body: dict[str, Any]) -> dict[str, str]:
    return {error["field"]: error["message"] for error in body.get("errors") or []}


def _send(client: Client, method: str, path: str, user: User, body: object = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(path, **_bearer(user))
    return call(path, data=json.dumps(body), content_type="application/json", **_bearer(user))


def _snapshot() -> tuple[object, ...]:
    """Every vault row and log row: what "nothing changed" means here."""
    entries = list(VaultEntry.objects.order_by("pk").values_list("pk", "label", "ciphertext", "updated_at"))
    log = list(VaultAccess.objects.order_by("pk").values_list("pk", "entry_id", "user_id", "action"))
    return entries, log


def _set_status(contract: Contract, status: str) -> None:
    Contract.objects.filter(pk=contract.pk).update(status=status)
    contract.refresh_from_db()


@pytest.fixture
def buyer(db: None) -> User:
    return make_user("buyer@example.com")


@pytest.fixture
def rahim(db: None) -> User:
    return freelancer("rahim@example.com", "Rahim")


@pytest.fixture
def mallory(db: None) -> User:
    return make_user("mallory@example.com")


@pytest.fixture
def contract(buyer: User, rahim: User) -> Contract:
    bid = bid_on(make_job(buyer), rahim)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    return bid_services.accept_award(freelancer=rahim, bid_id=bid.pk)


@pytest.fixture
def entry(contract: Contract, buyer: User) -> VaultEntry:
    return vault.add_entry(
        user=buyer, contract_id=contract.pk, label="Production database", secret=SECRET, ip="198.51.100.1"
    )


def _reads() -> list[tuple[int, str | None]]:
    return list(
        VaultAccess.objects.filter(action=VaultAccess.Action.READ)
        .order_by("pk")
        .values_list("user_id", "ip_address")
    )


# --- Encryption at rest -----------------------------------------------------------------------------------------


def test_the_database_holds_ciphertext_that_decrypts_back(
    client: Client, contract: Contract, buyer: User
) -> None:
    response = _send(
        client,
        "post",
        f"/api/v1/contracts/{contract.pk}/vault",
        buyer,
        {"label": "Production database", "secret": SECRET},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["label"] == "Production database"
    assert "secret" not in body

    stored = VaultEntry.objects.get(pk=body["id"])
    assert SECRET not in stored.ciphertext
    assert "S3cr3t" not in stored.ciphertext
    assert vault.decrypt(stored.ciphertext) == SECRET
    assert stored.created_by == buyer
    assert list(VaultAccess.objects.values_list("entry_id", "user_id", "action")) == [
        (stored.pk, buyer.pk, VaultAccess.Action.CREATE)
    ]
    # Two encryptions of the same secret differ (Fernet uses a fresh IV every time).
    assert vault.encrypt(SECRET) != vault.encrypt(SECRET)


def test_the_listing_shows_labels_and_the_log_but_never_the_secret(
    client: Client, contract: Contract, entry: VaultEntry, buyer: User, rahim: User
) -> None:
    for user in (buyer, rahim):
        response = _send(client, "get", f"/api/v1/contracts/{contract.pk}/vault", user)
        assert response.status_code == 200
        assert "S3cr3t" not in response.content.decode()
        body = response.json()
        assert body["open"] is True
        assert body["can_edit"] is (user == buyer)
        assert [e["label"] for e in body["entries"]] == ["Production database"]
        assert [(row["action"], row["user"]["id"]) for row in body["log"]] == [("create", buyer.pk)]

    client.force_login(rahim)
    page = client.get(reverse("contracts:vault", args=[contract.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Production database" in html
    assert "Reveal" in html
    assert "S3cr3t" not in html
    assert reverse("contracts:vault-add", args=[contract.pk]) not in html  # the freelancer does not add

    detail = client.get(reverse("contracts:contract-detail", args=[contract.pk]))
    assert "Secret vault" in detail.content.decode()
    assert reverse("contracts:vault", args=[contract.pk]) in detail.content.decode()


# --- Reading --------------------------------------------------------------------------------------------------


def test_the_freelancer_reads_and_every_read_is_logged(
    client: Client, contract: Contract, entry: VaultEntry, buyer: User, rahim: User
) -> None:
    response = _send(client, "get", f"/api/v1/vault/{entry.pk}", rahim)
    assert response.status_code == 200, response.content
    assert response.json()["secret"] == SECRET
    assert "no-store" in response["Cache-Control"]

    response = client.get(f"/api/v1/vault/{entry.pk}", REMOTE_ADDR="203.0.113.9", **_bearer(rahim))
    assert response.json()["secret"] == SECRET

    client.force_login(buyer)
    page = client.post(reverse("contracts:vault-reveal", args=[entry.pk]), REMOTE_ADDR="192.0.2.44")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "S3cr3t-pa55" in page.content.decode()

    assert _reads() == [(rahim.pk, "127.0.0.1"), (rahim.pk, "203.0.113.9"), (buyer.pk, "192.0.2.44")]

    # Both parties see the reads in the log, with who and what, never the secret.
    log = _send(client, "get", f"/api/v1/contracts/{contract.pk}/vault", buyer).json()["log"]
    assert [(row["action"], row["user"]["name"], row["label"]) for row in log] == [
        ("create", "buyer", "Production database"),
        ("read", "Rahim", "Production database"),
        ("read", "Rahim", "Production database"),
        ("read", "buyer", "Production database"),
    ]
    page = client.get(reverse("contracts:vault-log", args=[contract.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("Read") >= 3
    assert "S3cr3t" not in page.content.decode()


def test_revealing_needs_a_post(client: Client, entry: VaultEntry, buyer: User) -> None:
    client.force_login(buyer)
    assert client.get(reverse("contracts:vault-reveal", args=[entry.pk])).status_code == 405
    assert _reads() == []


def test_the_freelancer_cannot_add_change_or_delete(
    client: Client, contract: Contract, entry: VaultEntry, rahim: User
) -> None:
    before = _snapshot()
    body = _problem(
        _send(client, "post", f"/api/v1/contracts/{contract.pk}/vault", rahim, {"label": "x", "secret": "y"}),
        403,
    )
    assert "Only the buyer" in body["detail"]
    _problem(_send(client, "patch", f"/api/v1/vault/{entry.pk}", rahim, {"secret": "hijacked"}), 403)
    _problem(_send(client, "delete", f"/api/v1/vault/{entry.pk}", rahim), 403)

    client.force_login(rahim)
    assert client.get(reverse("contracts:vault-add", args=[contract.pk])).status_code == 403
    assert (
        client.post(
            reverse("contracts:vault-add", args=[contract.pk]), {"label": "x", "secret": "y"}
        ).status_code
        == 403
    )
    assert client.post(reverse("contracts:vault-edit", args=[entry.pk]), {"label": "x"}).status_code == 403
    assert client.post(reverse("contracts:vault-delete", args=[entry.pk])).status_code == 403
    assert _snapshot() == before
    assert vault.decrypt(VaultEntry.objects.get(pk=entry.pk).ciphertext) == SECRET


def test_a_third_user_gets_404_on_every_vault_page_and_call(
    client: Client, contract: Contract, entry: VaultEntry, mallory: User
) -> None:
    before = _snapshot()
    calls: list[tuple[str, str, object]] = [
        ("get", f"/api/v1/contracts/{contract.pk}/vault", None),
        ("post", f"/api/v1/contracts/{contract.pk}/vault", {"label": "x", "secret": "y"}),
        ("get", f"/api/v1/vault/{entry.pk}", None),
        ("patch", f"/api/v1/vault/{entry.pk}", {"label": "x"}),
        ("delete", f"/api/v1/vault/{entry.pk}", None),
    ]
    for method, path, body in calls:
        _problem(_send(client, method, path, mallory, body), 404)

    client.force_login(mallory)
    pages: list[tuple[str, str, int]] = [
        ("get", "contracts:vault", contract.pk),
        ("get", "contracts:vault-log", contract.pk),
        ("get", "contracts:vault-add", contract.pk),
        ("post", "contracts:vault-add", contract.pk),
        ("post", "contracts:vault-reveal", entry.pk),
        ("get", "contracts:vault-edit", entry.pk),
        ("post", "contracts:vault-edit", entry.pk),
        ("get", "contracts:vault-delete", entry.pk),
        ("post", "contracts:vault-delete", entry.pk),
    ]
    for method, name, pk in pages:
        response = getattr(client, method)(
            reverse(name, args=[pk]), *([{"label": "x", "secret": "y"}] * (method == "post"))
        )
        assert response.status_code == 404, (method, name)
        assert "S3cr3t" not in response.content.decode()
    assert _snapshot() == before


# --- After the contract ends ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [ContractStatus.COMPLETED, ContractStatus.CANCELLED, ContractStatus.DISPUTED]
)
def test_once_the_contract_ends_nobody_reads_but_the_log_stays(
    client: Client, contract: Contract, entry: VaultEntry, buyer: User, rahim: User, status: str
) -> None:
    vault.read_entry(user=rahim, entry_id=entry.pk)
    _set_status(contract, status)
    before = _snapshot()

    for user in (buyer, rahim):
        body = _problem(_send(client, "get", f"/api/v1/vault/{entry.pk}", user), 409)
        assert "vault is closed" in body["detail"]
        assert "S3cr3t" not in json.dumps(body)
        listing = _send(client, "get", f"/api/v1/contracts/{contract.pk}/vault", user).json()
        assert listing["open"] is False
        assert "vault is closed" in listing["closed_reason"]
        assert listing["entries"] == []
        assert listing["can_edit"] is False
        assert [row["action"] for row in listing["log"]] == ["create", "read"]

        client.force_login(user)
        page = client.post(reverse("contracts:vault-reveal", args=[entry.pk]))
        assert page.status_code == 409
        assert "vault is closed" in page.content.decode()
        assert "S3cr3t" not in page.content.decode()
        page = client.get(reverse("contracts:vault", args=[contract.pk]))
        assert page.status_code == 200
        assert "vault is closed" in page.content.decode()
        assert "Reveal" not in page.content.decode()

    _problem(
        _send(client, "post", f"/api/v1/contracts/{contract.pk}/vault", buyer, {"label": "x", "secret": "y"}),
        409,
    )
    _problem(_send(client, "patch", f"/api/v1/vault/{entry.pk}", buyer, {"secret": "new"}), 409)
    client.force_login(buyer)
    assert (
        client.post(
            reverse("contracts:vault-add", args=[contract.pk]), {"label": "x", "secret": "y"}
        ).status_code
        == 409
    )
    assert client.post(reverse("contracts:vault-edit", args=[entry.pk]), {"label": "x"}).status_code == 409
    assert _snapshot() == before

    # The buyer may still wipe the secret; the log keeps a record of it.
    assert _send(client, "delete", f"/api/v1/vault/{entry.pk}", buyer).status_code == 204
    assert VaultEntry.objects.get(pk=entry.pk).ciphertext == ""
    assert list(VaultAccess.objects.order_by("pk").values_list("action", flat=True)) == [
        "create",
        "read",
        "delete",
    ]


def test_a_contract_awaiting_funding_has_an_open_vault(
    contract: Contract, entry: VaultEntry, rahim: User
) -> None:
    assert contract.status == ContractStatus.AWAITING_FUNDING
    assert vault.read_entry(user=rahim, entry_id=entry.pk) == SECRET
    _set_status(contract, ContractStatus.ACTIVE)
    assert vault.read_entry(user=rahim, entry_id=entry.pk) == SECRET


# --- Changing and deleting -------------------------------------------------------------------------------------


def test_the_buyer_changes_and_deletes_and_the_log_keeps_it_all(
    client: Client, contract: Contract, entry: VaultEntry, buyer: User, rahim: User
) -> None:
    response = _send(client, "patch", f"/api/v1/vault/{entry.pk}", buyer, {"label": "Staging DB"})
    assert response.status_code == 200, response.content
    assert response.json()["label"] == "Staging DB"
    assert vault.read_entry(user=rahim, entry_id=entry.pk) == SECRET  # the secret is kept

    response = _send(client, "patch", f"/api/v1/vault/{entry.pk}", buyer, {"secret": "new-password"})
    assert response.status_code == 200
    assert _send(client, "get", f"/api/v1/vault/{entry.pk}", rahim).json()["secret"] == "new-password"

    assert _send(client, "delete", f"/api/v1/vault/{entry.pk}", buyer).status_code == 204
    stored = VaultEntry.objects.get(pk=entry.pk)
    assert stored.ciphertext == ""
    _problem(_send(client, "get", f"/api/v1/vault/{entry.pk}", rahim), 404)
    _problem(_send(client, "delete", f"/api/v1/vault/{entry.pk}", buyer), 404)
    listing = _send(client, "get", f"/api/v1/contracts/{contract.pk}/vault", rahim).json()
    assert listing["entries"] == []
    assert [row["action"] for row in listing["log"]] == [
        "create",
        "update",
        "read",
        "update",
        "read",
        "delete",
    ]
    assert all(row["label"] == "Staging DB" for row in listing["log"])


def test_the_buyer_adds_edits_and_deletes_through_the_pages(
    client: Client, contract: Contract, buyer: User, rahim: User
) -> None:
    client.force_login(buyer)
    page = client.get(reverse("contracts:vault-add", args=[contract.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("contracts:vault-add", args=[contract.pk]), {"label": "SSH", "secret": "  hunter2  "}
    )
    assert response.status_code == 302
    entry = VaultEntry.objects.get(contract=contract)
    assert vault.read_entry(user=rahim, entry_id=entry.pk) == "  hunter2  "  # kept exactly
    listing = client.get(response["Location"])
    assert "“SSH” was stored in the vault." in listing.content.decode()

    edit = client.get(reverse("contracts:vault-edit", args=[entry.pk]))
    assert edit.status_code == 200
    assert "hunter2" not in edit.content.decode()  # editing never shows the secret
    response = client.post(
        reverse("contracts:vault-edit", args=[entry.pk]), {"label": "SSH (prod)", "secret": ""}
    )
    assert response.status_code == 302
    assert vault.read_entry(user=rahim, entry_id=entry.pk) == "  hunter2  "
    response = client.post(
        reverse("contracts:vault-edit", args=[entry.pk]), {"label": "SSH (prod)", "secret": "x9"}
    )
    assert response.status_code == 302
    assert vault.read_entry(user=rahim, entry_id=entry.pk) == "x9"

    confirm = client.get(reverse("contracts:vault-delete", args=[entry.pk]))
    assert "SSH (prod)" in confirm.content.decode()
    response = client.post(reverse("contracts:vault-delete", args=[entry.pk]))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "was deleted from the vault" in html
    assert reverse("contracts:vault-reveal", args=[entry.pk]) not in html
    assert client.post(reverse("contracts:vault-reveal", args=[entry.pk])).status_code == 404
    assert list(VaultAccess.objects.order_by("pk").values_list("action", flat=True)) == [
        "create",
        "read",
        "update",
        "read",
        "update",
        "read",
        "delete",
    ]


# --- Bad input and a wrong key ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "secret", "field"),
    [
        ("", SECRET, "label"),
        ("   ", SECRET, "label"),
        ("x" * 121, SECRET, "label"),
        ("two\nlines", SECRET, "label"),
        ("Database", "", "secret"),
        ("Database", "   \n ", "secret"),
        ("Database", "x" * 10_001, "secret"),
    ],
)
def test_bad_input_changes_nothing(
    client: Client, contract: Contract, entry: VaultEntry, buyer: User, label: str, secret: str, field: str
) -> None:
    before = _snapshot()
    body = _problem(
        _send(
            client,
            "post",
            f"/api/v1/contracts/{contract.pk}/vault",
            buyer,
            {"label": label, "secret": secret},
        ),
        422,
    )
    assert field in _fields(body)
    patch = {field: label if field == "label" else secret}
    body = _problem(_send(client, "patch", f"/api/v1/vault/{entry.pk}", buyer, patch), 422)
    assert field in _fields(body)

    client.force_login(buyer)
    page = client.post(reverse("contracts:vault-add", args=[contract.pk]), {"label": label, "secret": secret})
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()

    assert _snapshot() == before
    assert vault.decrypt(VaultEntry.objects.get(pk=entry.pk).ciphertext) == SECRET
    assert ledger_selectors.verify().ok


def test_an_empty_change_is_refused(client: Client, entry: VaultEntry, buyer: User) -> None:
    before = _snapshot()
    body = _problem(_send(client, "patch", f"/api/v1/vault/{entry.pk}", buyer, {}), 422)
    assert "Nothing to change" in body["detail"]
    assert _snapshot() == before


def test_a_full_vault_refuses_more(contract: Contract, buyer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "MAX_ENTRIES", 2)
    for n in range(2):
        vault.add_entry(user=buyer, contract_id=contract.pk, label=f"Entry {n}", secret="s")
    before = _snapshot()
    with pytest.raises(vault.ValidationError) as caught:
        vault.add_entry(user=buyer, contract_id=contract.pk, label="One more", secret="s")
    assert "at most 2 secrets" in str(caught.value)
    assert _snapshot() == before


@pytest.mark.parametrize("key", [Fernet.generate_key().decode(), "not a fernet key"])
def test_a_wrong_key_gives_a_clear_error_not_a_500(
    client: Client, settings: Any, entry: VaultEntry, buyer: User, rahim: User, key: str
) -> None:
    settings.HAAT_VAULT_KEY = key
    before = _snapshot()
    body = _problem(_send(client, "get", f"/api/v1/vault/{entry.pk}", rahim), 503)
    assert "cannot be decrypted" in body["detail"]
    assert "HAAT_VAULT_KEY" in body["detail"]

    client.force_login(buyer)
    page = client.post(reverse("contracts:vault-reveal", args=[entry.pk]))
    assert page.status_code == 503
    assert "cannot be decrypted" in page.content.decode()
    assert "S3cr3t" not in page.content.decode()
    assert _snapshot() == before  # nothing was read, so nothing is logged


# --- On a phone ---------------------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_buyer_stores_and_the_freelancer_reveals(
    live_server: Any, page: Any, browser: Any, output_dir: Any
) -> None:
    from playwright.sync_api import expect

    from haat.conftest import PASSWORD, PHONE

    buyer = make_user("buyer@example.com")
    rahim = freelancer("rahim@example.com", "Rahim")
    bid = bid_on(make_job(buyer), rahim)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=rahim, bid_id=bid.pk)
    base = live_server.url

    def log_in(p: Any, email: str) -> None:
        p.goto(base + "/accounts/login/")
        p.get_by_label("Email").fill(email)
        p.get_by_label("Password").fill(PASSWORD)
        p.locator("main").get_by_role("button", name="Sign In").click()
        expect(p.get_by_role("heading", level=1)).to_contain_text("Welcome")

    def fits(p: Any) -> None:
        assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    log_in(page, "buyer@example.com")
    page.goto(base + reverse("contracts:contract-detail", args=[contract.pk]))
    page.get_by_role("link", name="Add a secret").click()
    page.get_by_label("Label").fill("Production database")
    page.get_by_label("Secret").fill(SECRET)
    page.get_by_role("button", name="Store encrypted").click()
    expect(page.locator("main")).to_contain_text("“Production database” was stored in the vault.")
    fits(page)
    page.screenshot(path=output_dir / "vault-buyer-phone.png", full_page=True)

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    other = context.new_page()
    try:
        log_in(other, "rahim@example.com")
        other.goto(base + reverse("contracts:vault", args=[contract.pk]))
        expect(other.get_by_role("link", name="Add a secret")).to_have_count(0)
        other.get_by_role("button", name="Reveal Production database").click()
        expect(other.locator("#vault-secret")).to_have_value(SECRET)
        fits(other)
        other.screenshot(path=output_dir / "vault-reveal-phone.png", full_page=True)
        other.get_by_role("link", name="Back to the vault").click()
        expect(other.locator("main table").last).to_contain_text("Read")
    finally:
        context.close()
    assert _reads() == [(rahim.pk, "127.0.0.1")]
