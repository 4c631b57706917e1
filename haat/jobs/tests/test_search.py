"""Job search (PostgreSQL full-text and SQLite FTS5 behind one selector), filters, facets, sorting, pages,
saved filters and the daily digest.

Jobs are created directly with the ORM and indexed with ``search.index_job``, as the jobs services do.
"""

from __future__ import annotations

import importlib
import itertools
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import Profile, User
from haat.bids.models import Bid, BidStatus
from haat.conftest import make_user
from haat.jobs import digest, search, selectors
from haat.jobs.models import (
    Category,
    DigestedJob,
    Job,
    JobInvitation,
    JobStatus,
    NdaAcceptance,
    SavedFilter,
    Skill,
    Visibility,
)
from haat.jobs.search_tasks import send_filter_digests

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
API = "/api/v1/jobs"
SAVED_API = "/api/v1/me/saved-filters"
METACHARACTERS = [
    "'",
    '"',
    "*",
    "OR",
    "NEAR(",
    ";--",
    "logo' OR '1'='1",
    '"logo',
    "logo*",
    "title:logo",
    "{title}: logo",
    "NEAR(logo design, 2)",
    "logo AND NOT design",
    "-logo",
    "^logo",
    "(logo",
    "logo)",
    "logo OR design",
    "\\",
    "%_",
    "'; DROP TABLE jobs_job; --",
    "লোগো:*",
    "& | ! <->",
]
_counter = itertools.count(1)


# --- Helpers --------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _currencies(settings: Any) -> None:
    settings.HAAT_CURRENCIES = ["USD", "BDT", "EUR", "GBP", "INR"]
    settings.HAAT_BASE_URL = "https://haat.example"


@pytest.fixture
def buyer(db: None) -> User:
    return make_user("buyer@example.com")


def make_job(
    buyer: User,
    title: str,
    description: str = "A job.",
    *,
    category: str = "web-design",
    skills: tuple[str, ...] = (),
    budget: tuple[int, int] = (10_000, 50_000),
    currency: str = "USD",
    status: str = JobStatus.OPEN,
    visibility: str = Visibility.PUBLIC,
    confidential: bool = False,
    published: timedelta | None = timedelta(hours=1),
    closes_in: timedelta = timedelta(days=7),
) -> Job:
    """A job published ``published`` ago (None: never published) whose bidding closes ``closes_in`` from now."""
    now = timezone.now()
    job = Job.objects.create(
        buyer=buyer,
        title=title,
        description=description,
        category=Category.objects.get(slug=category),
        budget_min=budget[0],
        budget_max=budget[1],
        currency=currency,
        deadline=now + closes_in + timedelta(days=30),
        bidding_closes_at=now + closes_in,
        visibility=visibility,
        is_confidential=confidential,
        status=status,
        published_at=None if published is None else now - published,
    )
    if skills:
        job.skills.set(Skill.objects.filter(slug__in=skills))
    search.index_job(job)
    return job


def add_bid(job: Job, *, status: str = BidStatus.LIVE) -> Bid:
    freelancer = make_user(f"bidder{next(_counter)}@example.com")
    return Bid.objects.create(
        job=job,
        freelancer=freelancer,
        amount=job.budget_min,
        delivery_days=5,
        proposal="I can.",
        status=status,
    )


def found(viewer: User | None = None, **raw: Any) -> list[str]:
    """Titles the selector returns for these parameters, in order."""
    result = selectors.search_jobs(viewer, search.clean_params(raw), limit=100)
    return [job.title for job in result.jobs]


def api_titles(client: Client, **params: Any) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


# --- The index ------------------------------------------------------------------------------------------------


def test_the_index_exists_for_this_database_and_keeps_bengali_words_whole(buyer: User) -> None:
    make_job(buyer, "লোগো ডিজাইন দরকার", "আমাদের কোম্পানির জন্য একটি লোগোর প্রয়োজন")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("CREATE VIRTUAL TABLE temp.fts_words USING fts5vocab(main, jobs_job_fts, 'row')")
            cursor.execute("SELECT term FROM temp.fts_words")
            words = {row[0] for row in cursor.fetchall()}
            cursor.execute("DROP TABLE temp.fts_words")
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'jobs_job' "
                "AND indexname = 'jobs_job_search_document_gin'"
            )
            (definition,) = cursor.fetchone()
            assert "gin" in definition and "search_document" in definition
            # The stored document, filled by the trigger when the job was written.
            cursor.execute("SELECT search_document FROM jobs_job")
            words = {part.split(":")[0].strip("'") for part in cursor.fetchone()[0].split()}
    # Whole words, vowel signs and all; no fragments such as "ল" or "গ".
    assert {"লোগো", "ডিজাইন", "দরকার", "লোগোর", "কোম্পানির"} <= words
    assert not {"ল", "গ", "ড", "জ"} & words


def test_postgresql_uses_the_gin_index_and_sqlite_the_fts_table(buyer: User) -> None:
    for n in range(30):
        make_job(buyer, f"Job number {n}", "Plain words")
    make_job(buyer, "Unusual zebra job")
    match = search.keyword_match(["zebra"])
    # The keyword condition alone: with sequential scans off, only an index on the same expression serves it.
    queryset = Job.objects.alias(**search.search_aliases()).filter(match.everything).order_by()
    with connection.cursor() as cursor:
        sql, sql_params = queryset.query.sql_with_params()
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", sql_params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", sql_params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    expected = "jobs_job_search_document_gin" if connection.vendor == "postgresql" else "VIRTUAL TABLE INDEX"
    assert expected in plan
    assert found(q="zebra") == ["Unusual zebra job"]


def test_index_follows_edits_and_deletes(buyer: User) -> None:
    job = make_job(buyer, "Write a brochure", "Tri-fold, print ready")
    assert found(q="brochure") == ["Write a brochure"]
    Job.objects.filter(pk=job.pk).update(title="Design a poster", description="A3 size")
    job.refresh_from_db()
    search.index_job(job)
    assert found(q="brochure") == []
    assert found(q="poster") == ["Design a poster"]
    assert found(q="A3") == ["Design a poster"]
    job.delete()
    search.index_job(job)
    assert found(q="poster") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM jobs_job_fts WHERE rowid = %s", [job.pk or 0])
            assert cursor.fetchone() == (0,)


def test_rebuild_index_restores_a_lost_sqlite_index(buyer: User) -> None:
    make_job(buyer, "Translate a manual", "Forty pages")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM jobs_job_fts")
        assert found(q="manual") == []
        assert search.rebuild_index() == 1
    else:
        assert search.rebuild_index() == 0  # PostgreSQL indexes the row itself
    assert found(q="manual") == ["Translate a manual"]


def test_migration_is_reversible(buyer: User) -> None:
    make_job(buyer, "Reversible migration check")
    module = importlib.import_module("haat.jobs.migrations.0004_search_index")
    operation = module.Migration.operations[0]
    editor = SimpleNamespace(connection=connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # PostgreSQL refuses DDL on a table with deferred checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    operation.reverse_code(django_apps, editor)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":
            assert "jobs_job_fts" not in tables
        else:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'jobs_job_search_gin'")
            assert cursor.fetchone() == (0,)
    operation.code(django_apps, editor)
    assert found(q="reversible") == ["Reversible migration check"]


# --- Keywords -------------------------------------------------------------------------------------------------


def test_english_keywords_match_words_and_their_beginnings_in_any_case(buyer: User) -> None:
    make_job(buyer, "Django REST API for a shop", "Payments with bKash and a dashboard")
    make_job(buyer, "WordPress theme fixes", "Small CSS changes")
    assert found(q="django") == ["Django REST API for a shop"]
    assert found(q="DJANGO") == ["Django REST API for a shop"]
    assert found(q="djan") == ["Django REST API for a shop"]  # the start of a word
    assert found(q="dashboard") == ["Django REST API for a shop"]  # the description is searched
    assert found(q="django css") == []  # every word must occur
    assert found(q="ango") == []  # not the middle of a word
    assert sorted(found(q="")) == ["Django REST API for a shop", "WordPress theme fixes"]


def test_a_bengali_keyword_finds_the_bengali_job(buyer: User, client: Client) -> None:
    make_job(buyer, "লোগো ডিজাইন দরকার", "আমাদের কোম্পানির জন্য একটি লোগোর প্রয়োজন")
    make_job(buyer, "Logo for a bakery", "Modern, simple")
    make_job(buyer, "ওয়েবসাইট তৈরি", "একটি ছোট দোকানের জন্য")
    assert found(q="লোগো") == ["লোগো ডিজাইন দরকার"]
    assert found(q="ডিজাইন দরকার") == ["লোগো ডিজাইন দরকার"]
    assert found(q="কোম্পানির") == ["লোগো ডিজাইন দরকার"]
    assert found(q="জাইন") == []  # a piece from inside a word is not a word
    assert found(q="logo") == ["Logo for a bakery"]
    assert api_titles(client, q="লোগো") == ["লোগো ডিজাইন দরকার"]
    page = client.get(reverse("jobs:job-list"), {"q": "লোগো"})
    assert "লোগো ডিজাইন দরকার" in page.content.decode()
    assert "Logo for a bakery" not in page.content.decode()


@pytest.mark.parametrize("query", METACHARACTERS)
def test_query_syntax_in_keywords_never_breaks_the_search(buyer: User, client: Client, query: str) -> None:
    make_job(buyer, "Logo design", "Clean logo design for a shop")
    make_job(buyer, "Data entry", "Excel sheets")
    before = Job.objects.count()
    response = client.get(API, {"q": query})
    assert response.status_code == 200, response.content
    titles = [item["title"] for item in response.json()["items"]]
    assert set(titles) <= {"Logo design", "Data entry"}
    terms = search.search_terms(query)
    if terms and set(terms) <= {"logo", "design"}:  # the words left once the syntax is gone
        assert titles == ["Logo design"]
    page = client.get(reverse("jobs:job-list"), {"q": query})
    assert page.status_code == 200
    assert Job.objects.count() == before


def test_search_terms_split_like_the_databases_do() -> None:
    assert search.search_terms("Logo, design; LOGO!") == ["logo", "design"]
    assert search.search_terms("লোগো-ডিজাইন") == ["লোগো", "ডিজাইন"]
    assert search.search_terms('"NEAR(a b)" OR \';--') == ["near", "a", "b", "or"]
    assert search.search_terms("*^{}:") == []
    assert len(search.search_terms(" ".join(f"w{n}" for n in range(50)))) == search.MAX_TERMS


# --- Who sees what --------------------------------------------------------------------------------------------


def test_invite_only_jobs_are_hidden_from_the_uninvited(buyer: User, user: User, other_user: User) -> None:
    job = make_job(
        buyer, "Secret invite job", visibility=Visibility.INVITE_ONLY, published=timedelta(hours=2)
    )
    make_job(buyer, "Public job", published=timedelta(hours=1))
    JobInvitation.objects.create(job=job, freelancer=user)
    assert found(None) == ["Public job"]
    assert found(other_user) == ["Public job"]
    assert found(other_user, q="secret") == []
    assert found(user) == ["Public job", "Secret invite job"]
    assert found(buyer) == ["Public job", "Secret invite job"]

    client = Client()
    assert api_titles(client) == ["Public job"]
    response = client.get(API, **bearer(user))
    assert [item["title"] for item in response.json()["items"]] == ["Public job", "Secret invite job"]
    response = client.get(API, **bearer(other_user))
    assert [item["title"] for item in response.json()["items"]] == ["Public job"]
    client.force_login(other_user)
    page = client.get(reverse("jobs:job-list")).content.decode()
    assert "Public job" in page and "Secret invite job" not in page
    client.force_login(user)
    assert "Secret invite job" in client.get(reverse("jobs:job-list")).content.decode()


def test_a_bad_token_is_refused_rather_than_treated_as_anonymous(client: Client) -> None:
    response = client.get(API, HTTP_AUTHORIZATION="Bearer haat_not-a-real-token")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def test_drafts_and_cancelled_jobs_are_never_listed(buyer: User) -> None:
    make_job(buyer, "Draft job", status=JobStatus.DRAFT, published=None)
    make_job(buyer, "Cancelled job", status=JobStatus.CANCELLED)
    make_job(buyer, "Open job")
    assert found(buyer, open_only=False) == ["Open job"]
    assert found(None, open_only=False) == ["Open job"]


def test_confidential_description_is_neither_searched_nor_shown_before_the_nda(
    buyer: User, user: User, client: Client
) -> None:
    job = make_job(buyer, "Mobile app", "Build the app for Project Falcon", confidential=True)
    # Not searched for others: only the title is.
    assert found(user, q="falcon") == []
    assert found(None, q="falcon") == []
    assert found(user, q="mobile") == ["Mobile app"]
    body = client.get(API, {"q": "mobile"}).json()
    assert body["items"][0]["description"] is None
    assert body["items"][0]["details_visible"] is False
    assert "Falcon" not in client.get(API).content.decode()
    page = client.get(reverse("jobs:job-list")).content.decode()
    assert "Mobile app" in page and "Falcon" not in page
    # The buyer, and a freelancer after accepting the NDA, search and read it.
    assert found(buyer, q="falcon") == ["Mobile app"]
    NdaAcceptance.objects.create(job=job, user=user)
    assert found(user, q="falcon") == ["Mobile app"]
    client.force_login(user)
    item = client.get(API, {"q": "falcon"}).json()["items"][0]
    assert item["description"] == "Build the app for Project Falcon"
    assert item["details_visible"] is True
    assert "Falcon" in client.get(reverse("jobs:job-list")).content.decode()


# --- Filters --------------------------------------------------------------------------------------------------


def test_a_category_includes_its_sub_categories(buyer: User, client: Client) -> None:
    make_job(buyer, "Web job", category="web-design")
    make_job(buyer, "Code job", category="software-development")
    make_job(buyer, "Logo job", category="graphic-design")
    assert sorted(found(category="it")) == ["Code job", "Web job"]
    assert found(category="web-design") == ["Web job"]
    assert found(category="creative") == ["Logo job"]
    assert found(category="writing") == []
    assert sorted(api_titles(client, category="it")) == ["Code job", "Web job"]


def test_skills_match_any_of_them(buyer: User, client: Client) -> None:
    make_job(buyer, "Python job", skills=("python", "django"), category="software-development")
    make_job(buyer, "PHP job", skills=("php",), category="software-development")
    make_job(buyer, "No skills job", category="software-development")
    assert found(skills=["django"]) == ["Python job"]
    assert sorted(found(skills=["django", "php"])) == ["PHP job", "Python job"]
    assert sorted(api_titles(client, skills=["python", "php"])) == ["PHP job", "Python job"]
    assert sorted(api_titles(client, skills="python,php")) == ["PHP job", "Python job"]
    assert found(skills=["java"]) == []


def test_budget_filters_overlap_the_job_range_in_its_currency(buyer: User, client: Client) -> None:
    make_job(buyer, "USD 100-500", budget=(10_000, 50_000))
    make_job(buyer, "BDT job", budget=(10_000, 50_000), currency="BDT")
    assert found(currency="USD", budget_min=40_000, budget_max=100_000) == ["USD 100-500"]
    assert found(currency="USD", budget_min=50_000) == ["USD 100-500"]  # touching ends overlap
    assert found(currency="USD", budget_max=10_000) == ["USD 100-500"]
    assert found(currency="USD", budget_min=60_000, budget_max=100_000) == []
    assert found(currency="USD", budget_min=5_000, budget_max=9_999) == []
    assert found(currency="BDT") == ["BDT job"]
    assert api_titles(client, currency="USD", budget_min=40_000) == ["USD 100-500"]


def test_posted_since_and_open_only(buyer: User, client: Client) -> None:
    make_job(buyer, "Fresh", published=timedelta(hours=2))
    make_job(buyer, "Old", published=timedelta(days=10))
    make_job(buyer, "Awarded", status=JobStatus.AWARDED)
    make_job(buyer, "Closed", status=JobStatus.CLOSED)
    make_job(buyer, "Past close", closes_in=timedelta(hours=-1))
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert found(posted_since=since) == ["Fresh"]
    assert found() == ["Fresh", "Old"]
    assert sorted(found(open_only=False)) == ["Awarded", "Closed", "Fresh", "Old", "Past close"]
    assert sorted(api_titles(client, open_only="false", posted_since=since)) == [
        "Awarded",
        "Closed",
        "Fresh",
        "Past close",
    ]
    assert api_titles(client, posted_since=since) == ["Fresh"]


def test_confidential_filter(buyer: User, client: Client) -> None:
    make_job(buyer, "Secret", confidential=True)
    make_job(buyer, "Plain")
    assert found(confidential=True) == ["Secret"]
    assert found(confidential=False) == ["Plain"]
    assert sorted(found()) == ["Plain", "Secret"]
    assert api_titles(client, confidential="true") == ["Secret"]
    assert api_titles(client, confidential="false") == ["Plain"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"skills": "python,no-such-skill"}, "skills"),
        ({"budget_min": 100}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "USD", "budget_min": 500, "budget_max": 100}, "budget_max"),
        ({"currency": "USD", "budget_min": 0}, "budget_min"),
        ({"currency": "USD", "budget_min": -5}, "budget_min"),
        ({"sort": "random"}, "sort"),
        ({"posted_since": "yesterday"}, "posted_since"),
        ({"posted_since": "0001-01-01"}, "posted_since"),
        ({"posted_since": "9999-12-31"}, "posted_since"),
        ({"currency": "USD", "budget_min": 2**63}, "budget_min"),
        ({"q": "x" * 201}, "q"),
        ({"limit": 0}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"open_only": "maybe"}, "open_only"),
    ],
)
def test_bad_search_parameters_get_a_clear_422(client: Client, params: dict[str, Any], field: str) -> None:
    response = client.get(API, params)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert field in [error["field"] for error in response.json()["errors"]]


def test_the_api_documents_optional_credentials_and_every_parameter(client: Client) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/jobs"]["get"]
    assert {} in operation["security"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names >= {"q", "category", "skills", "budget_min", "budget_max", "currency", "posted_since"}
    assert names >= {"open_only", "confidential", "sort", "limit", "offset"}


def test_clean_params_rejects_the_same_mistakes() -> None:
    with pytest.raises(ValidationError) as excinfo:
        search.clean_params({"category": "nope", "budget_min": 5, "sort": "x", "skills": ["nope"]})
    assert set(excinfo.value.message_dict) == {"category", "currency", "sort", "skills"}
    cleaned = search.clean_params({"skills": "python, django", "currency": "usd", "confidential": "0"})
    assert cleaned.skills == ("django", "python")
    assert cleaned.currency == "USD"
    assert cleaned.confidential is False
    assert cleaned.open_only is True
    assert search.clean_params(cleaned.to_dict()) == cleaned


# --- Sorting, facets, pages -----------------------------------------------------------------------------------


def test_every_sort_order(buyer: User, client: Client) -> None:
    cheap = make_job(buyer, "Cheap logo", "A logo", budget=(1_000, 5_000), published=timedelta(hours=3))
    pricey = make_job(
        buyer, "Pricey site", "Logo and logo and logo", budget=(90_000, 200_000), published=timedelta(hours=2)
    )
    middle = make_job(
        buyer, "Middle logo logo", "Logo work", budget=(20_000, 60_000), published=timedelta(hours=1)
    )
    for _n in range(3):
        add_bid(cheap)
    add_bid(middle)
    add_bid(pricey, status=BidStatus.WITHDRAWN)  # withdrawn bids do not count
    add_bid(pricey, status=BidStatus.WITHDRAWN)
    assert found(sort="newest") == ["Middle logo logo", "Pricey site", "Cheap logo"]
    assert found(sort="budget_high") == ["Pricey site", "Middle logo logo", "Cheap logo"]
    assert found(sort="budget_low") == ["Cheap logo", "Middle logo logo", "Pricey site"]
    assert found(sort="fewest_bids") == ["Pricey site", "Middle logo logo", "Cheap logo"]
    # Relevance: the title weighs most; every job mentions "logo".
    ranked = found(q="logo", sort="relevance")
    assert set(ranked) == {"Cheap logo", "Pricey site", "Middle logo logo"}
    assert ranked[0] == "Middle logo logo"
    assert ranked[-1] == "Pricey site"
    assert found(sort="relevance") == found(sort="newest")  # without keywords: newest first
    items = client.get(API, {"sort": "fewest_bids"}).json()["items"]
    assert [(item["title"], item["bid_count"]) for item in items] == [
        ("Pricey site", 0),
        ("Middle logo logo", 1),
        ("Cheap logo", 3),
    ]


def test_facets_count_per_category_ignoring_only_the_category_filter(buyer: User, client: Client) -> None:
    make_job(buyer, "Web one", category="web-design", skills=("wordpress",))
    make_job(buyer, "Web two", category="web-design")
    make_job(buyer, "Code", category="software-development", skills=("wordpress",))
    make_job(buyer, "Logo", category="graphic-design", skills=("wordpress",))
    make_job(buyer, "Closed web", category="web-design", status=JobStatus.CLOSED)
    body = client.get(API, {"category": "web-design"}).json()
    assert body["count"] == 2
    assert body["facets"] == {
        "web-design": 2,
        "software-development": 1,
        "it": 3,
        "graphic-design": 1,
        "creative": 1,
    }
    body = client.get(API, {"category": "it", "skills": "wordpress"}).json()
    assert body["count"] == 2
    assert body["facets"] == {
        "web-design": 1,
        "software-development": 1,
        "it": 2,
        "graphic-design": 1,
        "creative": 1,
    }


def test_pagination_with_limit_and_offset(buyer: User, client: Client) -> None:
    for n in range(7):
        make_job(buyer, f"Job {n}", published=timedelta(hours=10 - n))
    first = client.get(API, {"limit": 3}).json()
    second = client.get(API, {"limit": 3, "offset": 3}).json()
    last = client.get(API, {"limit": 3, "offset": 6}).json()
    assert first["count"] == second["count"] == last["count"] == 7
    assert [i["title"] for i in first["items"]] == ["Job 6", "Job 5", "Job 4"]
    assert [i["title"] for i in second["items"]] == ["Job 3", "Job 2", "Job 1"]
    assert [i["title"] for i in last["items"]] == ["Job 0"]
    assert client.get(API, {"offset": 50}).json()["items"] == []


def test_query_count_does_not_grow_with_the_page(buyer: User) -> None:
    params = search.clean_params({"q": "work", "skills": ["python", "php"], "category": "it"})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            result = selectors.search_jobs(buyer, params, limit=50)
            for job in result.jobs:
                _ = (job.category.parent, list(job.skills.all()))
                _ = (getattr(job, "bid_count"), getattr(job, "details_visible"))  # noqa: B009
        return len(captured)

    for n in range(2):
        add_bid(make_job(buyer, f"Work {n}", skills=("python",), category="software-development"))
    small = queries()
    for n in range(15):
        add_bid(make_job(buyer, f"More work {n}", skills=("php", "python"), category="web-design"))
    assert queries() == small
    assert small <= 5


# --- Pages ----------------------------------------------------------------------------------------------------


def test_job_list_page_filters_sorts_and_links_facets(buyer: User, client: Client) -> None:
    make_job(buyer, "WordPress fix", category="web-design", budget=(10_000, 20_000))
    make_job(buyer, "Logo job", category="graphic-design", budget=(30_000, 40_000))
    response = client.get(reverse("jobs:job-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 jobs found" in html
    assert "WordPress fix" in html and "Logo job" in html
    assert "US$100.00" in html
    assert reverse("jobs:job-detail", args=[Job.objects.get(title="Logo job").pk]) in html
    assert "?category=creative" in html  # a facet link
    assert "style=" not in html and "<script>" not in html
    response = client.get(
        reverse("jobs:job-list"),
        {"category": "creative", "currency": "USD", "budget_min": "250", "sort": "budget_low"},
    )
    html = response.content.decode()
    assert "1 job found" in html and "Logo job" in html and "WordPress fix" not in html


def test_job_list_page_in_bengali(buyer: User, client: Client) -> None:
    make_job(buyer, "লোগো ডিজাইন দরকার", category="graphic-design", budget=(123_456, 200_000))
    client.cookies["haat_language"] = "bn"
    html = client.get(reverse("jobs:job-list"), {"q": "লোগো"}).content.decode()
    assert 'lang="bn"' in html
    assert "লোগো ডিজাইন দরকার" in html
    assert "১,২৩৪.৫৬" in html  # Bengali digits in the budget
    assert "গ্রাফিক ডিজাইন" in html  # the category's Bengali name


def test_job_list_page_shows_form_errors_and_changes_nothing(buyer: User, client: Client) -> None:
    make_job(buyer, "Anything")
    response = client.get(reverse("jobs:job-list"), {"budget_min": "12.345", "currency": "USD"})
    assert response.status_code == 400
    assert "at most 2 decimal places" in response.content.decode()
    response = client.get(reverse("jobs:job-list"), {"budget_min": "10"})
    assert response.status_code == 400
    assert "Choose the currency of the budget." in response.content.decode()
    response = client.get(
        reverse("jobs:job-list"), {"currency": "USD", "budget_min": "90", "budget_max": "10"}
    )
    assert response.status_code == 400
    assert "The maximum must not be below the minimum." in response.content.decode()


def test_job_list_page_paginates(buyer: User, client: Client) -> None:
    for n in range(23):
        make_job(buyer, f"Paged job {n:02d}", published=timedelta(minutes=100 - n))
    html = client.get(reverse("jobs:job-list"), {"q": "paged"}).content.decode()
    assert "Page 1 of 2" in html and "Paged job 22" in html and "Paged job 02" not in html
    assert "page=2" in html
    html = client.get(reverse("jobs:job-list"), {"q": "paged", "page": "2"}).content.decode()
    assert "Page 2 of 2" in html and "Paged job 02" in html and "Paged job 22" not in html
    assert client.get(reverse("jobs:job-list"), {"page": "nonsense"}).status_code == 200


def test_anonymous_visitors_are_asked_to_log_in_to_save(client: Client) -> None:
    html = client.get(reverse("jobs:job-list")).content.decode()
    assert reverse("account_login") in html
    response = client.get(reverse("jobs:saved-filters"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


# --- Saved filters --------------------------------------------------------------------------------------------


def test_saved_filters_api_create_list_delete_and_ownership(
    user: User, other_user: User, client: Client
) -> None:
    headers = bearer(user)
    payload = {
        "name": "Django gigs",
        "params": {
            "q": "django",
            "category": "it",
            "skills": ["python"],
            "currency": "USD",
            "budget_min": 5000,
        },
        "email_digest": True,
    }
    response = client.post(SAVED_API, payload, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "Django gigs"
    assert created["params"]["q"] == "django"
    assert created["params"]["skills"] == ["python"]
    assert created["params"]["budget_min"] == 5000
    assert created["params"]["open_only"] is True
    theirs = search.save_filter(user=other_user, name="Theirs", params={})

    listed = client.get(SAVED_API, **headers).json()
    assert [item["name"] for item in listed["items"]] == ["Django gigs"]

    response = client.delete(f"{SAVED_API}/{theirs.pk}", **headers)
    assert response.status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
    response = client.delete(f"{SAVED_API}/{created['id']}", **headers)
    assert response.status_code == 204
    assert not SavedFilter.objects.filter(pk=created["id"]).exists()
    assert client.delete(f"{SAVED_API}/{2**70}", **headers).status_code in {404, 422}
    assert client.get(SAVED_API).status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "Bad\nname"}, "name"),
        ({"name": "Bad category", "params": {"category": "nope"}}, "category"),
        ({"name": "Bad budget", "params": {"budget_min": 100}}, "currency"),
        ({"name": "Bad sort", "params": {"sort": "cheapest"}}, "params.sort"),
    ],
)
def test_invalid_saved_filters_are_refused_and_nothing_is_saved(
    user: User, client: Client, payload: dict[str, Any], field: str
) -> None:
    response = client.post(SAVED_API, payload, content_type="application/json", **bearer(user))
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert SavedFilter.objects.count() == 0


def test_at_most_twenty_saved_filters(user: User) -> None:
    for n in range(search.MAX_SAVED_FILTERS):
        search.save_filter(user=user, name=f"Filter {n}", params={})
    with pytest.raises(ValidationError) as excinfo:
        search.save_filter(user=user, name="One too many", params={})
    assert "name" in excinfo.value.message_dict
    assert SavedFilter.objects.filter(user=user).count() == search.MAX_SAVED_FILTERS


def test_saving_deleting_and_showing_a_filter_on_the_pages(
    buyer: User, user: User, other_user: User, logged_in: Client
) -> None:
    make_job(buyer, "Logo job", category="graphic-design", budget=(30_000, 40_000))
    make_job(buyer, "Web job", category="web-design")
    query = "q=logo&category=creative&currency=USD&budget_min=250.50&open_only=1"
    page = logged_in.get(reverse("jobs:job-list") + "?" + query).content.decode()
    assert 'name="query"' in page
    response = logged_in.post(
        reverse("jobs:saved-filters"), {"name": "Logos", "email_digest": "on", "query": query}
    )
    assert response.status_code == 302 and response["Location"] == reverse("jobs:saved-filters")
    saved = SavedFilter.objects.get(user=user)
    assert saved.name == "Logos" and saved.email_digest is True
    assert saved.params["q"] == "logo"
    assert saved.params["category"] == "creative"
    assert saved.params["budget_min"] == 25_050  # typed in dollars, stored in cents

    html = logged_in.get(reverse("jobs:saved-filters")).content.decode()
    assert "Logos" in html and "Daily e-mail: on" in html and "US$250.50" in html
    link = digest.search_path(saved.params)
    assert link in html.replace("&amp;", "&")
    shown = logged_in.get(link).content.decode()
    assert "Logo job" in shown and "Web job" not in shown
    assert parse_qs(urlsplit(link).query)["budget_min"] == ["250.50"]

    # Someone else's filter cannot be deleted; one's own can.
    theirs = search.save_filter(user=other_user, name="Theirs", params={})
    assert logged_in.post(reverse("jobs:saved-filter-delete", args=[theirs.pk])).status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
    assert logged_in.get(reverse("jobs:saved-filter-delete", args=[saved.pk])).status_code == 405
    response = logged_in.post(reverse("jobs:saved-filter-delete", args=[saved.pk]))
    assert response.status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_saving_a_filter_with_errors_saves_nothing(user: User, logged_in: Client) -> None:
    response = logged_in.post(reverse("jobs:saved-filters"), {"name": "", "query": "q=logo"}, follow=True)
    assert SavedFilter.objects.count() == 0
    assert response.status_code == 200
    response = logged_in.post(
        reverse("jobs:saved-filters"), {"name": "Bad", "query": "budget_min=5"}, follow=True
    )
    assert SavedFilter.objects.count() == 0
    assert "This search has errors" in response.content.decode()


# --- The daily digest -----------------------------------------------------------------------------------------


def _filter(user: User, **params: Any) -> SavedFilter:
    return search.save_filter(user=user, name="Logo work", params=params)


def _digests(django_capture_on_commit_callbacks: Any) -> int:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return int(send_filter_digests.call())


def test_the_digest_is_sent_once_with_only_new_matches(
    buyer: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(start - timedelta(days=1), tick=False):
        make_job(buyer, "Old logo job", published=timedelta(minutes=1))  # before the filter existed
        saved = _filter(user, q="logo")
    with time_machine.travel(start, tick=False):
        new = make_job(buyer, "New logo job", published=timedelta(hours=2))
        make_job(buyer, "Data entry job", published=timedelta(hours=1))  # does not match
        make_job(user, "My own logo job", published=timedelta(hours=1))  # the user's own job
        assert _digests(django_capture_on_commit_callbacks) == 1
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [user.email]
        assert "Logo work" in message.subject
        assert "New logo job" in message.body
        assert f"https://haat.example{reverse('jobs:job-detail', args=[new.pk])}" in message.body
        assert "https://haat.example/jobs/saved/" in message.body
        assert "Old logo job" not in message.body
        assert "Data entry job" not in message.body
        assert "My own logo job" not in message.body
        assert list(DigestedJob.objects.filter(saved_filter=saved).values_list("job_id", flat=True)) == [
            new.pk
        ]
        # Again the same day: nothing, even with a new match.
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        make_job(buyer, "Later logo job", published=timedelta(minutes=5))
        assert _digests(django_capture_on_commit_callbacks) == 0
        assert mail.outbox == []
    with time_machine.travel(start + timedelta(days=1), tick=False):
        assert _digests(django_capture_on_commit_callbacks) == 1
        body = mail.outbox[0].body
        assert "Later logo job" in body
        assert "New logo job" not in body  # never twice
        assert _digests(django_capture_on_commit_callbacks) == 0
    assert DigestedJob.objects.filter(saved_filter=saved).count() == 2


def test_the_worker_schedules_the_digest_task_by_its_dotted_path() -> None:
    from django.utils.module_loading import import_string

    assert import_string("haat.jobs.search_tasks.send_filter_digests") is send_filter_digests


def test_no_digest_when_nothing_matched(
    buyer: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        saved = _filter(user, q="logo")
    make_job(buyer, "Data entry job", published=timedelta(minutes=30))
    assert _digests(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    saved.refresh_from_db()
    assert saved.last_digest_at is None
    assert not DigestedJob.objects.exists()
    # Still due: a match later the same day goes out.
    make_job(buyer, "Logo job", published=timedelta(minutes=10))
    assert _digests(django_capture_on_commit_callbacks) == 1


def test_the_digest_respects_every_filter_and_the_viewers_rights(
    buyer: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        _filter(user, category="creative", currency="USD", budget_min=20_000)
    make_job(
        buyer,
        "Creative match",
        category="graphic-design",
        budget=(10_000, 30_000),
        published=timedelta(hours=1),
    )
    make_job(
        buyer, "Too cheap", category="graphic-design", budget=(1_000, 2_000), published=timedelta(hours=1)
    )
    make_job(buyer, "Wrong category", category="web-design", published=timedelta(hours=1))
    make_job(
        buyer,
        "Invite only",
        category="graphic-design",
        visibility=Visibility.INVITE_ONLY,
        published=timedelta(hours=1),
    )
    make_job(
        buyer,
        "Closed already",
        category="graphic-design",
        status=JobStatus.CLOSED,
        published=timedelta(hours=1),
    )
    assert _digests(django_capture_on_commit_callbacks) == 1
    body = mail.outbox[0].body
    assert "Creative match" in body
    for title in ("Too cheap", "Wrong category", "Invite only", "Closed already"):
        assert title not in body


def test_the_digest_is_in_the_users_language_and_time_zone(
    buyer: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    Profile.objects.filter(user=user).update(language="bn", time_zone="Asia/Dhaka")
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        _filter(user, q="লোগো")
    make_job(buyer, "লোগো ডিজাইন দরকার", budget=(123_456, 200_000), published=timedelta(hours=1))
    assert _digests(django_capture_on_commit_callbacks) == 1
    body = mail.outbox[0].body
    assert "লোগো ডিজাইন দরকার" in body
    assert "১,২৩৪.৫৬" in body  # money formatted for a Bengali reader


def test_one_digest_per_calendar_day_in_the_users_time_zone(
    buyer: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    Profile.objects.filter(user=user).update(time_zone="Asia/Dhaka")  # UTC+6
    base = datetime(2030, 3, 10, 12, 0, tzinfo=UTC)
    with time_machine.travel(base - timedelta(days=1), tick=False):
        _filter(user, q="logo")
    with time_machine.travel(base, tick=False):  # 18:00 in Dhaka
        make_job(buyer, "First logo", published=timedelta(hours=1))
        assert _digests(django_capture_on_commit_callbacks) == 1
    with time_machine.travel(base + timedelta(hours=5), tick=False):  # 23:00 in Dhaka: same day
        make_job(buyer, "Second logo", published=timedelta(hours=1))
        assert _digests(django_capture_on_commit_callbacks) == 0
    with time_machine.travel(base + timedelta(hours=6, minutes=5), tick=False):  # 00:05 next day in Dhaka
        assert _digests(django_capture_on_commit_callbacks) == 1
        assert "Second logo" in mail.outbox[0].body


def test_no_digest_without_the_email_option_or_for_an_invalid_filter(
    buyer: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        search.save_filter(user=user, name="Quiet", params={"q": "logo"}, email_digest=False)
        broken = _filter(user, q="logo")
    SavedFilter.objects.filter(pk=broken.pk).update(params={"category": "removed-category"})
    make_job(buyer, "Logo job", published=timedelta(hours=1))
    assert _digests(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not DigestedJob.objects.exists()


def test_digest_lists_at_most_a_page_and_counts_the_rest(
    buyer: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        saved = _filter(user, q="logo")
    for n in range(digest.MAX_LISTED + 2):
        make_job(buyer, f"Logo {n:02d}", published=timedelta(minutes=100 - n))
    assert _digests(django_capture_on_commit_callbacks) == 1
    message = mail.outbox[0]
    assert f"{digest.MAX_LISTED + 2} new jobs" in message.subject
    assert "…and 2 more." in message.body
    assert message.body.count("https://haat.example/jobs/") >= digest.MAX_LISTED
    assert DigestedJob.objects.filter(saved_filter=saved).count() == digest.MAX_LISTED + 2
