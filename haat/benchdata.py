"""Synthetic marketplace data for the benchmarks (``haat bench-data --jobs N``).

Realistic and deterministic for a seed (and a day: times are relative to the start of the current UTC day):
buyers and freelancers with complete profiles, jobs in every sub-category with English and Bengali titles
and descriptions, about ten bids per job, contracts in every state with their message thread, deliveries,
change requests and the ledger history that goes with them (deposits, escrow funding with the buyer fee,
releases with the freelancer fee, clearance, refunds). ``haat ledger verify`` is clean afterwards.

Speed: rows are written with PostgreSQL ``COPY`` (foreign-key triggers off for the session when the role
may do that, secondary indexes of the big tables dropped and rebuilt after the load) or, on SQLite, with
``executemany`` — in both cases in one transaction. Ids are assigned here, after the largest existing id, so
the data can be added to a database that already holds some (the demo, an earlier run).

The last ``RESERVED_FREELANCERS`` freelancers never bid: the write benchmark places their bids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction

from haat import benchdata_vocabulary as vocab
from haat.accounts.models import Profile, ProfileLanguage, User
from haat.bids.models import Bid
from haat.contracts.models import ChangeRequest, Contract, Delivery, Milestone
from haat.jobs.models import Category, Job, Skill
from haat.ledger.models import Account, AccountKind, Transfer, TransferCode
from haat.ledger.services import transfer_id
from haat.messaging.models import Message, Thread
from haat.payments import fees

EMAIL_DOMAIN = "bench.haat.localhost"
RESERVED_FREELANCERS = 64
CHUNK = 20_000  # jobs per progress step
META_TABLE = "haat_bench_dataset"
DELIVERY_FILE = "deliveries/bench/sample.zip"

# Share of published jobs per status, and of contracts per state.
JOB_STATUSES = [("open", 0.72), ("awarded", 0.10), ("closed", 0.11), ("cancelled", 0.04), ("draft", 0.03)]
CONTRACT_STATES = [
    ("awaiting_funding", 0.14),
    ("funded", 0.18),
    ("delivered", 0.10),
    ("changes_requested", 0.05),
    ("completed", 0.43),
    ("refunded", 0.07),
    ("cancelled_unfunded", 0.03),
]
CURRENCIES = [("USD", 0.70), ("BDT", 0.25), ("EUR", 0.05)]
# Budgets in minor units: (smallest minimum, largest minimum) per currency.
BUDGETS = {"USD": (2_000, 300_000), "EUR": (2_000, 300_000), "BDT": (100_000, 20_000_000)}


@dataclass
class Summary:
    """What one run wrote (rows per table) and how long it took."""

    jobs: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    x = rng.random()
    for value, share in weighted:
        x -= share
        if x < 0:
            return value
    return weighted[-1][0]


# --- Writing rows ---------------------------------------------------------------------------------------------


class Table:
    """A model's table with the columns we fill; every other column gets its field's default."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], now: dt.datetime) -> None:
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{self.name}: no columns {unknown}")
        self.columns = [fields[c].column for c in columns]
        self.defaults: tuple[Any, ...] = ()
        extra: list[Any] = []
        for attname, f in fields.items():
            if attname in columns or (
                f.primary_key and isinstance(f, models.AutoField | models.BigAutoField)
            ):
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value: Any = now
            elif f.has_default() or not f.null:
                value = f.get_default()
            else:
                value = None
            if value is None and not f.null:
                raise ValueError(f"{self.name}.{f.column} needs a value")
            self.columns.append(f.column)
            extra.append(value)
        self.defaults = tuple(extra)


class Writer:
    """Writes rows in bulk to the current database inside the caller's transaction."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.counts: dict[str, int] = defaultdict(int)

    def next_id(self, model: type[models.Model]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            return int(cursor.fetchone()[0]) + 1

    def write(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> None:
        defaults = table.defaults
        columns = ", ".join(f'"{c}"' for c in table.columns)
        n = 0
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + defaults)
                        n += 1
        else:
            marks = ", ".join("?" for _ in table.columns)
            sql = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
            batch: list[tuple[Any, ...]] = []
            raw_connection = connection.connection
            for row in rows:
                batch.append(tuple(_sqlite_value(v) for v in row + defaults))
                if len(batch) >= 5000:
                    raw_connection.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                raw_connection.executemany(sql, batch)
                n += len(batch)
        self.counts[table.name] += n

    def reset_sequences(self, model_list: Iterable[type[models.Model]]) -> None:
        if self.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in model_list:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def _sqlite_value(value: Any) -> Any:
    # Django stores datetimes on SQLite as naive UTC text and UUIDs as 32 hex digits.
    if isinstance(value, dt.datetime):
        return str(value.astimezone(dt.UTC).replace(tzinfo=None)) if value.tzinfo else str(value)
    if isinstance(value, uuid.UUID):
        return value.hex
    return value


@contextmanager
def _bulk_mode(tables: Sequence[str]) -> Iterator[None]:
    """On PostgreSQL: skip foreign-key triggers (the rows are valid by construction) when the role may, and
    drop the big tables' secondary indexes during the load, rebuilding them afterwards (much faster than
    keeping them up to date row by row). Inside the caller's transaction, so a failure restores them."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT bench_replica")
        try:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("RELEASE SAVEPOINT bench_replica")
        except Exception:  # not a superuser: the triggers stay, the load is slower
            cursor.execute("ROLLBACK TO SAVEPOINT bench_replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'jobs_job' AND column_name = 'search_document'"
        )
        if cursor.fetchone():
            # Its trigger does not fire in replica mode; fill the search documents in one pass, before the
            # indexes come back.
            cursor.execute(
                "UPDATE jobs_job SET search_document = to_tsvector('simple'::regconfig, title || ' ' || description) "
                "WHERE search_document IS NULL"
            )
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET LOCAL session_replication_role = origin")


# --- The generator --------------------------------------------------------------------------------------------


@dataclass
class _Contract:
    job_id: int
    bid_id: int
    buyer_id: int
    freelancer_id: int
    price: int
    currency: str
    title: str
    closes_at: dt.datetime
    delivery_days: int
    state: str


class Generator:
    def __init__(self, jobs: int, seed: int, progress: Callable[[int], None] | None = None) -> None:
        self.jobs = jobs
        self.seed = seed
        self.progress = progress or (lambda n: None)
        self.now = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.writer = Writer()
        self.buyers = max(4, jobs // 20)
        self.freelancers = max(24, jobs // 10) + RESERVED_FREELANCERS
        self.contracts: list[_Contract] = []

    # Users ------------------------------------------------------------------------------------------------
    def users(self) -> None:
        rng = random.Random(f"{self.seed}:users")
        now = self.now
        first_user = self.writer.next_id(User)
        self.buyer_ids = list(range(first_user, first_user + self.buyers))
        self.freelancer_ids = list(
            range(first_user + self.buyers, first_user + self.buyers + self.freelancers)
        )
        self.buyer_currency = {
            b: _pick(random.Random(f"{self.seed}:cur:{i}"), CURRENCIES) for i, b in enumerate(self.buyer_ids)
        }
        skill_ids = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
        user_table = Table(
            User, ["id", "password", "email", "is_active", "is_staff", "is_superuser", "date_joined"], now
        )
        profile_table = Table(
            Profile,
            [
                "id",
                "user_id",
                "display_name",
                "company_name",
                "headline",
                "bio",
                "country",
                "time_zone",
                "language",
                "hourly_rate",
                "hourly_rate_currency",
            ],
            now,
        )
        first_profile = self.writer.next_id(Profile)
        people: list[tuple[int, str, bool]] = [(u, f"b{u}@{EMAIL_DOMAIN}", False) for u in self.buyer_ids]
        people += [(u, f"f{u}@{EMAIL_DOMAIN}", True) for u in self.freelancer_ids]
        self.writer.write(
            user_table,
            (
                (u, "!bench", email, True, False, False, now - dt.timedelta(days=400 + u % 300))
                for u, email, _ in people
            ),
        )
        profiles: list[tuple[Any, ...]] = []
        profile_skills: list[tuple[int, int]] = []
        languages: list[tuple[int, str, str]] = []
        for n, (u, _email, freelancer) in enumerate(people):
            pid = first_profile + n
            country, zone = rng.choice(vocab.COUNTRIES)
            bengali = country == "BD" and rng.random() < 0.4
            name = (
                rng.choice(vocab.NAMES_BN)
                if bengali
                else f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
            )
            if freelancer:
                chosen = rng.sample(skill_ids, 3)
                profiles.append(
                    (
                        pid,
                        u,
                        name,
                        "",
                        f"{rng.choice(vocab.TASKS['software-development'][0]).format(x='clients')[:100]}",
                        f"{rng.choice(vocab.SENTENCES)} {rng.choice(vocab.PROPOSALS)}",
                        country,
                        zone,
                        "bn" if bengali else "en",
                        rng.randrange(500, 5000),
                        "USD",
                    )
                )
                profile_skills.extend((pid, s) for s in chosen)
                languages.append((pid, "bn" if country == "BD" else "en", "native"))
                if country == "BD":
                    languages.append((pid, "en", "fluent"))
            else:
                company = f"{rng.choice(vocab.LAST_NAMES)} {rng.choice(['Traders', 'Ltd', 'Studio', 'Foods', 'Books'])}"
                profiles.append(
                    (pid, u, name, company, "", "", country, zone, "bn" if bengali else "en", None, "USD")
                )
        self.writer.write(profile_table, iter(profiles))
        through = Profile.skills.through
        self.writer.write(Table(through, ["profile_id", "skill_id"], now), iter(profile_skills))
        self.writer.write(Table(ProfileLanguage, ["profile_id", "language", "level"], now), iter(languages))
        from allauth.account.models import EmailAddress

        self.writer.write(
            Table(EmailAddress, ["user_id", "email", "verified", "primary"], now),
            ((u, email, True, True) for u, email, _ in people),
        )

    # Jobs and bids ----------------------------------------------------------------------------------------
    def jobs_and_bids(self) -> None:
        now = self.now
        leaves = list(Category.objects.filter(parent__isnull=False).order_by("pk").values_list("pk", "slug"))
        skills_by_category: dict[int, list[int]] = defaultdict(list)
        for skill_id, category_id in Skill.objects.order_by("pk").values_list("pk", "category_id"):
            skills_by_category[category_id].append(skill_id)
        job_table = Table(
            Job,
            [
                "id",
                "buyer_id",
                "title",
                "description",
                "category_id",
                "budget_min",
                "budget_max",
                "currency",
                "deadline",
                "bidding_closes_at",
                "visibility",
                "is_confidential",
                "status",
                "created_at",
                "updated_at",
                "published_at",
            ],
            now,
        )
        job_skill_table = Table(Job.skills.through, ["job_id", "skill_id"], now)
        bid_table = Table(
            Bid,
            [
                "id",
                "job_id",
                "freelancer_id",
                "amount",
                "delivery_days",
                "proposal",
                "status",
                "shortlisted",
                "created_at",
                "updated_at",
                "awarded_at",
                "responded_at",
            ],
            now,
        )
        first_job = self.writer.next_id(Job)
        next_bid = self.writer.next_id(Bid)
        pool = len(self.freelancer_ids) - RESERVED_FREELANCERS
        first_freelancer = self.freelancer_ids[0]
        buyer_ids, buyer_currency = self.buyer_ids, self.buyer_currency
        subjects, subjects_bn = vocab.SUBJECTS, vocab.SUBJECTS_BN
        sentences, sentences_bn, rare = vocab.SENTENCES, vocab.SENTENCES_BN, vocab.RARE_WORDS
        proposals = vocab.PROPOSALS
        day = dt.timedelta(days=1)
        minute = dt.timedelta(minutes=1)
        for start in range(0, self.jobs, CHUNK):
            rng = random.Random(f"{self.seed}:jobs:{start}")
            jobs: list[tuple[Any, ...]] = []
            job_skills: list[tuple[int, int]] = []
            bids: list[tuple[Any, ...]] = []
            for n in range(start, min(start + CHUNK, self.jobs)):
                job_id = first_job + n
                buyer = buyer_ids[rng.randrange(len(buyer_ids))]
                currency = buyer_currency[buyer]
                category_id, slug = leaves[rng.randrange(len(leaves))]
                english, bengali = vocab.TASKS.get(slug, vocab.GENERIC_TASKS)
                in_bengali = rng.random() < 0.2
                # A skewed draw: early subjects are common, late ones rare.
                if in_bengali:
                    subject = subjects_bn[int(len(subjects_bn) * rng.random() ** 2)]
                    title = rng.choice(bengali).format(x=subject)
                    body = " ".join(rng.sample(sentences_bn, 3))
                else:
                    subject = subjects[int(len(subjects) * rng.random() ** 2)]
                    title = rng.choice(english).format(x=subject)
                    title = title[0].upper() + title[1:]
                    body = " ".join(rng.sample(sentences, 3))
                chosen_skills = rng.sample(
                    skills_by_category[category_id], min(2, len(skills_by_category[category_id]))
                )
                if rng.random() < 0.004:
                    body += f" Experience with {rare[rng.randrange(len(rare))]} is required."
                description = f"{title}.\n\n{body}"
                low, high = BUDGETS[currency]
                budget_min = int(low * (high / low) ** rng.random()) // 100 * 100 or 100
                budget_max = budget_min * rng.choice((1, 2, 3, 5))
                status = _pick(rng, JOB_STATUSES)
                if status in ("open", "draft"):
                    published = now - rng.randrange(0, 60 * 24 * 60) * minute - minute
                    closes = now + rng.randrange(1, 45) * day
                else:
                    published = now - rng.randrange(40 * 24, 365 * 24) * 60 * minute
                    closes = published + rng.randrange(5, 20) * day
                deadline = closes + rng.randrange(7, 90) * day
                visibility = "invite_only" if rng.random() < 0.02 else "public"
                confidential = rng.random() < 0.03
                jobs.append(
                    (
                        job_id,
                        buyer,
                        title[:200],
                        description,
                        category_id,
                        budget_min,
                        budget_max,
                        currency,
                        deadline,
                        closes,
                        visibility,
                        confidential,
                        status,
                        published,
                        published,
                        None if status == "draft" else published,
                    )
                )
                job_skills.extend((job_id, s) for s in chosen_skills)
                if status == "draft" or visibility != "public":
                    continue
                count = rng.randrange(1, 20) if status != "awarded" else rng.randrange(2, 20)
                step = rng.randrange(1, max(2, pool // count))
                base = rng.randrange(pool)
                for i in range(count):
                    freelancer = first_freelancer + (base + i * step) % pool
                    amount = (
                        rng.randrange(budget_min, budget_max + 1) if budget_max > budget_min else budget_min
                    )
                    days = rng.randrange(1, 31)
                    placed = published + rng.randrange(1, 5 * 24 * 60) * minute
                    if placed >= now:
                        placed = now - minute
                    awarded = responded = None
                    if status == "open":
                        bid_status = "withdrawn" if rng.random() < 0.05 else "live"
                    elif status == "awarded":
                        bid_status = "accepted" if i == 0 else "lost"
                        if i == 0:
                            awarded = closes
                            responded = closes + dt.timedelta(hours=3)
                            self.contracts.append(
                                _Contract(
                                    job_id,
                                    next_bid,
                                    buyer,
                                    freelancer,
                                    amount,
                                    currency,
                                    title,
                                    closes,
                                    days,
                                    "",
                                )
                            )
                    else:
                        bid_status = "closed"
                    bids.append(
                        (
                            next_bid,
                            job_id,
                            freelancer,
                            amount,
                            days,
                            proposals[rng.randrange(len(proposals))],
                            bid_status,
                            rng.random() < 0.05,
                            placed,
                            placed,
                            awarded,
                            responded,
                        )
                    )
                    next_bid += 1
            self.writer.write(job_table, iter(jobs))
            self.writer.write(job_skill_table, iter(job_skills))
            self.writer.write(bid_table, iter(bids))
            self.progress(len(jobs))

    # Contracts and money ----------------------------------------------------------------------------------
    def contracts_and_ledger(self) -> None:
        now = self.now
        rng = random.Random(f"{self.seed}:contracts")
        schedules = {c: fees.schedule_for(c) for c, _ in CURRENCIES}
        next_contract = self.writer.next_id(Contract)
        next_milestone = self.writer.next_id(Milestone)
        next_delivery = self.writer.next_id(Delivery)
        next_change = self.writer.next_id(ChangeRequest)
        next_thread = self.writer.next_id(Thread)
        next_account = self.writer.next_id(Account)
        delivery_file, delivery_size, delivery_sha = _sample_delivery()

        accounts: dict[tuple[str, str, str], list[Any]] = {}
        # Accounts already in the database (a second run, the demo): one query instead of one per account.
        known = {
            (kind, reference, currency): pk
            for pk, kind, reference, currency in Account.objects.values_list(
                "pk", "kind", "reference", "currency"
            )
        }
        by_id: dict[int, list[Any]] = {}

        def account(kind: str, reference: str, currency: str, owner: int | None) -> int:
            nonlocal next_account
            key = (kind, reference, currency)
            if key not in accounts:
                existing = known.get(key)
                if existing is not None:
                    # Add to an account that exists already (a second run): its totals are updated at the end.
                    values: list[Any] = [existing, owner, 0, 0, True]
                else:
                    values = [next_account, owner, 0, 0, False]
                    next_account += 1
                accounts[key] = values
                by_id[values[0]] = values
            return int(accounts[key][0])

        transfers: list[tuple[Any, ...]] = []

        def move(
            tid: uuid.UUID,
            debit: int,
            credit: int,
            amount: int,
            currency: str,
            code: str,
            ref: str,
            at: dt.datetime,
        ) -> None:
            transfers.append((tid, debit, credit, amount, currency, code, "posted", ref, at))
            by_id[debit][2] += amount
            by_id[credit][3] += amount

        contracts, milestones, deliveries, changes, threads, messages = [], [], [], [], [], []
        funded_total: dict[tuple[int, str], int] = defaultdict(int)
        plans = []
        for i, spec in enumerate(self.contracts):
            # Every state at least once, even in a tiny data set; then by their shares.
            spec.state = CONTRACT_STATES[i][0] if i < len(CONTRACT_STATES) else _pick(rng, CONTRACT_STATES)
            plans.append(spec)
        # Accounts first (ids), then the money in time order per contract.
        for spec in plans:
            if spec.state not in ("awaiting_funding", "cancelled_unfunded"):
                fee = fees.percent_of(spec.price, schedules[spec.currency].buyer_fee_bps)
                funded_total[(spec.buyer_id, spec.currency)] += spec.price + fee
        for buyer, currency in sorted(funded_total):
            account(AccountKind.WALLET, f"user:{buyer}", currency, buyer)
        for buyer in self.buyer_ids:
            account(AccountKind.WALLET, f"user:{buyer}", self.buyer_currency[buyer], buyer)
        for buyer in self.buyer_ids:
            currency = self.buyer_currency[buyer]
            amount = funded_total.get((buyer, currency), 0) + 10_000_000
            gateway = account(AccountKind.GATEWAY_CLEARING, "gateway:sandbox", currency, None)
            move(
                transfer_id("bench-deposit", self.seed, buyer),
                gateway,
                account(AccountKind.WALLET, f"user:{buyer}", currency, buyer),
                amount,
                currency,
                TransferCode.DEPOSIT,
                f"deposit:bench-{buyer}",
                now - dt.timedelta(days=370),
            )
        for spec in plans:
            contract_id, milestone_id = next_contract, next_milestone
            next_contract += 1
            next_milestone += 1
            schedule = schedules[spec.currency]
            small = schedule.small_contract_threshold > 0 and spec.price < schedule.small_contract_threshold
            buyer_bps = schedule.buyer_fee_bps
            freelancer_bps = schedule.small_contract_fee_bps if small else schedule.freelancer_fee_bps
            awarded = spec.closes_at + dt.timedelta(hours=3)
            deadline = awarded + dt.timedelta(days=spec.delivery_days)
            funded_at = awarded + dt.timedelta(hours=20)
            delivered_at = funded_at + dt.timedelta(days=max(1, spec.delivery_days // 2))
            state = spec.state
            if state in ("funded", "delivered", "changes_requested"):
                # Work in progress is recent, so no reminder or auto-acceptance is due when the worker runs.
                awarded = now - dt.timedelta(days=3)
                deadline = now + dt.timedelta(days=spec.delivery_days)
                funded_at = awarded + dt.timedelta(hours=20)
                delivered_at = now - dt.timedelta(hours=20)
            accepted_at = delivered_at + dt.timedelta(days=1)
            contract_status = {
                "awaiting_funding": "awaiting_funding",
                "funded": "active",
                "delivered": "active",
                "changes_requested": "active",
                "completed": "completed",
                "refunded": "cancelled",
                "cancelled_unfunded": "cancelled",
            }[state]
            milestone_status = {
                "awaiting_funding": "awaiting_funding",
                "funded": "funded",
                "delivered": "delivered",
                "changes_requested": "changes_requested",
                "completed": "accepted",
                "refunded": "refunded",
                "cancelled_unfunded": "cancelled",
            }[state]
            funded = state not in ("awaiting_funding", "cancelled_unfunded")
            ended = accepted_at if state in ("completed", "refunded") else None
            if state == "cancelled_unfunded":
                ended = awarded + dt.timedelta(days=2)
            contracts.append(
                (
                    contract_id,
                    spec.job_id,
                    spec.bid_id,
                    spec.buyer_id,
                    spec.freelancer_id,
                    spec.price,
                    spec.currency,
                    deadline,
                    contract_status,
                    buyer_bps,
                    freelancer_bps,
                    awarded,
                    funded_at if funded else None,
                    ended,
                )
            )
            released = spec.price if state == "completed" else None
            milestones.append(
                (
                    milestone_id,
                    contract_id,
                    1,
                    f"The whole work: {spec.title}"[:200],
                    spec.price,
                    deadline,
                    milestone_status,
                    funded_at if funded else None,
                    delivered_at if state in ("delivered", "changes_requested", "completed") else None,
                    accepted_at if state == "completed" else None,
                    100 if state == "completed" else None,
                    released,
                )
            )
            threads.append(
                (
                    next_thread,
                    "contract",
                    spec.job_id,
                    contract_id,
                    spec.buyer_id,
                    spec.freelancer_id,
                    awarded,
                    awarded + dt.timedelta(hours=1),
                )
            )
            messages.append((next_thread, spec.buyer_id, "Welcome! The files are in the vault.", awarded))
            messages.append(
                (next_thread, spec.freelancer_id, "Thank you, starting now.", awarded + dt.timedelta(hours=1))
            )
            next_thread += 1
            if state in ("delivered", "changes_requested", "completed"):
                deliveries.append(
                    (
                        next_delivery,
                        milestone_id,
                        1,
                        delivery_file,
                        "work.zip",
                        delivery_size,
                        delivery_sha,
                        1,
                        100,
                        "Here is the work.",
                        False,
                        delivered_at,
                    )
                )
                if state == "changes_requested":
                    changes.append(
                        (
                            next_change,
                            milestone_id,
                            next_delivery,
                            "Please adjust the colours.",
                            delivered_at + dt.timedelta(hours=5),
                        )
                    )
                    next_change += 1
                next_delivery += 1
            if not funded:
                continue
            reference = f"contract:{contract_id}"
            key = f"milestone:{milestone_id}"
            wallet = account(AccountKind.WALLET, f"user:{spec.buyer_id}", spec.currency, spec.buyer_id)
            escrow = account(AccountKind.ESCROW, reference, spec.currency, None)
            revenue = account(AccountKind.PLATFORM_REVENUE, "platform", spec.currency, None)
            buyer_fee = fees.percent_of(spec.price, buyer_bps)
            move(
                transfer_id("fund", key),
                wallet,
                escrow,
                spec.price,
                spec.currency,
                TransferCode.ESCROW_FUNDING,
                reference,
                funded_at,
            )
            if buyer_fee:
                move(
                    transfer_id("fund-fee", key),
                    wallet,
                    revenue,
                    buyer_fee,
                    spec.currency,
                    TransferCode.BUYER_FEE,
                    reference,
                    funded_at,
                )
            if state == "refunded":
                move(
                    transfer_id("refund", key),
                    escrow,
                    wallet,
                    spec.price,
                    spec.currency,
                    TransferCode.REFUND,
                    reference,
                    accepted_at,
                )
            elif state == "completed":
                clearing = account(
                    AccountKind.CLEARING, f"user:{spec.freelancer_id}", spec.currency, spec.freelancer_id
                )
                freelancer_fee = fees.percent_of(spec.price, freelancer_bps)
                release_id = transfer_id("release", key)
                if spec.price - freelancer_fee:
                    move(
                        release_id,
                        escrow,
                        clearing,
                        spec.price - freelancer_fee,
                        spec.currency,
                        TransferCode.RELEASE,
                        reference,
                        accepted_at,
                    )
                if freelancer_fee:
                    move(
                        transfer_id("release-fee", key),
                        escrow,
                        revenue,
                        freelancer_fee,
                        spec.currency,
                        TransferCode.FREELANCER_FEE,
                        reference,
                        accepted_at,
                    )
                if spec.price - freelancer_fee and accepted_at < now - dt.timedelta(days=6):
                    wallet_f = account(
                        AccountKind.WALLET, f"user:{spec.freelancer_id}", spec.currency, spec.freelancer_id
                    )
                    move(
                        transfer_id("clearance", release_id),
                        clearing,
                        wallet_f,
                        spec.price - freelancer_fee,
                        spec.currency,
                        TransferCode.CLEARANCE,
                        f"release:{release_id}",
                        accepted_at + dt.timedelta(days=5),
                    )
        w = self.writer
        w.write(
            Table(
                Contract,
                [
                    "id",
                    "job_id",
                    "bid_id",
                    "buyer_id",
                    "freelancer_id",
                    "price",
                    "currency",
                    "deadline",
                    "status",
                    "buyer_fee_bps",
                    "freelancer_fee_bps",
                    "created_at",
                    "started_at",
                    "ended_at",
                ],
                now,
            ),
            iter(contracts),
        )
        w.write(
            Table(
                Milestone,
                [
                    "id",
                    "contract_id",
                    "position",
                    "title",
                    "amount",
                    "due_at",
                    "status",
                    "funded_at",
                    "delivered_at",
                    "accepted_at",
                    "accepted_percent",
                    "released_amount",
                ],
                now,
            ),
            iter(milestones),
        )
        w.write(
            Table(
                Delivery,
                [
                    "id",
                    "milestone_id",
                    "version",
                    "file",
                    "original_name",
                    "size",
                    "sha256",
                    "entry_count",
                    "uncompressed_size",
                    "note",
                    "is_late",
                    "created_at",
                ],
                now,
            ),
            iter(deliveries),
        )
        w.write(
            Table(ChangeRequest, ["id", "milestone_id", "delivery_id", "comment", "created_at"], now),
            iter(changes),
        )
        w.write(
            Table(
                Thread,
                [
                    "id",
                    "kind",
                    "job_id",
                    "contract_id",
                    "buyer_id",
                    "freelancer_id",
                    "created_at",
                    "last_message_at",
                ],
                now,
            ),
            iter(threads),
        )
        w.write(Table(Message, ["thread_id", "sender_id", "body", "created_at"], now), iter(messages))
        kinds = {v[0]: k for k, v in accounts.items()}
        new_accounts = []
        for account_id, owner, debits, credits, existing in sorted(by_id.values()):
            kind, reference, currency = kinds[account_id]
            if existing:
                Account.objects.filter(pk=account_id).update(
                    debits_posted=models.F("debits_posted") + debits,
                    credits_posted=models.F("credits_posted") + credits,
                )
                continue
            floored = kind in (AccountKind.WALLET, AccountKind.CLEARING, AccountKind.ESCROW)
            new_accounts.append(
                (
                    account_id,
                    kind,
                    reference,
                    owner,
                    currency,
                    floored,
                    not floored,
                    0,
                    debits,
                    0,
                    credits,
                    now - dt.timedelta(days=370),
                )
            )
        w.write(
            Table(
                Account,
                [
                    "id",
                    "kind",
                    "reference",
                    "owner_id",
                    "currency",
                    "no_negative",
                    "is_hot",
                    "debits_pending",
                    "debits_posted",
                    "credits_pending",
                    "credits_posted",
                    "created_at",
                ],
                now,
            ),
            iter(new_accounts),
        )
        w.write(
            Table(
                Transfer,
                [
                    "id",
                    "debit_account_id",
                    "credit_account_id",
                    "amount",
                    "currency",
                    "code",
                    "phase",
                    "reference",
                    "created_at",
                ],
                now,
            ),
            iter(transfers),
        )

    def run(self) -> Summary:
        started = dt.datetime.now()
        with transaction.atomic():
            if connection.vendor == "sqlite":
                # Constraints are checked at commit; skip the per-row foreign-key lookups of a bulk load.
                connection.cursor().execute("PRAGMA defer_foreign_keys = ON")
            with _bulk_mode(["jobs_job", "bids_bid", "jobs_job_skills"]):
                self.users()
                self.jobs_and_bids()
                self.contracts_and_ledger()
            self.writer.reset_sequences(
                [
                    User,
                    Profile,
                    Profile.skills.through,
                    ProfileLanguage,
                    Job,
                    Job.skills.through,
                    Bid,
                    Contract,
                    Milestone,
                    Delivery,
                    ChangeRequest,
                    Thread,
                    Message,
                    Account,
                ]
            )
            from allauth.account.models import EmailAddress

            self.writer.reset_sequences([EmailAddress])
            _record(self.jobs, self.seed)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summary = Summary(jobs=self.jobs, seed=self.seed, rows=dict(self.writer.counts))
        summary.seconds = (dt.datetime.now() - started).total_seconds()
        return summary


def _sample_delivery() -> tuple[str, int, str]:
    """One small checked zip that every generated delivery points at (stored once)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "Generated delivery for the benchmark data.\n")
    data = buffer.getvalue()
    name = DELIVERY_FILE
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name, len(data), hashlib.sha256(data).hexdigest()


def _record(jobs: int, seed: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (jobs bigint, seed bigint, created_at text)")
        cursor.execute(
            f"INSERT INTO {META_TABLE} (jobs, seed, created_at) VALUES (%s, %s, %s)",
            [jobs, seed, dt.datetime.now(dt.UTC).isoformat()],
        )


def datasets() -> list[tuple[int, int]]:
    """The (jobs, seed) data sets generated into this database, oldest first."""
    with connection.cursor() as cursor:
        if META_TABLE not in connection.introspection.table_names(cursor):
            return []
        cursor.execute(f"SELECT jobs, seed FROM {META_TABLE} ORDER BY created_at")
        return [(int(j), int(s)) for j, s in cursor.fetchall()]


def generate(jobs: int, seed: int = 1, progress: Callable[[int], None] | None = None) -> Summary:
    """Add ``jobs`` jobs (with everyone and everything around them) to the current database."""
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    return Generator(jobs, seed, progress).run()
