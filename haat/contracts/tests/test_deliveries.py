"""Delivered work: the zip check (a hostile corpus built here), storing versions with their sha256, the file
list and the download, for the contract's two parties only.

Every refusal is checked twice: a clear message keyed ``file`` (or ``note``), and nothing stored (no row, no
file in storage).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import stat
import struct
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_user
from haat.contracts import deliveries, zipcheck
from haat.contracts.models import Contract, Delivery, Milestone, MilestoneStatus
from haat.ledger import selectors as ledger_selectors

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


# --- Helpers ----------------------------------------------------------------------------------------------------


def _contract() -> Contract:
    buyer = make_user("rahim.buyer@example.com")
    worker = freelancer("karim.dev@example.com", "Karim")
    job = make_job(buyer)
    bid = bid_on(job, worker)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    return bid_services.accept_award(freelancer=worker, bid_id=bid.pk)


@pytest.fixture
def contract() -> Contract:
    return _contract()


@pytest.fixture
def milestone(contract: Contract) -> Milestone:
    # The award may already have created the default milestone (one for the whole price); reuse it.
    values = {
        "title": "The whole shop",
        "amount": contract.price,
        "due_at": timezone.now() + dt.timedelta(days=5),
        "status": MilestoneStatus.FUNDED,
        "funded_at": timezone.now(),
    }
    found, _created = Milestone.objects.update_or_create(contract=contract, position=1, defaults=values)
    return found


def _zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD_FILES = {
    "shop/README.md": b"# Shop\n\nRun `make`.\n",
    "shop/app.py": b"print('hello')\n" * 40,
    "shop/static/": b"",
    "shop/static/logo.png": bytes(range(256)) * 8,
    "প্রকল্প/নোট.txt": "বাংলা লেখা".encode(),
}


def _good_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in GOOD_FILES.items():
            if name.endswith("/"):
                archive.mkdir(name.rstrip("/"))
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def _upload(data: bytes, name: str = "work.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def _stored_files(tmp_path: Path) -> list[Path]:
    media = tmp_path / "media"
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _refused(milestone: Milestone, tmp_path: Path, data: bytes, *, name: str = "work.zip") -> str:
    """Upload ``data``; assert it is refused with a message keyed ``file`` and nothing is stored."""
    with pytest.raises(ValidationError) as caught:
        deliveries.store_delivery(milestone=milestone, upload=_upload(data, name), note="Here it is.")
    errors = caught.value.message_dict
    assert list(errors) == ["file"]
    assert Delivery.objects.count() == 0
    assert _stored_files(tmp_path) == []
    assert ledger_selectors.verify().ok
    return errors["file"][0]


def _patch_flags(data: bytes, bits: int) -> bytes:
    """Set general-purpose flag bits on every local and central header (zipfile writes them cleared)."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = raw.find(signature)
        while start != -1:
            (flags,) = struct.unpack_from("<H", raw, start + offset)
            struct.pack_into("<H", raw, start + offset, flags | bits)
            start = raw.find(signature, start + 4)
    return bytes(raw)


def _bomb(size: int = 10 * 1024 * 1024) -> bytes:
    return _zip({"zeros.bin": b"\0" * size})


# --- The hostile corpus -----------------------------------------------------------------------------------------


def test_high_ratio_zip_bomb_is_refused(milestone: Milestone, tmp_path: Path) -> None:
    data = _bomb()
    assert len(data) < 20_000  # 10 MiB of zeros in a few kilobytes
    assert "zip bomb" in _refused(milestone, tmp_path, data)


def test_bomb_spread_over_many_small_entries_is_refused_by_the_total_ratio(
    milestone: Milestone, tmp_path: Path
) -> None:
    # Each entry stays under the per-entry floor; together they expand far beyond the archive's size.
    data = _zip({f"part{i}.bin": b"\0" * 60_000 for i in range(200)})
    assert "zip bomb" in _refused(milestone, tmp_path, data)


def test_total_uncompressed_size_limit(milestone: Milestone, tmp_path: Path, settings: Any) -> None:
    settings.HAAT_DELIVERY_MAX_UNCOMPRESSED = 10_000
    data = _zip({"a.bin": bytes(range(256)) * 30, "b.bin": bytes(range(256)) * 30}, zipfile.ZIP_STORED)
    message = _refused(milestone, tmp_path, data)
    assert "when unpacked" in message
    assert "15.0\u00a0KB when unpacked; the limit is 9.8\u00a0KB" in message


def test_nested_zip_bomb_is_refused_without_recursing(milestone: Milestone, tmp_path: Path) -> None:
    data = _zip({"inner/archive.zip": _bomb(), "readme.txt": b"see the archive"}, zipfile.ZIP_STORED)
    message = _refused(milestone, tmp_path, data)
    assert "inner/archive.zip" in message
    assert "zip bomb" in message


def test_harmless_nested_zip_is_one_entry(milestone: Milestone) -> None:
    inner = _zip({"a.txt": b"a", "b.txt": b"b", "c.txt": b"c"})
    delivery = deliveries.store_delivery(
        milestone=milestone, upload=_upload(_zip({"vendor.zip": inner, "main.py": b"pass\n"})), note=""
    )
    assert delivery.entry_count == 2
    assert [entry.name for entry in deliveries.list_files(delivery)] == ["vendor.zip", "main.py"]


def test_overlapping_entries_are_refused(milestone: Milestone, tmp_path: Path) -> None:
    raw = bytearray(_zip({"a.txt": b"x" * 500, "b.txt": b"y" * 500}, zipfile.ZIP_STORED))
    # Point the second central-directory record at the first entry's bytes (the trick of overlap bombs).
    second = raw.find(b"PK\x01\x02", raw.find(b"PK\x01\x02") + 4)
    struct.pack_into("<I", raw, second + 42, 0)
    assert "zip bomb" in _refused(milestone, tmp_path, bytes(raw))


def test_too_many_entries_at_the_default_limit(milestone: Milestone, tmp_path: Path, settings: Any) -> None:
    count = settings.HAAT_DELIVERY_MAX_ENTRIES + 1
    data = _zip({f"f{i}.txt": b"" for i in range(count)}, zipfile.ZIP_STORED)
    message = _refused(milestone, tmp_path, data)
    assert f"{count} entries" in message
    assert str(settings.HAAT_DELIVERY_MAX_ENTRIES) in message


def test_entry_limit_is_a_setting(milestone: Milestone, tmp_path: Path, settings: Any) -> None:
    settings.HAAT_DELIVERY_MAX_ENTRIES = 3
    assert "4 entries" in _refused(milestone, tmp_path, _zip({f"{i}.txt": b"x" for i in range(4)}))
    delivery = deliveries.store_delivery(
        milestone=milestone, upload=_upload(_zip({f"{i}.txt": b"x" for i in range(3)})), note=""
    )
    assert delivery.entry_count == 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../evil", "leaves its folder"),
        ("docs/../../evil", "leaves its folder"),
        ("/etc/passwd", "absolute path"),
        ("C:\\evil", "backslashes"),
        ("C:/evil", "drive letter"),
        ("a\\..\\b", "backslashes"),
        ("./hidden", "leaves its folder"),
        ("a//b", "empty folder name"),
    ],
)
def test_zip_slip_paths_are_refused(milestone: Milestone, tmp_path: Path, name: str, expected: str) -> None:
    message = _refused(milestone, tmp_path, _zip({"ok.txt": b"fine", name: b"owned"}))
    assert expected in message


def test_symlink_entry_is_refused(milestone: Milestone, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", b"<p>hi</p>")
        link = zipfile.ZipInfo("config")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    message = _refused(milestone, tmp_path, buffer.getvalue())
    assert "symbolic link" in message
    assert "config" in message


def test_device_entry_is_refused(milestone: Milestone, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        fifo = zipfile.ZipInfo("pipe")
        fifo.create_system = 3
        fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
        archive.writestr(fifo, b"")
    assert "not a file or a folder" in _refused(milestone, tmp_path, buffer.getvalue())


def test_truncated_zip_is_refused(milestone: Milestone, tmp_path: Path) -> None:
    data = _good_zip()
    assert "not a readable zip" in _refused(milestone, tmp_path, data[: len(data) // 2])


def test_corrupted_contents_are_refused_by_the_crc_check(milestone: Milestone, tmp_path: Path) -> None:
    raw = bytearray(_zip({"data.txt": b"hello world, " * 50}, zipfile.ZIP_STORED))
    at = raw.find(b"hello world")
    raw[at : at + 5] = b"HELLO"
    assert "damaged or incomplete" in _refused(milestone, tmp_path, bytes(raw))


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", b"", b"PK\x03\x04 not really a zip"],
    ids=["pdf", "empty", "fake-signature"],
)
def test_non_zip_named_zip_is_refused(milestone: Milestone, tmp_path: Path, data: bytes) -> None:
    assert "not a readable zip" in _refused(milestone, tmp_path, data, name="work.zip")


def test_empty_zip_is_refused(milestone: Milestone, tmp_path: Path) -> None:
    assert "empty" in _refused(milestone, tmp_path, _zip({}))


@pytest.mark.parametrize("bits", [0x1, 0x40], ids=["pkware", "strong"])
def test_encrypted_entry_is_refused(milestone: Milestone, tmp_path: Path, bits: int) -> None:
    data = _patch_flags(_zip({"secret.txt": b"top secret"}, zipfile.ZIP_STORED), bits)
    message = _refused(milestone, tmp_path, data)
    assert "encrypted" in message
    assert "secret.txt" in message


@pytest.mark.parametrize(
    "name", ["bell\x07.txt", "new\nline.txt", "del\x7f.txt", "invoice\u202etxt.exe", "c1\x85.txt"]
)
def test_control_characters_in_names_are_refused(milestone: Milestone, tmp_path: Path, name: str) -> None:
    message = _refused(milestone, tmp_path, _zip({name: b"x"}))
    assert "control characters" in message
    assert "\\u" in message  # shown escaped, never raw


def test_duplicate_names_are_refused(milestone: Milestone, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate it writes
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("index.html", b"first")
            archive.writestr("index.html", b"second")
    assert "same name" in _refused(milestone, tmp_path, buffer.getvalue())


def test_oversized_file_is_refused(milestone: Milestone, tmp_path: Path, settings: Any) -> None:
    settings.HAAT_DELIVERY_MAX_BYTES = 200
    data = _good_zip()
    assert len(data) > 200
    message = _refused(milestone, tmp_path, data)
    assert "the limit is 200" in message


def test_long_note_is_refused_before_anything_is_stored(milestone: Milestone, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        deliveries.store_delivery(milestone=milestone, upload=_upload(_good_zip()), note="x" * 5001)
    assert list(caught.value.message_dict) == ["note"]
    assert "5000" in caught.value.message_dict["note"][0]
    assert Delivery.objects.count() == 0
    assert _stored_files(tmp_path) == []


def test_zipcheck_report_lists_entries() -> None:
    report = zipcheck.check_zip(io.BytesIO(_good_zip()))
    assert report.count == len(GOOD_FILES)
    assert report.total_size == sum(len(data) for data in GOOD_FILES.values())
    names = {entry.name: entry for entry in report.entries}
    assert set(names) == set(GOOD_FILES)
    assert names["shop/static/"].is_dir
    assert names["shop/app.py"].size == len(GOOD_FILES["shop/app.py"])
    assert names["shop/app.py"].compressed_size < names["shop/app.py"].size


# --- Storing versions -------------------------------------------------------------------------------------------


def test_good_zip_is_stored_with_its_sha256(milestone: Milestone, tmp_path: Path) -> None:
    data = _good_zip()
    delivery = deliveries.store_delivery(
        milestone=milestone, upload=_upload(data, "C:\\Users\\karim\\shop final.zip"), note="First cut."
    )
    delivery.refresh_from_db()
    assert delivery.version == 1
    assert delivery.sha256 == hashlib.sha256(data).hexdigest()
    assert delivery.size == len(data)
    assert delivery.entry_count == len(GOOD_FILES)
    assert delivery.uncompressed_size == sum(len(d) for d in GOOD_FILES.values())
    assert delivery.note == "First cut."
    assert delivery.original_name == "shop final.zip"
    assert delivery.is_late is False
    stored = _stored_files(tmp_path)
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    assert stored[0].parent.name == str(milestone.contract_id)
    assert [entry.name for entry in deliveries.list_files(delivery)] == list(GOOD_FILES)
    assert ledger_selectors.verify().ok


def test_versions_count_up_and_late_flag_follows_the_due_date(milestone: Milestone, tmp_path: Path) -> None:
    first = deliveries.store_delivery(milestone=milestone, upload=_upload(_good_zip()), note="")
    second = deliveries.store_delivery(
        milestone=milestone, upload=_upload(_zip({"fix.py": b"fixed = True\n"})), note="Fixed the cart."
    )
    # A refusal in between takes no version number.
    with pytest.raises(ValidationError):
        deliveries.store_delivery(milestone=milestone, upload=_upload(b"not a zip"), note="")
    Milestone.objects.filter(pk=milestone.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    milestone.refresh_from_db()
    third = deliveries.store_delivery(milestone=milestone, upload=_upload(_zip({"v3.txt": b"3"})), note="")
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert [first.is_late, second.is_late, third.is_late] == [False, False, True]
    assert len(_stored_files(tmp_path)) == 3
    assert len({d.file.name for d in Delivery.objects.all()}) == 3
    # Versions are per milestone.
    other = Milestone.objects.create(
        contract=milestone.contract, position=9, title="Extras", amount=1000, due_at=timezone.now()
    )
    assert deliveries.store_delivery(milestone=other, upload=_upload(_good_zip()), note="").version == 1


# --- Pages and API ----------------------------------------------------------------------------------------------


def _bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


@pytest.fixture
def delivered(milestone: Milestone) -> Delivery:
    return deliveries.store_delivery(
        milestone=milestone, upload=_upload(_good_zip(), "shop.zip"), note="Done!"
    )


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_contract_page_lists_every_version(client: Client, delivered: Delivery, milestone: Milestone) -> None:
    late = deliveries.store_delivery(milestone=milestone, upload=_upload(_zip({"a.txt": b"a"})), note="v2")
    Delivery.objects.filter(pk=late.pk).update(is_late=True)
    contract = milestone.contract
    for party in (contract.buyer, contract.freelancer):
        client.force_login(party)
        page = client.get(reverse("contracts:contract-detail", args=[contract.pk])).content.decode()
        assert "v1" in page
        assert "v2" in page
        assert delivered.sha256[:12] in page
        assert "Done!" in page
        assert "late" in page
        assert reverse("contracts:delivery-detail", args=[delivered.pk]) in page
        assert reverse("contracts:delivery-download", args=[late.pk]) in page


def test_parties_see_the_file_list_page(client: Client, delivered: Delivery) -> None:
    contract = delivered.milestone.contract
    for party in (contract.buyer, contract.freelancer):
        client.force_login(party)
        response = client.get(reverse("contracts:delivery-detail", args=[delivered.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "shop/app.py" in page
        assert "প্রকল্প/নোট.txt" in page
        assert delivered.sha256 in page
        assert "4 files in the zip" in page


def test_parties_download_the_zip_as_an_attachment(client: Client, delivered: Delivery) -> None:
    contract = delivered.milestone.contract
    for party in (contract.buyer, contract.freelancer):
        client.force_login(party)
        response = client.get(reverse("contracts:delivery-download", args=[delivered.pk]))
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/zip"
        assert response["Content-Disposition"] == (
            f'attachment; filename="contract-{contract.pk}-milestone-1-v1-shop.zip"'
        )
        assert hashlib.sha256(_body(response)).hexdigest() == delivered.sha256


def test_others_get_404_on_pages(client: Client, delivered: Delivery) -> None:
    client.force_login(make_user("stranger@example.com"))
    for name in ("contracts:delivery-detail", "contracts:delivery-download"):
        assert client.get(reverse(name, args=[delivered.pk])).status_code == 404
        assert client.get(reverse(name, args=[delivered.pk + 1000])).status_code == 404
    client.logout()
    response = client.get(reverse("contracts:delivery-download", args=[delivered.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_api_lists_and_shows_deliveries_to_parties(client: Client, delivered: Delivery) -> None:
    milestone = delivered.milestone
    contract = milestone.contract
    for party in (contract.buyer, contract.freelancer):
        headers = _bearer(party)
        listing = client.get(f"/api/v1/milestones/{milestone.pk}/deliveries", **headers)
        assert listing.status_code == 200, listing.content
        items = listing.json()["items"]
        assert [(i["version"], i["sha256"], i["is_late"]) for i in items] == [(1, delivered.sha256, False)]
        assert items[0]["download_url"] == f"/api/v1/deliveries/{delivered.pk}/download"
        detail = client.get(f"/api/v1/deliveries/{delivered.pk}", **headers)
        assert detail.status_code == 200
        body = detail.json()
        assert body["note"] == "Done!"
        assert body["contract_id"] == contract.pk
        files = {f["name"]: f for f in body["files"]}
        assert set(files) == set(GOOD_FILES)
        assert files["shop/README.md"]["size"] == len(GOOD_FILES["shop/README.md"])
        assert files["shop/static/"]["is_dir"] is True
        download = client.get(f"/api/v1/deliveries/{delivered.pk}/download", **headers)
        assert download.status_code == 200
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Disposition"].startswith("attachment; ")
        assert hashlib.sha256(_body(download)).hexdigest() == delivered.sha256


def test_api_answers_404_to_others(client: Client, delivered: Delivery) -> None:
    headers = _bearer(make_user("stranger@example.com"))
    for path in (
        f"/api/v1/milestones/{delivered.milestone_id}/deliveries",
        f"/api/v1/deliveries/{delivered.pk}",
        f"/api/v1/deliveries/{delivered.pk}/download",
        "/api/v1/deliveries/0",
        "/api/v1/milestones/99999999999999999999/deliveries",
    ):
        response = client.get(path, **headers)
        assert response.status_code in (404, 422), (path, response.content)
        assert response["Content-Type"] == PROBLEM
    assert client.get(f"/api/v1/deliveries/{delivered.pk}").status_code == 401


def test_deliver_through_the_api_checks_the_zip_and_lists_it(
    client: Client, milestone: Milestone, tmp_path: Path
) -> None:
    """POST (the milestone's deliver transition) and GET share the path; a bomb is refused there too."""
    contract = milestone.contract
    path = f"/api/v1/milestones/{milestone.pk}/deliveries"
    headers = _bearer(contract.freelancer)
    refused = client.post(path, {"file": _upload(_bomb(), "bomb.zip"), "note": "x"}, **headers)
    assert refused.status_code == 422, refused.content
    assert refused["Content-Type"] == PROBLEM
    assert {e["field"] for e in refused.json()["errors"]} == {"file"}
    assert "zip bomb" in refused.json()["detail"]
    assert Delivery.objects.count() == 0
    assert _stored_files(tmp_path) == []
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED
    data = _good_zip()
    created = client.post(path, {"file": _upload(data, "shop.zip"), "note": "All done."}, **headers)
    assert created.status_code == 201, created.content
    listing = client.get(path, **_bearer(contract.buyer)).json()["items"]
    assert [(i["version"], i["sha256"], i["note"]) for i in listing] == [
        (1, hashlib.sha256(data).hexdigest(), "All done.")
    ]
    assert ledger_selectors.verify().ok


def test_nested_zip_bomb_is_found_by_its_signature_whatever_its_name(
    milestone: Milestone, tmp_path: Path
) -> None:
    data = _zip({"photos/holiday.jpg": _bomb()}, zipfile.ZIP_STORED)
    assert "photos/holiday.jpg" in _refused(milestone, tmp_path, data)


def test_contract_deliveries_api(client: Client, delivered: Delivery) -> None:
    milestone = delivered.milestone
    second = deliveries.store_delivery(milestone=milestone, upload=_upload(_zip({"b.txt": b"b"})), note="")
    path = f"/api/v1/contracts/{milestone.contract_id}/deliveries"
    body = client.get(path, **_bearer(milestone.contract.buyer)).json()
    assert [(i["id"], i["version"]) for i in body["items"]] == [(delivered.pk, 1), (second.pk, 2)]
    other = client.get(path, **_bearer(make_user("stranger@example.com")))
    assert other.status_code == 404
    assert other["Content-Type"] == PROBLEM
