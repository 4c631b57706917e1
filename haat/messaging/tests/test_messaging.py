"""Interviews: threads between a job's buyer and its bidders, messages with files and edits, contact-detail
flags before the award, unread counts, e-mail notifications, the pages and the API.

Every refusal is checked twice: a clear error, and the rows exactly as they were.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import Profile, User
from haat.bids.models import Bid, BidStatus
from haat.conftest import make_user
from haat.contracts.models import Contract
from haat.jobs.models import Category, Job, JobStatus
from haat.messaging import contact, selectors, services
from haat.messaging.contact import ContactKind
from haat.messaging.models import Message, MessageAttachment, MessageRevision, ReadState, Thread, ThreadKind

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


# --- Helpers --------------------------------------------------------------------------------------------------


def _category() -> Category:
    category = Category.objects.order_by("pk").first()
    assert category is not None, "the catalogue migration loads the categories"
    return category


def _job(buyer: User, title: str = "Build a Django shop") -> Job:
    now = timezone.now()
    return Job.objects.create(
        buyer=buyer,
        title=title,
        description="A shop with **bKash** checkout.",
        category=_category(),
        budget_min=10_000,
        budget_max=50_000,
        currency="USD",
        deadline=now + timedelta(days=30),
        bidding_closes_at=now + timedelta(days=7),
        status=JobStatus.OPEN,
        published_at=now,
    )


def _bid(job: Job, freelancer: User, status: str = BidStatus.LIVE) -> Bid:
    return Bid.objects.create(
        job=job,
        freelancer=freelancer,
        amount=20_000,
        delivery_days=10,
        proposal="I can do it.",
        status=status,
    )


def _named(email: str, name: str, language: str = "en") -> User:
    person = make_user(email)
    Profile.objects.filter(user=person).update(display_name=name, language=language)
    return User.objects.get(pk=person.pk)


def _bearer(user: User) -> dict[str, str]:
    secret = account_services.create_api_token(user=user, name="test").secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def _rows() -> tuple[object, ...]:
    """Everything messaging stores, to assert that a refused request changed nothing."""
    return (
        list(
            Thread.objects.order_by("pk").values_list(
                "pk", "kind", "job_id", "freelancer_id", "last_message_at"
            )
        ),
        list(Message.objects.order_by("pk").values_list("pk", "body", "edited_at", "contact_flags")),
        list(MessageRevision.objects.order_by("pk").values_list("pk", "body")),
        list(MessageAttachment.objects.order_by("pk").values_list("pk", "original_name")),
        list(ReadState.objects.order_by("pk").values_list("pk", "last_read_at")),
    )


def _file(name: str = "brief.pdf", content: bytes = b"%PDF-1.4 hello") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def buyer(db: None) -> User:
    return _named("karim@example.com", "Karim Traders")


@pytest.fixture
def freelancer(db: None) -> User:
    return _named("nusrat@example.com", "Nusrat Jahan", language="bn")


@pytest.fixture
def stranger(db: None) -> User:
    return _named("stranger@example.com", "Someone Else")


@pytest.fixture
def job(buyer: User) -> Job:
    return _job(buyer)


@pytest.fixture
def thread(job: Job, buyer: User, freelancer: User) -> Thread:
    _bid(job, freelancer)
    thread, created = services.start_interview(user=buyer, job_id=job.pk, freelancer_id=freelancer.pk)
    assert created
    return thread


def _client(user: User) -> Client:
    """A browser for ``user`` that reads pages in English (the page-text assertions are English), whatever
    language the user's profile keeps for e-mails; the Bengali page test sets its own cookie."""
    client = Client()
    client.force_login(user)
    client.cookies["haat_language"] = "en"
    return client


# --- Contact details ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Mail me at rahim.dev@gmail.com please", [ContactKind.EMAIL]),
        ("rahim (at) gmail (dot) com", [ContactKind.EMAIL]),
        ("rahim at gmail dot com", [ContactKind.EMAIL]),
        ("rahim [at] example.com", [ContactKind.EMAIL]),
        ("Call 01712-345678 after six", [ContactKind.PHONE]),
        ("+880 1712 345678", [ContactKind.PHONE]),
        ("8801712345678", [ContactKind.PHONE]),
        ("০১৭১২-৩৪৫৬৭৮ নম্বরে ফোন দিন", [ContactKind.PHONE]),
        ("+৮৮০ ১৭১২ ৩৪৫৬৭৮", [ContactKind.PHONE]),
        ("+44 20 7946 0958", [ContactKind.PHONE]),
        ("(555) 123-4567", [ContactKind.PHONE]),
        ("wa.me/8801712345678", [ContactKind.PHONE, ContactKind.MESSENGER]),
        ("Let's talk on WhatsApp", [ContactKind.MESSENGER]),
        ("https://t.me/rahim_dev", [ContactKind.MESSENGER]),
        ("I am on Telegram", [ContactKind.MESSENGER]),
        ("my skype: rahim.dev", [ContactKind.MESSENGER]),
        ("live:.cid.8f3a2b", [ContactKind.MESSENGER]),
        ("m.me/rahim.dev", [ContactKind.MESSENGER]),
        ("write on Facebook Messenger", [ContactKind.MESSENGER]),
        ("viber me", [ContactKind.MESSENGER]),
        ("imo id rahim", [ContactKind.MESSENGER]),
        ("imo 01712", [ContactKind.MESSENGER]),
        ("হোয়াটসঅ্যাপে কথা বলি", [ContactKind.MESSENGER]),
        ("টেলিগ্রামে আসুন", [ContactKind.MESSENGER]),
        ("ইমো নাম্বার দিন", [ContactKind.MESSENGER]),
        ("a@b.co or 01812345678 on viber", [ContactKind.EMAIL, ContactKind.PHONE, ContactKind.MESSENGER]),
    ],
)
def test_contact_details_are_found(text: str, kinds: list[ContactKind]) -> None:
    assert contact.find_contact_details(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "I can deliver in 5 days for 15000 BDT.",
        "Budget 10,000 - 20,000; first draft by 2025-01-31, final 2025-02-15.",
        "IMO the second design is better.",
        "ইমোজি দিয়ে লিখবেন না",
        "See https://example.com/docs and version 1.2.3.4",
        "আমি ৫ দিনে কাজটি শেষ করতে পারব, দাম ১৫০০০ টাকা।",
        "",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert contact.find_contact_details(text) == []


def test_long_text_is_checked_quickly() -> None:
    # A pathological input must not make the regular expressions backtrack for ever.
    assert contact.find_contact_details("a" * 10_000) == []
    assert contact.find_contact_details("x at " * 2_000) == []


# --- Starting threads -----------------------------------------------------------------------------------------


def test_buyer_starts_with_any_bidder_and_gets_the_same_thread_again(
    job: Job, buyer: User, freelancer: User
) -> None:
    _bid(job, freelancer, status=BidStatus.WITHDRAWN)
    thread, created = services.start_interview(user=buyer, job_id=job.pk, freelancer_id=freelancer.pk)
    assert created
    assert (thread.kind, thread.job_id, thread.buyer_id, thread.freelancer_id) == (
        ThreadKind.INTERVIEW,
        job.pk,
        buyer.pk,
        freelancer.pk,
    )
    again, created_again = services.start_interview(user=buyer, job_id=job.pk, freelancer_id=freelancer.pk)
    assert (again.pk, created_again) == (thread.pk, False)
    # The freelancer opening theirs finds the same thread.
    theirs, created_theirs = services.start_interview(user=freelancer, job_id=job.pk)
    assert (theirs.pk, created_theirs) == (thread.pk, False)
    assert Thread.objects.count() == 1


def test_freelancer_with_a_bid_starts_their_thread(job: Job, buyer: User, freelancer: User) -> None:
    _bid(job, freelancer)
    thread, created = services.start_interview(user=freelancer, job_id=job.pk)
    assert created
    assert (thread.buyer_id, thread.freelancer_id) == (buyer.pk, freelancer.pk)


def test_buyer_cannot_start_with_someone_who_did_not_bid(job: Job, buyer: User, stranger: User) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.start_interview(user=buyer, job_id=job.pk, freelancer_id=stranger.pk)
    assert "bid on this job" in caught.value.message_dict["freelancer_id"][0]
    with pytest.raises(ValidationError) as caught:
        services.start_interview(user=buyer, job_id=job.pk)
    assert "freelancer_id" in caught.value.message_dict
    assert _rows() == before


def test_nobody_else_can_start_a_thread(job: Job, freelancer: User, stranger: User) -> None:
    _bid(job, freelancer)
    before = _rows()
    # No bid: as if the job did not exist.
    with pytest.raises(Job.DoesNotExist):
        services.start_interview(user=stranger, job_id=job.pk)
    # A bidder cannot open another freelancer's thread.
    with pytest.raises(Job.DoesNotExist):
        services.start_interview(user=stranger, job_id=job.pk, freelancer_id=freelancer.pk)
    with pytest.raises(Job.DoesNotExist):
        services.start_interview(user=freelancer, job_id=job.pk + 1000)
    assert _rows() == before


def test_contract_thread_is_made_once(job: Job, buyer: User, freelancer: User) -> None:
    bid = _bid(job, freelancer, status=BidStatus.ACCEPTED)
    contract = Contract.objects.create(
        job=job,
        bid=bid,
        buyer=buyer,
        freelancer=freelancer,
        price=20_000,
        currency="USD",
        deadline=job.deadline,
    )
    thread = services.ensure_contract_thread(contract_id=contract.pk)
    assert (thread.kind, thread.contract_id, thread.buyer_id, thread.freelancer_id) == (
        ThreadKind.CONTRACT,
        contract.pk,
        buyer.pk,
        freelancer.pk,
    )
    assert services.ensure_contract_thread(contract_id=contract.pk).pk == thread.pk
    # Contact details are no longer flagged once the work is under contract.
    message = services.post_message(user=freelancer, thread_id=thread.pk, body="My number is 01712-345678")
    assert message.contact_flags == ""


# --- Messages -------------------------------------------------------------------------------------------------


def test_participants_post_and_markdown_is_sanitized(thread: Thread, buyer: User, freelancer: User) -> None:
    services.post_message(
        user=buyer, thread_id=thread.pk, body="  Can you use **Django 5**? <script>alert(1)</script>  "
    )
    services.post_message(user=freelancer, thread_id=thread.pk, body="হ্যাঁ, *অবশ্যই*।")
    stored = list(Message.objects.order_by("pk").values_list("sender_id", "body"))
    assert stored == [
        (buyer.pk, "Can you use **Django 5**? <script>alert(1)</script>"),
        (freelancer.pk, "হ্যাঁ, *অবশ্যই*।"),
    ]
    thread.refresh_from_db()
    assert thread.last_message_at == Message.objects.order_by("-pk").first().created_at  # type: ignore[union-attr]

    page = _client(freelancer).get(reverse("messaging:thread", args=[thread.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>Django 5</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "<em>অবশ্যই</em>" in html
    assert "Karim Traders" in html


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10_001, "nul\0byte"])
def test_bad_bodies_are_refused_and_change_nothing(thread: Thread, buyer: User, body: str) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.post_message(user=buyer, thread_id=thread.pk, body=body)
    assert "body" in caught.value.message_dict
    assert _rows() == before


def test_longest_body_is_accepted(thread: Thread, buyer: User) -> None:
    message = services.post_message(user=buyer, thread_id=thread.pk, body="ক" * 10_000)
    assert len(message.body) == 10_000


def test_others_cannot_read_or_post(thread: Thread, buyer: User, stranger: User) -> None:
    message = services.post_message(user=buyer, thread_id=thread.pk, body="Hello", attachments=[_file()])
    attachment = message.attachments.get()
    before = _rows()
    with pytest.raises(Thread.DoesNotExist):
        services.post_message(user=stranger, thread_id=thread.pk, body="Let me in")
    with pytest.raises(Message.DoesNotExist):
        services.edit_message(user=stranger, message_id=message.pk, body="Changed")
    with pytest.raises(Thread.DoesNotExist):
        services.mark_read(user=stranger, thread_id=thread.pk)
    assert _rows() == before

    client = _client(stranger)
    for url in (
        reverse("messaging:thread", args=[thread.pk]),
        reverse("messaging:edit", args=[message.pk]),
        reverse("messaging:attachment", args=[attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("messaging:thread", args=[thread.pk]), {"body": "Hi"}).status_code == 404
    assert "Hello" not in client.get(reverse("messaging:inbox")).content.decode()

    auth = _bearer(stranger)
    for url in (
        f"/api/v1/threads/{thread.pk}",
        f"/api/v1/threads/{thread.pk}/messages",
        f"/api/v1/messages/{message.pk}/revisions",
        f"/api/v1/messages/{message.pk}/attachments/{attachment.pk}",
    ):
        _problem(client.get(url, **auth), 404)
    _problem(
        client.post(
            f"/api/v1/threads/{thread.pk}/messages", {"body": "Hi"}, content_type="application/json", **auth
        ),
        404,
    )
    _problem(
        client.patch(
            f"/api/v1/messages/{message.pk}", {"body": "X"}, content_type="application/json", **auth
        ),
        404,
    )
    assert client.get("/api/v1/threads", **auth).json() == {"items": [], "count": 0}
    assert _rows() == before


# --- Attachments ----------------------------------------------------------------------------------------------


def test_attachments_are_stored_and_served_only_to_participants(
    thread: Thread, buyer: User, freelancer: User
) -> None:
    message = services.post_message(
        user=buyer,
        thread_id=thread.pk,
        body="The brief and a logo",
        attachments=[_file(), _file("../../etc/lo\x00go\u202e.png", b"\x89PNG data")],
    )
    names = list(message.attachments.order_by("pk").values_list("original_name", "size"))
    assert names == [("brief.pdf", 14), ("logo.png", 9)]
    stored = message.attachments.order_by("pk").first()
    assert stored is not None
    assert "brief" not in stored.file.name  # random storage name

    response = _client(freelancer).get(reverse("messaging:attachment", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hello"  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="brief.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"

    api = Client().get(f"/api/v1/messages/{message.pk}/attachments/{stored.pk}", **_bearer(buyer))
    assert api.status_code == 200
    assert api["Content-Disposition"] == 'attachment; filename="brief.pdf"'
    # The attachment must belong to the message named in the path.
    other = services.post_message(user=buyer, thread_id=thread.pk, body="Another")
    _problem(Client().get(f"/api/v1/messages/{other.pk}/attachments/{stored.pk}", **_bearer(buyer)), 404)

    page = _client(freelancer).get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert reverse("messaging:attachment", args=[stored.pk]) in page
    assert "brief.pdf" in page


def test_file_names_are_display_text_only() -> None:
    assert services.clean_file_name("C:\\Users\\me\\report.docx") == "report.docx"
    assert services.clean_file_name("../..") == "attachment"
    assert services.clean_file_name("\x07\n") == "attachment"
    assert services.clean_file_name("প্রস্তাব\u200c.pdf") == "প্রস্তাব\u200c.pdf"
    long_name = services.clean_file_name("a" * 300 + ".tar.gz")
    assert len(long_name) == 200
    assert long_name.endswith(".gz")


def test_too_many_too_large_or_empty_files_are_refused(thread: Thread, buyer: User, settings: Any) -> None:
    settings.HAAT_MESSAGE_ATTACHMENT_MAX_BYTES = 100
    before = _rows()
    cases = [
        [_file(f"f{i}.txt", b"x") for i in range(6)],
        [_file("big.bin", b"x" * 101)],
        [_file("ok.txt", b"x"), _file("empty.txt", b"")],
    ]
    for files in cases:
        with pytest.raises(ValidationError) as caught:
            services.post_message(user=buyer, thread_id=thread.pk, body="Files", attachments=files)
        assert "attachments" in caught.value.message_dict
    assert _rows() == before
    # Five files of exactly the limit are fine.
    message = services.post_message(
        user=buyer,
        thread_id=thread.pk,
        body="Files",
        attachments=[_file(f"f{i}.txt", b"x" * 100) for i in range(5)],
    )
    assert message.attachments.count() == 5


def test_page_reply_with_attachments_and_errors(thread: Thread, buyer: User, settings: Any) -> None:
    settings.HAAT_MESSAGE_ATTACHMENT_MAX_BYTES = 100
    client = _client(buyer)
    url = reverse("messaging:thread", args=[thread.pk])
    before = _rows()
    too_big = client.post(url, {"body": "Here", "attachments": [_file("big.bin", b"x" * 101)]})
    assert too_big.status_code == 400
    assert "larger than the limit" in too_big.content.decode()
    empty = client.post(url, {"body": "  "})
    assert empty.status_code == 400
    assert _rows() == before

    response = client.post(
        url, {"body": "Here you go", "attachments": [_file("a.txt", b"A"), _file("b.txt", b"B")]}
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url}#message-{message.pk}"
    assert sorted(message.attachments.values_list("original_name", flat=True)) == ["a.txt", "b.txt"]


# --- Editing --------------------------------------------------------------------------------------------------


def test_edit_keeps_the_earlier_text(thread: Thread, buyer: User, freelancer: User) -> None:
    message = services.post_message(user=buyer, thread_id=thread.pk, body="Deadline is Friday")
    services.edit_message(user=buyer, message_id=message.pk, body="Deadline is Saturday")
    services.edit_message(user=buyer, message_id=message.pk, body="Deadline is Sunday")
    # The same text again is not a new revision.
    services.edit_message(user=buyer, message_id=message.pk, body="Deadline is Sunday")
    message.refresh_from_db()
    assert message.body == "Deadline is Sunday"
    assert message.edited_at is not None
    assert list(message.revisions.values_list("body", flat=True)) == [
        "Deadline is Friday",
        "Deadline is Saturday",
    ]

    # The other participant sees "edited" and the earlier versions.
    page = _client(freelancer).get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "edited" in page
    assert "Deadline is Friday" in page
    assert "Deadline is Saturday" in page
    assert reverse("messaging:edit", args=[message.pk]) not in page

    revisions = Client().get(f"/api/v1/messages/{message.pk}/revisions", **_bearer(freelancer))
    assert [r["body"] for r in revisions.json()] == ["Deadline is Friday", "Deadline is Saturday"]


def test_only_the_sender_edits(thread: Thread, buyer: User, freelancer: User) -> None:
    message = services.post_message(user=buyer, thread_id=thread.pk, body="Original")
    before = _rows()
    with pytest.raises(PermissionDenied):
        services.edit_message(user=freelancer, message_id=message.pk, body="Forged")
    with pytest.raises(ValidationError):
        services.edit_message(user=buyer, message_id=message.pk, body=" ")
    client = _client(freelancer)
    assert client.get(reverse("messaging:edit", args=[message.pk])).status_code == 403
    assert client.post(reverse("messaging:edit", args=[message.pk]), {"body": "Forged"}).status_code == 403
    _problem(
        client.patch(
            f"/api/v1/messages/{message.pk}",
            {"body": "Forged"},
            content_type="application/json",
            **_bearer(freelancer),
        ),
        403,
    )
    assert _rows() == before


def test_edit_page(thread: Thread, buyer: User) -> None:
    message = services.post_message(user=buyer, thread_id=thread.pk, body="Typo hre")
    client = _client(buyer)
    url = reverse("messaging:edit", args=[message.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Typo hre" in form.content.decode()
    assert client.post(url, {"body": ""}).status_code == 400
    response = client.post(url, {"body": "Typo here"})
    assert response.status_code == 302
    assert list(Message.objects.values_list("body", flat=True)) == ["Typo here"]
    assert list(MessageRevision.objects.values_list("body", flat=True)) == ["Typo hre"]


# --- Contact details before the award -------------------------------------------------------------------------


def test_contact_details_before_award_are_flagged_to_the_sender_only(
    thread: Thread, buyer: User, freelancer: User
) -> None:
    response = Client().post(
        f"/api/v1/threads/{thread.pk}/messages",
        {"body": "Call me on 01712-345678 or WhatsApp"},
        content_type="application/json",
        **_bearer(freelancer),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contact_flags"] == ["phone", "messenger"]
    assert "phone number" in body["warning"]
    message = Message.objects.get()
    assert message.contact_flags == "phone,messenger"
    assert message.body == "Call me on 01712-345678 or WhatsApp"  # still delivered as written

    # The recipient gets the message without the flag.
    listed = Client().get(f"/api/v1/threads/{thread.pk}/messages", **_bearer(buyer)).json()
    assert listed["items"][0]["body"] == "Call me on 01712-345678 or WhatsApp"
    assert listed["items"][0]["contact_flags"] == []
    buyer_page = _client(buyer).get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "seems to contain" not in buyer_page

    # The sender sees the warning next to the message.
    own_page = _client(freelancer).get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "seems to contain" in own_page
    own = Client().get(f"/api/v1/threads/{thread.pk}/messages", **_bearer(freelancer)).json()
    assert own["items"][0]["contact_flags"] == ["phone", "messenger"]


def test_page_warns_the_sender(thread: Thread, freelancer: User) -> None:
    client = _client(freelancer)
    response = client.post(
        reverse("messaging:thread", args=[thread.pk]), {"body": "rahim@gmail.com"}, follow=True
    )
    assert "seems to contain an e-mail address" in response.content.decode()
    assert Message.objects.get().contact_flags == "email"


def test_an_edit_can_add_flags_but_never_removes_them(thread: Thread, freelancer: User) -> None:
    message = services.post_message(user=freelancer, thread_id=thread.pk, body="Hello")
    assert message.contact_flags == ""
    message = services.edit_message(user=freelancer, message_id=message.pk, body="t.me/nusrat")
    assert message.contact_flags == "messenger"
    message = services.edit_message(user=freelancer, message_id=message.pk, body="Hello again")
    assert message.contact_flags == "messenger"
    assert list(message.revisions.values_list("body", flat=True)) == ["Hello", "t.me/nusrat"]


@pytest.mark.parametrize("status", [BidStatus.AWARDED, BidStatus.ACCEPTED])
def test_no_flags_after_the_award(thread: Thread, job: Job, freelancer: User, status: str) -> None:
    Bid.objects.filter(job=job, freelancer=freelancer).update(status=status)
    message = services.post_message(user=freelancer, thread_id=thread.pk, body="rahim@gmail.com, 01712345678")
    assert message.contact_flags == ""


def test_another_bidders_rejected_bid_does_not_end_flagging(
    thread: Thread, job: Job, freelancer: User, stranger: User
) -> None:
    _bid(job, stranger, status=BidStatus.REJECTED)
    message = services.post_message(user=freelancer, thread_id=thread.pk, body="skype: nusrat.j")
    assert message.contact_flags == "messenger"


# --- Unread counts --------------------------------------------------------------------------------------------


def test_unread_counts_per_thread_and_in_total(
    job: Job, buyer: User, freelancer: User, stranger: User
) -> None:
    _bid(job, freelancer)
    _bid(job, stranger)
    first, _c = services.start_interview(user=buyer, job_id=job.pk, freelancer_id=freelancer.pk)
    second, _c = services.start_interview(user=stranger, job_id=job.pk)
    services.post_message(user=freelancer, thread_id=first.pk, body="One")
    services.post_message(user=freelancer, thread_id=first.pk, body="Two")
    services.post_message(user=stranger, thread_id=second.pk, body="Three")
    services.post_message(user=buyer, thread_id=second.pk, body="Own messages never count")

    assert selectors.unread_total(buyer) == 3
    assert selectors.unread_total(freelancer) == 0
    assert selectors.unread_total(stranger) == 1
    assert {t.pk: getattr(t, "unread_count", None) for t in selectors.inbox(buyer)} == {
        first.pk: 2,
        second.pk: 0 + 1,
    }
    assert selectors.thread_for(buyer, first.pk).unread_count == 2  # type: ignore[attr-defined]

    # Opening the thread page marks it read.
    client = _client(buyer)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "2 unread" in inbox
    page = client.get(reverse("messaging:thread", args=[first.pk]))
    assert page.status_code == 200
    assert "New" in page.content.decode()
    assert selectors.unread_total(buyer) == 1
    assert "New" not in client.get(reverse("messaging:thread", args=[first.pk])).content.decode()

    # Reading through the API marks the messages returned as read.
    api = Client().get(f"/api/v1/threads/{second.pk}", **_bearer(buyer)).json()
    assert api["unread_count"] == 1
    assert Client().get("/api/v1/threads/unread", **_bearer(buyer)).json() == {"total": 1}
    Client().get(f"/api/v1/threads/{second.pk}/messages", **_bearer(buyer))
    assert selectors.unread_total(buyer) == 0

    # A newer message is unread again; reading an older page does not mark it.
    services.post_message(user=freelancer, thread_id=first.pk, body="Four")
    assert selectors.unread_total(buyer) == 1
    Client().get(f"/api/v1/threads/{first.pk}/messages?limit=1", **_bearer(buyer))
    assert selectors.unread_total(buyer) == 1


def test_read_mark_never_moves_back(thread: Thread, buyer: User, freelancer: User) -> None:
    services.post_message(user=freelancer, thread_id=thread.pk, body="One")
    services.mark_read(user=buyer, thread_id=thread.pk)
    state = ReadState.objects.get(user=buyer)
    services.mark_read(user=buyer, thread_id=thread.pk, up_to=state.last_read_at - timedelta(hours=1))
    assert ReadState.objects.get(user=buyer).last_read_at == state.last_read_at
    assert ReadState.objects.count() == 1


def test_inbox_query_count_does_not_grow(job: Job, buyer: User, django_assert_max_num_queries: Any) -> None:
    for i in range(6):
        person = make_user(f"bidder{i}@example.com")
        _bid(job, person)
        thread, _c = services.start_interview(user=person, job_id=job.pk)
        services.post_message(user=person, thread_id=thread.pk, body=f"Hello {i}")
    client = _client(buyer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("messaging:inbox"))
    assert response.content.decode().count("1 unread") == 6


# --- E-mail ---------------------------------------------------------------------------------------------------


def test_new_message_emails_the_other_side_at_most_every_ten_minutes(
    thread: Thread, buyer: User, freelancer: User, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.post_message(user=buyer, thread_id=thread.pk, body="Are you free next week?")
    assert [m.to for m in mail.outbox] == [[freelancer.email]]
    email = mail.outbox[0]
    assert "Karim Traders" in email.subject
    assert "Are you free next week?" in email.body
    assert reverse("messaging:thread", args=[thread.pk]) in email.body

    # A second message within 10 minutes: no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(user=buyer, thread_id=thread.pk, body="Also, do you know bKash?")
    assert len(mail.outbox) == 1
    # The reply goes the other way and is e-mailed to the buyer.
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(user=freelancer, thread_id=thread.pk, body="Yes")
    assert [m.to for m in mail.outbox] == [[freelancer.email], [buyer.email]]

    # Edits send nothing.
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_message(user=buyer, message_id=first.pk, body="Are you free next month?")
    assert len(mail.outbox) == 2

    # Ten minutes after the last message to the freelancer, the next one is e-mailed again.
    Message.objects.filter(sender=buyer).update(created_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(user=buyer, thread_id=thread.pk, body="Any news?")
    assert [m.to for m in mail.outbox][-1] == [freelancer.email]
    assert len(mail.outbox) == 3


def test_email_is_in_the_recipients_language(
    thread: Thread,
    buyer: User,
    freelancer: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.utils import translation

    languages: list[str | None] = []
    real_send_mail = services.send_mail

    def recording_send_mail(*args: Any, **kwargs: Any) -> int:
        languages.append(translation.get_language())
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr(services, "send_mail", recording_send_mail)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(user=buyer, thread_id=thread.pk, body="Hello")  # to the Bengali reader
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(user=freelancer, thread_id=thread.pk, body="হ্যালো")  # to the English reader
    assert languages == ["bn", "en"]
    assert [m.to for m in mail.outbox] == [[freelancer.email], [buyer.email]]
    assert translation.get_language() == "en"


# --- Pages ----------------------------------------------------------------------------------------------------


def test_job_page_panel_for_buyer_bidder_and_others(
    job: Job, buyer: User, freelancer: User, stranger: User
) -> None:
    _bid(job, freelancer)
    factory = RequestFactory()

    def panel(user: User) -> str:
        request = factory.get("/")
        request.user = user
        return render_to_string(
            "messaging/_job_threads.html", {"job": job, "is_buyer": user == buyer}, request=request
        )

    start_url = reverse("messaging:start", args=[job.pk])
    buyer_panel = panel(buyer)
    assert "Nusrat Jahan" in buyer_panel
    assert start_url in buyer_panel
    assert f'value="{freelancer.pk}"' in buyer_panel

    bidder_panel = panel(freelancer)
    assert start_url in bidder_panel
    assert "Message the buyer" in bidder_panel

    assert panel(stranger).strip() == ""

    thread, _c = services.start_interview(user=freelancer, job_id=job.pk)
    services.post_message(user=freelancer, thread_id=thread.pk, body="Hello")
    thread_url = reverse("messaging:thread", args=[thread.pk])
    assert thread_url in panel(buyer)
    assert "1 unread" in panel(buyer)
    assert thread_url in panel(freelancer)
    assert start_url not in panel(freelancer)


def test_the_job_page_shows_the_panel(job: Job, buyer: User, freelancer: User) -> None:
    _bid(job, freelancer)
    url = reverse("jobs:job-detail", args=[job.pk])
    buyer_view = _client(buyer).get(url)
    assert buyer_view.status_code == 200
    assert reverse("messaging:start", args=[job.pk]) in buyer_view.content.decode()
    assert "Nusrat Jahan" in buyer_view.content.decode()
    bidder_view = _client(freelancer).get(url)
    assert bidder_view.status_code == 200
    assert "Message the buyer" in bidder_view.content.decode()


def test_start_from_the_job_page(job: Job, buyer: User, freelancer: User, stranger: User) -> None:
    _bid(job, freelancer)
    url = reverse("messaging:start", args=[job.pk])
    response = _client(buyer).post(url, {"freelancer_id": freelancer.pk})
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:thread", args=[thread.pk])
    # The bidder lands in the same thread.
    assert _client(freelancer).post(url)["Location"] == reverse("messaging:thread", args=[thread.pk])

    before = _rows()
    assert _client(stranger).post(url).status_code == 404
    refused = _client(buyer).post(url, {"freelancer_id": stranger.pk}, follow=True)
    assert "bid on this job" in refused.content.decode()
    assert _client(buyer).get(url).status_code == 405
    assert _rows() == before


def test_pages_need_login(thread: Thread) -> None:
    client = Client()
    for url in (reverse("messaging:inbox"), reverse("messaging:thread", args=[thread.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_thread_page_in_bengali(thread: Thread, freelancer: User, buyer: User) -> None:
    services.post_message(user=buyer, thread_id=thread.pk, body="আপনি কি আগামী সপ্তাহে শুরু করতে পারবেন?")
    client = _client(freelancer)
    client.cookies["haat_language"] = "bn"
    response = client.get(reverse("messaging:thread", args=[thread.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="bn">' in html
    assert reverse("jobs:job-detail", args=[thread.job_id]) in html
    assert "আপনি কি আগামী সপ্তাহে শুরু করতে পারবেন?" in html
    assert 'enctype="multipart/form-data"' in html
    assert "style=" not in html
    assert "<script>" not in html


# --- API ------------------------------------------------------------------------------------------------------


def test_api_thread_flow(job: Job, buyer: User, freelancer: User) -> None:
    _bid(job, freelancer)
    client = Client()
    created = client.post(
        f"/api/v1/jobs/{job.pk}/threads",
        {"freelancer_id": freelancer.pk},
        content_type="application/json",
        **_bearer(buyer),
    )
    assert created.status_code == 201, created.content
    thread = created.json()
    assert thread["buyer"] == {"id": buyer.pk, "name": "Karim Traders"}
    assert thread["freelancer"] == {"id": freelancer.pk, "name": "Nusrat Jahan"}
    assert (thread["kind"], thread["job_id"], thread["job_title"], thread["unread_count"]) == (
        "interview",
        job.pk,
        job.title,
        0,
    )
    again = client.post(f"/api/v1/jobs/{job.pk}/threads", **_bearer(freelancer))
    assert again.status_code == 200, again.content
    assert again.json()["id"] == thread["id"]

    sent = client.post(
        f"/api/v1/threads/{thread['id']}/messages",
        {"body": "Please see the **brief**", "attachments": [_file()]},
        **_bearer(buyer),
    )
    assert sent.status_code == 201, sent.content
    message = sent.json()
    assert message["body_html"] == "<p>Please see the <strong>brief</strong></p>\n"
    assert message["warning"] is None
    assert [(a["name"], a["size"]) for a in message["attachments"]] == [("brief.pdf", 14)]
    download = client.get(message["attachments"][0]["url"], **_bearer(freelancer))
    assert download.status_code == 200

    edited = client.patch(
        f"/api/v1/messages/{message['id']}",
        {"body": "Please see the brief (v2)"},
        content_type="application/json",
        **_bearer(buyer),
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["revision_count"] == 1
    assert edited.json()["edited_at"] is not None

    listed = client.get("/api/v1/threads", **_bearer(freelancer)).json()
    assert listed["count"] == 1
    assert listed["items"][0]["unread_count"] == 1
    page = client.get(f"/api/v1/threads/{thread['id']}/messages", **_bearer(freelancer)).json()
    assert page["count"] == 1
    assert page["items"][0]["body"] == "Please see the brief (v2)"
    assert client.get("/api/v1/threads", **_bearer(freelancer)).json()["items"][0]["unread_count"] == 0
    assert client.get(f"/api/v1/threads?job_id={job.pk + 1}", **_bearer(freelancer)).json()["count"] == 0


def test_api_errors(thread: Thread, job: Job, buyer: User, stranger: User, settings: Any) -> None:
    client = Client()
    auth = _bearer(buyer)
    url = f"/api/v1/threads/{thread.pk}/messages"
    before = _rows()
    _problem(client.post(url, {"body": ""}, content_type="application/json", **auth), 422)
    long = _problem(client.post(url, {"body": "x" * 10_001}, content_type="application/json", **auth), 422)
    assert "10,000" in long["detail"]
    _problem(client.post(url, {"text": "wrong field"}, content_type="application/json", **auth), 422)
    _problem(client.post(url, "not json", content_type="application/json", **auth), 400)
    settings.HAAT_MESSAGE_ATTACHMENT_MAX_BYTES = 10
    too_big = _problem(client.post(url, {"body": "Hi", "attachments": [_file()]}, **auth), 422)
    assert too_big["errors"][0]["field"] == "attachments"
    _problem(client.post(url, {"body": "Hi"}, content_type="application/json"), 401)
    _problem(
        client.post(
            f"/api/v1/jobs/{job.pk}/threads",
            {"freelancer_id": stranger.pk},
            content_type="application/json",
            **auth,
        ),
        422,
    )
    _problem(client.post(f"/api/v1/jobs/{job.pk}/threads", **_bearer(stranger)), 404)
    _problem(client.get(f"/api/v1/threads/{thread.pk + 99}", **auth), 404)
    assert _rows() == before


def test_openapi_documents_the_messaging_operations(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/threads",
        "/api/v1/jobs/{job_id}/threads",
        "/api/v1/threads/{thread_id}",
        "/api/v1/threads/{thread_id}/messages",
        "/api/v1/messages/{message_id}",
        "/api/v1/messages/{message_id}/revisions",
        "/api/v1/messages/{message_id}/attachments/{attachment_id}",
    ):
        assert path in paths, path
    body = paths["/api/v1/threads/{thread_id}/messages"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
