"""The measuring parts of the benchmark suite, one sub-command each, run by ``bench/run.py`` in a child
process whose environment names the database (``DATABASE_URL`` or ``HAAT_DATA_DIR``):

    python bench/suite.py search  BASE_URL OUT.json   # search over HTTP (API and page) and the same SQL directly
    python bench/suite.py writes  BASE_URL OUT.json   # bids, accepts (escrow release) and the framework floor
    python bench/suite.py pgbench OUT.json            # the same transactions' SQL through pgbench (PostgreSQL)
    python bench/suite.py pages   OUT.json            # server time and SQL query count of the main pages
    python bench/suite.py size    OUT.json            # database size

Every HTTP figure comes from ``bench/loadgen.py`` in its own process. Figures are printed and written;
nothing here asserts a speed.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haat.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from haat.accounts.models import User  # noqa: E402
from haat.accounts.services import create_api_token  # noqa: E402
from haat.benchdata import EMAIL_DOMAIN, RESERVED_FREELANCERS  # noqa: E402
from haat.bids.models import Bid  # noqa: E402
from haat.contracts.models import Contract, Delivery, Milestone  # noqa: E402
from haat.jobs import search  # noqa: E402
from haat.jobs import selectors as search_selectors  # noqa: E402
from haat.jobs.models import Category, Job  # noqa: E402
from haat.ledger import operations  # noqa: E402

LEVELS = (1, 8, 32)


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]

    return {
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "mean": statistics.fmean(ordered),
        "n": len(ordered),
    }


def loadgen(base: str, clients: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Run ``bench/loadgen.py`` in its own process on this plan and return its result."""
    with tempfile.TemporaryDirectory(prefix="haat-loadgen-") as folder:
        plan, out = Path(folder, "plan.json"), Path(folder, "out.json")
        plan.write_text(json.dumps({"base": base, "clients": clients}), encoding="utf-8")
        subprocess.run([sys.executable, str(ROOT / "bench" / "loadgen.py"), str(plan), str(out)], check=True)
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["latency"] = percentiles(result.pop("latencies_ms"))
    ok = sum(n for status, n in result["statuses"].items() if status.startswith("2"))
    result["errors"] = result["requests"] - ok
    return result


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- Search -------------------------------------------------------------------------------------------------


def query_shapes() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Name → (API parameters, page parameters)."""
    since = (timezone.now() - dt.timedelta(days=30)).date().isoformat()
    shapes: dict[str, dict[str, Any]] = {
        "rare keyword": {"q": "tensorflow"},
        "common keyword": {"q": "website"},
        "bengali keyword": {"q": "ডিজাইন"},
        "keyword+category+budget": {
            "q": "logo",
            "category": "creative",
            "budget_min": 5000,
            "budget_max": 50000,
            "currency": "USD",
        },
        "filters only, facets": {"category": "bpo", "currency": "USD", "posted_since": since},
        "browse, first page": {},
        "deep page": {"offset": 4000},
    }
    result = {}
    for name, api in shapes.items():
        page = dict(api)
        if "offset" in page:
            page["page"] = page.pop("offset") // 20 + 1
        result[name] = (api, page)
    return result


def _replay(statements: list[str], repeat: int) -> list[float]:
    """Run the captured SQL text directly on the database connection, ``repeat`` times; ms per round."""
    timings = []
    with connection.cursor() as wrapper:
        raw = wrapper.cursor
        for _ in range(repeat):
            started = time.perf_counter()
            for sql in statements:
                raw.execute(sql)
                raw.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def search_http(base: str, repeat: int) -> dict[str, Any]:
    client = Client(SERVER_NAME="localhost")
    out: dict[str, Any] = {"load_start": load(), "shapes": {}}
    for name, (api_params, page_params) in query_shapes().items():
        api_path = "/api/v1/jobs?" + urlencode(api_params)
        page_path = "/jobs/?" + urlencode(page_params)
        # Warm caches (both database and server), then capture the SQL the API request runs.
        warm = [{"method": "GET", "path": api_path}] * 3 + [{"method": "GET", "path": page_path}] * 2
        loadgen(base, [warm])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(api_path)
        assert response.status_code == 200, response.content[:300]
        count = response.json()["count"]
        statements = [
            q["sql"]
            for q in captured.captured_queries
            if not re.match(r"(SAVEPOINT|RELEASE|ROLLBACK)", q["sql"])
        ]
        in_process = []
        for _ in range(max(5, repeat // 4)):
            started = time.perf_counter()
            client.get(api_path)
            in_process.append((time.perf_counter() - started) * 1000)
        direct = _replay(statements, repeat)
        api = loadgen(base, [[{"method": "GET", "path": api_path}] * repeat])
        page = loadgen(base, [[{"method": "GET", "path": page_path}] * repeat])
        out["shapes"][name] = {
            "params": api_params,
            "matches": count,
            "queries": len(statements),
            "sql": statements,
            "api": api["latency"],
            "api_errors": api["errors"],
            "page": page["latency"],
            "page_errors": page["errors"],
            "in_process": percentiles(in_process),
            "direct_sql": percentiles(direct),
        }
        line = out["shapes"][name]
        print(
            f"  {name:<26} {count:>8} matches  API p50 {line['api']['p50']:7.1f} p99 {line['api']['p99']:7.1f}  "
            f"page p50 {line['page']['p50']:7.1f}  SQL p50 {line['direct_sql']['p50']:7.1f} ms",
            flush=True,
        )
    out["load_end"] = load()
    return out


def profile_search(params: dict[str, Any], out_path: str) -> None:
    """A pyinstrument profile of the API request in-process (text), for a target that is not met."""
    from pyinstrument import Profiler

    client = Client(SERVER_NAME="localhost")
    path = "/api/v1/jobs?" + urlencode(params)
    client.get(path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(5):
        client.get(path)
    profiler.stop()
    Path(out_path).write_text(
        profiler.output_text(unicode=True, color=False, short_mode=True), encoding="utf-8"
    )


# --- Writes -------------------------------------------------------------------------------------------------


def _freelancers(n: int) -> list[User]:
    reserved = list(
        User.objects.filter(email__startswith="f", email__endswith="@" + EMAIL_DOMAIN).order_by("-pk")[
            :RESERVED_FREELANCERS
        ]
    )
    return reserved[:n]


def _tokens(users: list[User]) -> list[str]:
    return [create_api_token(user=u, name="bench").secret for u in users]


def _open_jobs(freelancer: User, n: int, rng: random.Random) -> list[tuple[int, int]]:
    """Open public jobs this freelancer has no bid on: (id, budget_min)."""
    now = timezone.now()
    candidates = Job.objects.filter(
        status="open",
        visibility="public",
        is_confidential=False,
        bidding_closes_at__gt=now + dt.timedelta(hours=1),
    )
    last = candidates.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked: list[tuple[int, int]] = []
    tried = 0
    while len(picked) < n and tried < 20:
        tried += 1
        start = rng.randrange(1, max(2, last))
        rows = list(
            candidates.filter(pk__gte=start)
            .exclude(bids__freelancer=freelancer)
            .order_by("pk")
            .values_list("pk", "budget_min")[: n - len(picked)]
        )
        picked += [r for r in rows if r not in picked]
    return picked


def _delivered_contracts(pairs: list[tuple[User, User]], counts: list[int], tag: str) -> list[list[int]]:
    """Fresh delivered milestones, funded through the real ledger: per (buyer, freelancer) pair a list of ids."""
    from haat.payments import fees

    category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    assert category is not None
    now = timezone.now()
    price = 20_000
    out: list[list[int]] = []
    for n, (buyer, freelancer) in enumerate(pairs):
        per_pair = counts[n]
        operations.credit_deposit(
            deposit_id=int(uuid.uuid4().int % 10**15),
            user=buyer,
            gateway="sandbox",
            amount=per_pair * 30_000,
            currency="USD",
        )
        jobs = Job.objects.bulk_create(
            [
                Job(
                    buyer=buyer,
                    title=f"Bench contract {tag} {n}-{i}",
                    description="Work for the write benchmark.",
                    category=category,
                    budget_min=price,
                    budget_max=price,
                    currency="USD",
                    deadline=now + dt.timedelta(days=30),
                    bidding_closes_at=now - dt.timedelta(days=1),
                    status="awarded",
                    published_at=now - dt.timedelta(days=5),
                )
                for i in range(per_pair)
            ]
        )
        bids = Bid.objects.bulk_create(
            [
                Bid(
                    job=job,
                    freelancer=freelancer,
                    amount=price,
                    delivery_days=5,
                    proposal="Bench bid, accepted.",
                    status="accepted",
                )
                for job in jobs
            ]
        )
        rates = fees.breakdown(price, "USD")
        contracts = Contract.objects.bulk_create(
            [
                Contract(
                    job=job,
                    bid=bid,
                    buyer=buyer,
                    freelancer=freelancer,
                    price=price,
                    currency="USD",
                    deadline=now + dt.timedelta(days=30),
                    status="active",
                    buyer_fee_bps=rates.buyer_fee_bps,
                    freelancer_fee_bps=rates.freelancer_fee_bps,
                    started_at=now,
                )
                for job, bid in zip(jobs, bids, strict=True)
            ]
        )
        milestones = Milestone.objects.bulk_create(
            [
                Milestone(
                    contract=c,
                    position=1,
                    title="The whole work",
                    amount=price,
                    due_at=c.deadline,
                    status="delivered",
                    funded_at=now,
                    delivered_at=now,
                )
                for c in contracts
            ]
        )
        for m, c in zip(milestones, contracts, strict=True):
            operations.fund_escrow(
                key=f"milestone:{m.pk}",
                buyer=buyer,
                escrow_reference=c.escrow_reference,
                price=price,
                buyer_fee=rates.buyer_fee,
                currency="USD",
            )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    milestone=m,
                    version=1,
                    file="deliveries/bench/sample.zip",
                    original_name="work.zip",
                    size=100,
                    sha256="0" * 64,
                    entry_count=1,
                    uncompressed_size=100,
                    note="Bench delivery.",
                )
                for m in milestones
            ]
        )
        out.append([m.pk for m in milestones])
    return out


def _buyers(n: int, tag: str) -> list[User]:
    users = []
    for i in range(n):
        user = User.objects.create_user(email=f"bench-buyer-{tag}-{i}@{EMAIL_DOMAIN}", password=None)
        users.append(user)
    return users


def writes(base: str, scale_requests: int) -> dict[str, Any]:
    rng = random.Random(time.time_ns())
    tag = uuid.uuid4().hex[:8]
    out: dict[str, Any] = {"load_start": load(), "levels": {}}
    freelancers = _freelancers(max(LEVELS))
    tokens = _tokens(freelancers)
    per_level = {1: scale_requests, 8: max(10, scale_requests // 4), 32: max(5, scale_requests // 10)}
    print(f"  setting up bids and contracts (tag {tag})", flush=True)
    # Client c takes part in every level with more than c clients.
    need = [sum(per_level[level] for level in LEVELS if level > c) for c in range(max(LEVELS))]
    jobs_for = [_open_jobs(f, need[c] + 5, rng) for c, f in enumerate(freelancers)]
    # Accepting: distinct buyers and freelancers per client; and every client paying the same freelancer.
    buyers = _buyers(max(LEVELS), tag)
    buyer_tokens = _tokens(buyers)
    distinct = _delivered_contracts(list(zip(buyers, freelancers, strict=True)), need, tag + "d")
    shared = _delivered_contracts([(b, freelancers[0]) for b in buyers], need, tag + "s")
    used = [0] * max(LEVELS)
    used_ms = {"distinct": [0] * max(LEVELS), "shared": [0] * max(LEVELS)}
    for level in LEVELS:
        n = per_level[level]
        row: dict[str, Any] = {}
        floor_plan = []
        bid_plan = []
        for c in range(level):
            auth = {"Authorization": f"Bearer {tokens[c]}"}
            jobs = jobs_for[c][used[c] : used[c] + n]
            used[c] += n
            floor_plan.append(
                [{"method": "POST", "path": f"/bench/floor/{job}", "headers": auth} for job, _ in jobs]
            )
            bid_plan.append(
                [
                    {
                        "method": "POST",
                        "path": f"/api/v1/jobs/{job}/bids",
                        "headers": auth,
                        "body": {
                            "amount": budget,
                            "delivery_days": 7,
                            "proposal": "I can do this well and on time (benchmark).",
                        },
                    }
                    for job, budget in jobs
                ]
            )
        row["floor"] = loadgen(base, floor_plan)
        row["bid"] = loadgen(base, bid_plan)
        for mode, milestones in (("distinct", distinct), ("shared", shared)):
            plan = []
            for c in range(level):
                ids = milestones[c][used_ms[mode][c] : used_ms[mode][c] + n]
                used_ms[mode][c] += n
                auth = {"Authorization": f"Bearer {buyer_tokens[c]}"}
                plan.append(
                    [
                        {
                            "method": "POST",
                            "path": f"/api/v1/milestones/{m}/accept",
                            "headers": {**auth, "Idempotency-Key": f"bench-{tag}-{m}"},
                            "body": {},
                        }
                        for m in ids
                    ]
                )
            row[f"accept_{mode}"] = loadgen(base, plan)
        for key in ("floor", "bid", "accept_distinct", "accept_shared"):
            r = row[key]
            print(
                f"  {level:>2} clients {key:<16} {r['throughput']:7.1f}/s  p50 {r['latency']['p50']:7.1f}  "
                f"p99 {r['latency']['p99']:7.1f} ms  errors {r['errors']} {r['statuses']}",
                flush=True,
            )
        out["levels"][str(level)] = row
    out["load_end"] = load()
    return out


# --- pgbench: the database's ceiling for the same transactions ----------------------------------------------

PGBENCH_SETUP = """
DROP TABLE IF EXISTS benchpg_bid, benchpg_transfer, benchpg_hotdelta, benchpg_account, benchpg_milestone;
CREATE TABLE benchpg_bid (LIKE bids_bid INCLUDING ALL);
CREATE TABLE benchpg_transfer (LIKE ledger_transfer INCLUDING ALL);
CREATE TABLE benchpg_hotdelta (LIKE ledger_hotdelta INCLUDING ALL);
CREATE TABLE benchpg_account (LIKE ledger_account INCLUDING ALL);
CREATE TABLE benchpg_milestone (LIKE contracts_milestone INCLUDING ALL);
INSERT INTO benchpg_account (kind, reference, currency, no_negative, is_hot, debits_pending, debits_posted,
    credits_pending, credits_posted, created_at)
SELECT k, 'bench:' || i, 'USD', k <> 'platform_revenue', k = 'platform_revenue', 0, 0, 0,
       CASE WHEN k = 'escrow' THEN 1000000000000 ELSE 0 END, now()
FROM generate_series(1, 64) AS i, unnest(ARRAY['escrow', 'clearing', 'platform_revenue']) AS k;
INSERT INTO benchpg_milestone (contract_id, position, title, amount, due_at, status, funding_reminders_sent)
SELECT i, 1, 'pgbench', 20000, now(), 'delivered', 0 FROM generate_series(1, 64) AS i;
"""
PGBENCH_TEARDOWN = "DROP TABLE IF EXISTS benchpg_bid, benchpg_transfer, benchpg_hotdelta, benchpg_account, benchpg_milestone;"

# Placing a bid: lock the job, read the freelancer's profile checks, look for a live bid, insert.
PGBENCH_BID = """
\\set job random(:first_job, :last_job)
\\set freelancer random(:first_user, :last_user)
BEGIN;
SELECT id, status, budget_min, budget_max, bidding_closes_at FROM jobs_job WHERE id = :job FOR UPDATE;
SELECT p.id, p.display_name, p.headline, p.bio, p.country FROM accounts_profile p WHERE p.user_id = :freelancer;
SELECT 1 FROM accounts_profile_skills s JOIN accounts_profile p ON p.id = s.profile_id WHERE p.user_id = :freelancer LIMIT 1;
SELECT 1 FROM accounts_profilelanguage l JOIN accounts_profile p ON p.id = l.profile_id WHERE p.user_id = :freelancer LIMIT 1;
SELECT 1 FROM bids_bid WHERE job_id = :job AND freelancer_id = :freelancer AND status IN ('live', 'awarded', 'accepted') LIMIT 1;
INSERT INTO benchpg_bid (job_id, freelancer_id, amount, delivery_days, proposal, status, shortlisted, rejection_message, created_at, updated_at)
VALUES (:job, :freelancer, 10000, 7, 'pgbench proposal text for the ceiling', 'live', false, '', now(), now());
COMMIT;
"""


def _release_script(revenue: str) -> str:
    """Accepting a delivery: lock milestone, look for the transfer ids, insert two transfers, lock and update
    the floored accounts (escrow, clearing), credit revenue (``revenue``: hot delta / own row / one row)."""
    credit_revenue = {
        "hot": "INSERT INTO benchpg_hotdelta (account_id, transfer_id, debits_pending, debits_posted, credits_pending, credits_posted) "
        "VALUES (:revenue, ':fee_id'::uuid, 0, 0, 0, 2000);",
        "distinct": "UPDATE benchpg_account SET credits_posted = credits_posted + 2000 WHERE id = :own_revenue;",
        "one_row": "UPDATE benchpg_account SET credits_posted = credits_posted + 2000 WHERE id = :revenue;",
    }[revenue]
    return f"""
\\set c :client_id % 64 + 1
\\set escrow (:c - 1) * 3 + 1
\\set clearing (:c - 1) * 3 + 2
\\set own_revenue (:c - 1) * 3 + 3
\\set revenue 3
\\set r1 random(1, 2000000000)
\\set r2 random(1, 2000000000)
BEGIN;
SELECT id, status, amount FROM benchpg_milestone WHERE id = :c FOR UPDATE;
SELECT id FROM benchpg_transfer WHERE id IN (md5(':r1')::uuid, md5(':r2')::uuid);
INSERT INTO benchpg_transfer (id, debit_account_id, credit_account_id, amount, currency, code, phase, reference, created_at)
VALUES (gen_random_uuid(), :escrow, :clearing, 18000, 'USD', 'release', 'posted', 'contract:bench', now());
INSERT INTO benchpg_transfer (id, debit_account_id, credit_account_id, amount, currency, code, phase, reference, created_at)
VALUES (gen_random_uuid(), :escrow, :own_revenue, 2000, 'USD', 'freelancer_fee', 'posted', 'contract:bench', now())
RETURNING id AS fee_id \\gset
SELECT id FROM benchpg_account WHERE id IN (:escrow, :clearing) ORDER BY id FOR UPDATE;
UPDATE benchpg_account SET debits_posted = debits_posted + 20000 WHERE id = :escrow;
UPDATE benchpg_account SET credits_posted = credits_posted + 18000 WHERE id = :clearing;
{credit_revenue}
UPDATE benchpg_milestone SET status = 'delivered', released_amount = 20000, accepted_at = now() WHERE id = :c;
COMMIT;
"""


def _pgbench_binary() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def pgbench(seconds: int) -> dict[str, Any]:
    binary = _pgbench_binary()
    if connection.vendor != "postgresql" or binary is None:
        return {"skipped": "PostgreSQL and pgbench are needed"}
    settings_dict = connection.settings_dict
    out: dict[str, Any] = {"load_start": load(), "levels": {}}
    with connection.cursor() as cursor:
        cursor.execute(PGBENCH_SETUP)
    jobs = Job.objects.filter(status="open")
    first_job = jobs.order_by("pk").values_list("pk", flat=True).first()
    last_job = jobs.order_by("-pk").values_list("pk", flat=True).first()
    users = User.objects.filter(email__startswith="f", email__endswith="@" + EMAIL_DOMAIN)
    first_user = users.order_by("pk").values_list("pk", flat=True).first()
    last_user = users.order_by("-pk").values_list("pk", flat=True).first()
    scripts = {
        "bid": PGBENCH_BID,
        "release_distinct": _release_script("distinct"),
        "release_hot": _release_script("hot"),
        "release_one_row": _release_script("one_row"),
    }
    env = {**os.environ, "PGPASSWORD": str(settings_dict.get("PASSWORD") or "")}
    with tempfile.TemporaryDirectory(prefix="haat-pgbench-") as folder:
        for level in LEVELS:
            row = {}
            for name, text in scripts.items():
                path = Path(folder, f"{name}.sql")
                path.write_text(text, encoding="utf-8")
                command = [
                    binary, "-n", "-c", str(level), "-j", str(min(level, 2)), "-T", str(seconds), "-f", str(path),
                    "-D", f"first_job={first_job}", "-D", f"last_job={last_job}",
                    "-D", f"first_user={first_user}", "-D", f"last_user={last_user}",
                    "-h", str(settings_dict["HOST"] or "127.0.0.1"), "-p", str(settings_dict["PORT"] or 5432),
                    "-U", str(settings_dict["USER"]), str(settings_dict["NAME"]),
                ]  # fmt: skip
                done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
                tps = re.search(r"tps = ([\d.]+)", done.stdout)
                latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
                failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
                row[name] = {
                    "throughput": float(tps.group(1)) if tps else 0.0,
                    "latency_avg_ms": float(latency.group(1)) if latency else 0.0,
                    "failed": int(failed.group(1)) if failed else (0 if tps else -1),
                }
                if not tps:
                    row[name]["error"] = (done.stderr or done.stdout)[-400:]
                print(
                    f"  pgbench {level:>2} clients {name:<17} {row[name]['throughput']:8.1f} tps", flush=True
                )
            out["levels"][str(level)] = row
    with connection.cursor() as cursor:
        cursor.execute(PGBENCH_TEARDOWN)
    out["load_end"] = load()
    return out


# --- Page cost ----------------------------------------------------------------------------------------------


def _measure(client: Client, path: str, rounds: int = 5) -> dict[str, Any]:
    client.get(path)
    times = []
    queries = 0
    status = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
        status = response.status_code
    return {"path": path, "status": status, "queries": queries, "ms_p50": statistics.median(times)}


def pages() -> dict[str, Any]:
    from django.db.models import Count

    out: dict[str, Any] = {"load_start": load(), "pages": []}
    buyers = (
        Contract.objects.values("buyer_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("buyer_id", "n")
    )
    busy_buyer_id, busy_n = buyers[0]
    light_buyer_id, light_n = buyers.order_by("n")[0]
    open_jobs = Job.objects.filter(status="open", visibility="public").annotate(n=Count("bids"))
    busy_job = open_jobs.order_by("-n", "pk").first()
    light_job = open_jobs.filter(n__gte=1).order_by("n", "pk").first()
    busy_contract = Contract.objects.filter(status="completed").order_by("-pk").first()
    light_contract = Contract.objects.filter(status="awaiting_funding").order_by("-pk").first()

    def as_user(user_id: int) -> Client:
        client = Client(SERVER_NAME="localhost")
        client.cookies["haat_language"] = "en"
        client.force_login(User.objects.get(pk=user_id))
        return client

    anonymous = Client(SERVER_NAME="localhost")
    # Few rows on the same query shape: the last page of the plain listing.
    total = search_selectors.search_jobs(None, search.clean_params({})).count
    last = max(1, -(-total // 20))
    shown = total - (last - 1) * 20
    rows: list[tuple[str, str, Callable[[], Client], str, str]] = [
        ("job list", "20 rows", lambda: anonymous, "/jobs/", ""),
        ("job list", f"{shown} rows (last page)", lambda: anonymous, f"/jobs/?page={last}", ""),
    ]
    if busy_job and light_job:
        rows += [
            (
                "job page (buyer)",
                f"{busy_job.n} bids",
                lambda: as_user(busy_job.buyer_id),
                f"/jobs/{busy_job.pk}/",
                "",
            ),
            (
                "job page (buyer)",
                f"{light_job.n} bids",
                lambda: as_user(light_job.buyer_id),
                f"/jobs/{light_job.pk}/",
                "",
            ),
        ]
    for label, contract in (("completed", busy_contract), ("awaiting funding", light_contract)):
        if contract is not None:
            rows.append(
                (
                    "contract timeline",
                    label,
                    lambda c=contract: as_user(c.buyer_id),
                    f"/contracts/{contract.pk}/timeline/",
                    "",
                )
            )
    rows += [
        ("dashboard (buyer)", f"{busy_n} contracts", lambda: as_user(busy_buyer_id), "/dashboard/", ""),
        ("dashboard (buyer)", f"{light_n} contracts", lambda: as_user(light_buyer_id), "/dashboard/", ""),
    ]
    if busy_contract is not None:
        rows.append(
            (
                "dashboard (freelancer)",
                "with contracts",
                lambda: as_user(busy_contract.freelancer_id),
                "/dashboard/",
                "",
            )
        )
    for page, variant, make_client, path, _ in rows:
        measured = _measure(make_client(), path)
        measured.update({"page": page, "variant": variant})
        out["pages"].append(measured)
        print(
            f"  {page:<24} {variant:<16} {measured['status']} {measured['queries']:>3} queries "
            f"{measured['ms_p50']:7.1f} ms",
            flush=True,
        )
    out["load_end"] = load()
    return out


def size() -> dict[str, Any]:
    jobs = Job.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            total = int(cursor.fetchone()[0])
    else:
        name = Path(connection.settings_dict["NAME"])
        total = sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))
    return {"jobs": jobs, "bytes": total, "bytes_per_million_jobs": total * 1_000_000 / max(1, jobs)}


def main() -> None:
    command = sys.argv[1]
    if command == "search":
        result = search_http(sys.argv[2], int(os.environ.get("BENCH_REPEAT", "40")))
    elif command == "writes":
        result = writes(sys.argv[2], int(os.environ.get("BENCH_WRITES", "120")))
    elif command == "pgbench":
        result = pgbench(int(os.environ.get("BENCH_PGBENCH_SECONDS", "8")))
    elif command == "pages":
        result = pages()
    elif command == "size":
        result = size()
    elif command == "profile":
        profile_search(json.loads(sys.argv[2]), sys.argv[3])
        result = {"profile": sys.argv[3]}
    else:
        raise SystemExit(f"unknown command {command}")
    Path(sys.argv[-1]).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
