"""Realistic demo data: buyers and freelancers with full profiles, in English and Bengali names.

Idempotent: people are matched by e-mail address, so running it again updates instead of duplicating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from haat.accounts import services
from haat.accounts.models import User
from haat.jobs.models import Skill

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


@transaction.atomic
def _staff() -> User:
    user, created = User.objects.get_or_create(
        email=STAFF_EMAIL, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    services.update_profile(user=user, fields={"display_name": "Haat staff", "time_zone": "Asia/Dhaka"})
    return user


# Buyers start with money in their wallets (through the sandbox gateway, like a real deposit).
DEMO_DEPOSITS = {"buyer1": (250_000, "USD"), "buyer2": (5_000_000, "BDT"), "buyer3": (120_000, "USD")}


def _demo_deposit(user: User, key: str) -> None:
    from haat.payments import deposits
    from haat.payments.models import Deposit

    if key in DEMO_DEPOSITS and not Deposit.objects.filter(user=user).exists():
        amount, currency = DEMO_DEPOSITS[key]
        deposits.start_deposit(user=user, amount=amount, currency=currency, gateway="sandbox")


def build(progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Create or update the demo set; ``progress(n)`` is called after each step. Returns counts."""
    people = [*BUYERS, *FREELANCERS]
    for person in people:
        user = _person(person)
        if "sandbox" in settings.HAAT_GATEWAYS:
            _demo_deposit(user, person.key)
        if progress:
            progress(1)
    _staff()
    if progress:
        progress(1)
    return {"buyers": len(BUYERS), "freelancers": len(FREELANCERS), "staff": 1}


def step_count() -> int:
    return len(BUYERS) + len(FREELANCERS) + 1
