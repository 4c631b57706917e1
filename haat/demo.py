"""Realistic demo data: buyers and freelancers with full profiles, in English and Bengali names.

Idempotent: people are matched by e-mail address, so running it again updates instead of duplicating.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from haat.accounts import services
from haat.accounts.models import User
from haat.jobs.models import Skill
from haat.staff.roles import Role, add_role

DEMO_PASSWORD = "haat-demo-2026"  # noqa: S105  (documented demo credential, demo data only)
DEMO_DOMAIN = "demo.haat.localhost"


@dataclass(frozen=True)
class DemoPerson:
    key: str
    display_name: str
    country: str
    time_zone: str
    language: str = "en"
    company_name: str = ""
    headline: str = ""
    bio: str = ""
    hourly_rate: int | None = None
    currency: str = "USD"
    skills: tuple[str, ...] = ()
    languages: tuple[tuple[str, str], ...] = field(default_factory=tuple)


BUYERS = [
    DemoPerson("buyer1", "Sarah Mitchell", "US", "America/New_York", company_name="Brightline Books LLC"),
    DemoPerson("buyer2", "রহিম ট্রেডার্স", "BD", "Asia/Dhaka", language="bn", company_name="রহিম ট্রেডার্স"),
    DemoPerson("buyer3", "Jonas Weber", "DE", "Europe/Berlin", company_name="Weber Möbel GmbH"),
    DemoPerson("buyer4", "Priya Nair", "IN", "Asia/Kolkata", company_name="Coastal Foods"),
    DemoPerson("buyer5", "Oliver Hughes", "GB", "Europe/London"),
]

FREELANCERS = [
    DemoPerson(
        "freelancer1",
        "Tanvir Ahmed",
        "BD",
        "Asia/Dhaka",
        headline="Django and PostgreSQL developer, 6 years",
        bio="I build **web applications** with Django, PostgreSQL and htmx.\n\n"
        "- 40+ projects delivered on time\n- Clear weekly status reports\n- Fluent English",
        hourly_rate=2500,
        skills=("python", "django", "sql", "javascript"),
        languages=(("bn", "native"), ("en", "fluent")),
    ),
    DemoPerson(
        "freelancer2",
        "নুসরাত জাহান",
        "BD",
        "Asia/Dhaka",
        language="bn",
        headline="গ্রাফিক ডিজাইনার — লোগো ও ব্র্যান্ডিং",
        bio="আমি **লোগো**, ব্যানার ও সোশ্যাল মিডিয়া ডিজাইন করি। ৫ বছরের অভিজ্ঞতা।",
        hourly_rate=150000,
        currency="BDT",
        skills=("logo-design", "photoshop", "illustrator"),
        languages=(("bn", "native"), ("en", "conversational")),
    ),
    DemoPerson(
        "freelancer3",
        "Farhana Islam",
        "BD",
        "Asia/Dhaka",
        headline="Data entry and web research, fast and accurate",
        bio="Careful data entry in Excel and Google Sheets; product listings; web research.",
        hourly_rate=800,
        skills=("data-entry", "excel", "web-research"),
        languages=(("bn", "native"), ("en", "fluent")),
    ),
    DemoPerson(
        "freelancer4",
        "মোঃ সাকিব হাসান",
        "BD",
        "Asia/Dhaka",
        language="bn",
        headline="ওয়ার্ডপ্রেস ও এসইও বিশেষজ্ঞ",
        bio="ওয়ার্ডপ্রেস সাইট তৈরি, গতি বাড়ানো এবং **এসইও**।",
        hourly_rate=1200,
        skills=("wordpress", "seo", "keyword-research", "html-css"),
        languages=(("bn", "native"), ("en", "fluent")),
    ),
    DemoPerson(
        "freelancer5",
        "Ayesha Siddiqua",
        "BD",
        "Asia/Dhaka",
        headline="English–Bengali translator and subtitler",
        bio="Translation of documents, apps and video subtitles between English and Bengali.",
        hourly_rate=1500,
        skills=("translation-en-bn", "subtitling", "proofreading"),
        languages=(("bn", "native"), ("en", "native")),
    ),
    DemoPerson(
        "freelancer6",
        "Arif Hossain",
        "BD",
        "Asia/Dhaka",
        headline="Video editor and motion graphics",
        bio="YouTube editing, explainer videos, 2D motion graphics.",
        hourly_rate=1800,
        skills=("video-editing", "motion-graphics", "2d-animation"),
        languages=(("bn", "native"), ("en", "conversational")),
    ),
    DemoPerson(
        "freelancer7",
        "Maria Santos",
        "PH",
        "Asia/Manila",
        headline="Customer support by e-mail and live chat",
        bio="Five years of e-mail and chat support for online shops.",
        hourly_rate=700,
        skills=("email-support", "live-chat", "phone-support"),
        languages=(("en", "fluent"), ("es", "conversational")),
    ),
    DemoPerson(
        "freelancer8",
        "Dmytro Kovalenko",
        "UA",
        "Europe/Kyiv",
        headline="Test automation engineer",
        bio="Playwright and pytest suites that catch bugs before your users do.",
        hourly_rate=3500,
        skills=("test-automation", "python", "manual-testing"),
        languages=(("uk", "native"), ("en", "fluent")),
    ),
]

STAFF_EMAIL = f"admin@{DEMO_DOMAIN}"


def _email(key: str) -> str:
    return f"{key}@{DEMO_DOMAIN}"


@transaction.atomic
def _person(person: DemoPerson) -> User:
    user, created = User.objects.get_or_create(email=_email(person.key))
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    skill_ids = list(Skill.objects.filter(slug__in=person.skills).values_list("pk", flat=True))
    services.update_profile(
        user=user,
        fields={
            "display_name": person.display_name,
            "company_name": person.company_name,
            "headline": person.headline,
            "bio": person.bio,
            "country": person.country,
            "time_zone": person.time_zone,
            "language": person.language,
            "hourly_rate": person.hourly_rate,
            "hourly_rate_currency": person.currency,
        },
        skill_ids=skill_ids,
        languages=list(person.languages),
    )
    return user


# One demo account per staff role (the admin is also a superuser, for the Django admin's every page). Each has
# an authenticator secret, printed by ``haat demo``, because staff pages need two-factor authentication.
STAFF_ROLES = {
    "arbiter": Role.ARBITER,
    "finance": Role.FINANCE,
    "moderator": Role.MODERATOR,
    "admin": Role.ADMIN,
}


def _totp_secret(user: User) -> str:
    """The user's authenticator secret: the one already set up (so a re-run keeps the app's entry working),
    or a new one."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return str(decrypt(existing.data["secret"]))
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@transaction.atomic
def _staff_member(key: str, role: Role) -> User:
    user, created = User.objects.get_or_create(
        email=_email(key), defaults={"is_staff": True, "is_superuser": role == Role.ADMIN}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    services.update_profile(
        user=user, fields={"display_name": f"Haat {key}", "time_zone": "Asia/Dhaka", "language": "en"}
    )
    add_role(user, role)
    _totp_secret(user)
    return user


def staff_secrets() -> dict[str, str]:
    """E-mail → authenticator secret of each demo staff account (to type into an authenticator app)."""
    users = User.objects.filter(email__in=[_email(key) for key in STAFF_ROLES]).order_by("email")
    return {user.email: _totp_secret(user) for user in users}


# Buyers start with money in their wallets (through the sandbox gateway, like a real deposit).
DEMO_DEPOSITS = {
    "buyer1": (250_000, "USD"),
    "buyer2": (5_000_000, "BDT"),
    "buyer3": (120_000, "USD"),
    "buyer4": (400_000, "USD"),  # pays for the demo contracts below
}


def _demo_deposit(user: User, key: str) -> None:
    from haat.payments import deposits
    from haat.payments.models import Deposit

    if key in DEMO_DEPOSITS and not Deposit.objects.filter(user=user).exists():
        amount, currency = DEMO_DEPOSITS[key]
        deposits.start_deposit(user=user, amount=amount, currency=currency, gateway="sandbox")


# (buyer, title, description, category slug, skill slugs, budget min, max in major units, currency, days open)
DEMO_JOBS = [
    (
        "buyer1",
        "Online shop for handmade saris",
        "We sell handmade saris and need a **Django** shop with bKash and card payments.\n\n- product catalogue\n"
        "- Bengali and English storefront\n- order e-mails",
        "software-development",
        ("django", "python"),
        300,
        800,
        "USD",
        7,
    ),
    (
        "buyer1",
        "Logo and brand colours for a bookshop",
        "A friendly logo for *Brightline Books*, with two colour schemes and files for print and web.",
        "graphic-design",
        ("logo-design", "illustrator"),
        80,
        200,
        "USD",
        5,
    ),
    (
        "buyer2",
        "আমাদের দোকানের জন্য লোগো ডিজাইন দরকার",
        "রহিম ট্রেডার্সের জন্য একটি আধুনিক **লোগো** ডিজাইন করতে হবে। বাংলা ও ইংরেজি দুই সংস্করণ চাই।",
        "graphic-design",
        ("logo-design",),
        3000,
        8000,
        "BDT",
        6,
    ),
    (
        "buyer2",
        "পণ্যের তালিকা এক্সেলে ডেটা এন্ট্রি",
        "প্রায় ৫০০টি পণ্যের নাম, দাম ও বিবরণ এক্সেল শিটে তুলতে হবে।",
        "data-entry",
        ("data-entry", "excel"),
        2000,
        5000,
        "BDT",
        4,
    ),
    (
        "buyer3",
        "Translate our furniture catalogue into Bengali",
        "About 40 pages of product descriptions, English to Bengali, for our new Dhaka showroom.",
        "translation",
        ("translation-en-bn", "proofreading"),
        150,
        400,
        "USD",
        8,
    ),
    (
        "buyer3",
        "WordPress speed-up and SEO audit",
        "Our WordPress site is slow on phones. Speed it up and give us an SEO checklist.",
        "seo",
        ("wordpress", "seo"),
        120,
        300,
        "USD",
        6,
    ),
    (
        "buyer4",
        "Explainer video for a food delivery app",
        "A 60-second 2D explainer video with voice-over.",
        "video",
        ("motion-graphics", "2d-animation", "video-editing"),
        250,
        600,
        "USD",
        9,
    ),
    (
        "buyer5",
        "Customer support by chat, 4 hours a day",
        "Answer live-chat questions for our online store, UK hours.",
        "customer-support",
        ("live-chat", "email-support"),
        300,
        700,
        "USD",
        10,
    ),
]

# (freelancer, job index, price in major units, delivery days)
DEMO_BIDS = [
    ("freelancer1", 0, 650, 21),
    ("freelancer8", 0, 720, 18),
    ("freelancer2", 1, 150, 5),
    ("freelancer4", 1, 120, 7),
    ("freelancer2", 2, 6000, 4),
    ("freelancer3", 3, 3500, 3),
    ("freelancer5", 4, 320, 10),
    ("freelancer4", 5, 200, 6),
    ("freelancer6", 6, 480, 12),
    ("freelancer7", 7, 550, 30),
]

PROPOSAL = (
    "Hello! I have done this kind of work many times and can start right away. I will send a short progress "
    "report every Friday and keep all our talk here on Haat."
)


def _demo_jobs(users: dict[str, User]) -> int:
    """Open jobs across the categories with bids; skipped when the demo buyers already have jobs."""
    import datetime as dt

    from django.utils import timezone

    from haat.bids import services as bid_services
    from haat.jobs import services as job_services
    from haat.jobs.models import Job
    from haat.web.money import to_minor

    if Job.objects.filter(buyer__email__endswith=f"@{DEMO_DOMAIN}").exists():
        return 0
    now = timezone.now()
    jobs = []
    for buyer, title, description, category, skills, low, high, currency, days in DEMO_JOBS:
        jobs.append(
            job_services.create_job(
                buyer=users[buyer],
                publish=True,
                fields={
                    "title": title,
                    "description": description,
                    "category": category,
                    "skills": list(skills),
                    "budget_min": to_minor(str(low), currency),
                    "budget_max": to_minor(str(high), currency),
                    "currency": currency,
                    "bidding_closes_at": now + dt.timedelta(days=days),
                    "deadline": now + dt.timedelta(days=days + 30),
                    "visibility": "public",
                    "is_confidential": False,
                },
            )
        )
    for freelancer, index, price, delivery in DEMO_BIDS:
        job = jobs[index]
        bid_services.place_bid(
            freelancer=users[freelancer],
            job_id=job.pk,
            amount=to_minor(str(price), job.currency),
            delivery_days=delivery,
            proposal=PROPOSAL,
        )
    return len(jobs)


# Contracts in every state, each on its own job (buyer4 hires):
# (state, title, freelancer, category slug, price in USD, delivery days).
DEMO_CONTRACTS = [
    ("awaiting_funding", "Bengali menu cards for our restaurants", "freelancer5", "translation", 180, 7),
    ("funded", "Product listings for 300 spices", "freelancer3", "data-entry", 250, 10),
    ("delivered", "Landing page for the summer offer", "freelancer1", "software-development", 400, 14),
    ("changes_requested", "Logo for Coastal Foods Express", "freelancer2", "graphic-design", 150, 6),
    ("completed", "Speed up our WordPress shop", "freelancer4", "seo", 300, 8),
    ("cancelled", "Recipe video in two languages", "freelancer6", "video", 350, 12),
    ("disputed", "Delivery app screens for Dhaka riders", "freelancer1", "software-development", 220, 9),
]
DEMO_CONTRACT_BUYER = "buyer4"


def _demo_zip(title: str, version: int) -> SimpleUploadedFile:
    """A small, valid zip: what a freelancer would deliver."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("work/README.md", f"# {title}\n\nVersion {version}.\n")
        archive.writestr(
            "work/index.html", f"<!doctype html><title>{title}</title><p>Version {version}</p>\n"
        )
    return SimpleUploadedFile(f"delivery-v{version}.zip", buffer.getvalue(), content_type="application/zip")


def _demo_contracts(users: dict[str, User]) -> int:
    """Contracts in every state, made through the services (award, accept, fund, deliver, request changes,
    accept, cancel) so the ledger holds the real transfers; skipped when the demo buyer already has contracts
    or cannot pay (no sandbox gateway)."""
    import datetime as dt

    from django.utils import timezone

    from haat.bids import services as bid_services
    from haat.contracts import services as contract_services
    from haat.contracts.models import Contract
    from haat.jobs import services as job_services
    from haat.ledger import selectors as ledger_selectors
    from haat.ledger import services as ledger_services
    from haat.web.money import to_minor

    buyer = users[DEMO_CONTRACT_BUYER]
    if Contract.objects.filter(buyer=buyer).exists():
        return 0
    needed = sum(
        to_minor(str(price), "USD") * 2 for *_, price, _ in DEMO_CONTRACTS
    )  # price + fees, with room
    if ledger_selectors.balance(ledger_services.wallet(buyer, "USD")).available < needed:
        return 0
    now = timezone.now()
    made = 0
    for state, title, freelancer_key, category, price, days in DEMO_CONTRACTS:
        worker = users[freelancer_key]
        amount = to_minor(str(price), "USD")
        job = job_services.create_job(
            buyer=buyer,
            publish=True,
            fields={
                "title": title,
                "description": f"{title}. Details in the attached brief; questions welcome in the messages.",
                "category": category,
                "skills": [],
                "budget_min": amount // 2,
                "budget_max": amount * 2,
                "currency": "USD",
                "bidding_closes_at": now + dt.timedelta(days=7),
                "deadline": now + dt.timedelta(days=7 + days + 30),
                "visibility": "public",
                "is_confidential": False,
            },
        )
        bid = bid_services.place_bid(
            freelancer=worker, job_id=job.pk, amount=amount, delivery_days=days, proposal=PROPOSAL
        )
        bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
        contract = bid_services.accept_award(freelancer=worker, bid_id=bid.pk)
        milestone = contract.milestones.order_by("position", "pk").first()
        assert milestone is not None
        if state == "cancelled":
            contract_services.cancel_milestone(user=buyer, milestone_id=milestone.pk)
        elif state != "awaiting_funding":
            contract_services.fund_milestone(user=buyer, milestone_id=milestone.pk)
        if state in {"delivered", "changes_requested", "completed", "disputed"}:
            contract_services.deliver(
                user=worker,
                milestone_id=milestone.pk,
                upload=_demo_zip(title, 1),
                note="The first version is ready: please have a look.",
            )
        if state == "changes_requested":
            contract_services.request_changes(
                user=buyer, milestone_id=milestone.pk, comment="Looks good! Please make the text larger."
            )
        if state == "completed":
            contract_services.accept(user=buyer, milestone_id=milestone.pk)
            _demo_reviews(contract.pk, buyer, worker)
        if state == "disputed":
            _demo_dispute(milestone.pk, buyer, worker)
        made += 1
    return made


def _demo_dispute(milestone_id: int, buyer: User, worker: User) -> None:
    """The buyer disputes the delivery; offers go back and forth; the freelancer asks for an arbiter (so the
    arbiters' queue has a case)."""
    from haat.disputes import services as dispute_services

    dispute = dispute_services.open_dispute(
        user=buyer,
        milestone_id=milestone_id,
        reason="quality",
        statement="Three of the eight screens are missing and the map does not load on older phones.",
    )
    offer = dispute_services.make_offer(
        user=worker, dispute_id=dispute.pk, percent=85, note="The missing screens are small; I can add them."
    )
    dispute_services.reject_offer(user=buyer, offer_id=offer.pk, note="The map is the main part.")
    dispute_services.make_offer(user=buyer, dispute_id=dispute.pk, percent=40)
    dispute_services.escalate(user=worker, dispute_id=dispute.pk)


def _demo_reviews(contract_id: int, buyer: User, worker: User) -> None:
    """Both sides review the completed contract (so both reviews are published at once)."""
    from haat.reputation import services as reputation_services

    reputation_services.leave_review(
        user=buyer,
        contract_id=contract_id,
        quality=5,
        communication=5,
        deadlines=4,
        text="Fast, careful work and clear weekly updates.",
    )
    reputation_services.leave_review(
        user=worker,
        contract_id=contract_id,
        quality=5,
        communication=5,
        deadlines=5,
        text="Clear brief and quick answers. Thank you!",
    )


def build(progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Create or update the demo set; ``progress(n)`` is called after each step. Returns counts."""
    people = [*BUYERS, *FREELANCERS]
    users: dict[str, User] = {}
    for person in people:
        user = users[person.key] = _person(person)
        if "sandbox" in settings.HAAT_GATEWAYS:
            _demo_deposit(user, person.key)
        if progress:
            progress(1)
    jobs = _demo_jobs(users)
    if progress:
        progress(1)
    contracts = _demo_contracts(users)
    if progress:
        progress(1)
    for key, role in STAFF_ROLES.items():
        _staff_member(key, role)
    if progress:
        progress(1)
    return {
        "buyers": len(BUYERS),
        "freelancers": len(FREELANCERS),
        "staff": len(STAFF_ROLES),
        "jobs": jobs,
        "contracts": contracts,
    }


def step_count() -> int:
    return len(BUYERS) + len(FREELANCERS) + 3
