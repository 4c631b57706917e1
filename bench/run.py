"""The benchmark suite, end to end (``make bench``):

    python bench/run.py                       # PostgreSQL at 10k, 100k, 1M jobs and SQLite at 10k, 100k
    python bench/run.py --db postgresql --scales 10k,100k
    python bench/run.py --db sqlite --sqlite-scales 10k
    python bench/run.py --db postgresql --scales 1M --only search,writes   # some sections alone

With ``--only`` the other sections and scales are taken from the newest earlier results of that database in
``--out`` (named in the report), so the targets table stays complete.

For each database and scale it makes sure the data set exists (``haat bench-data --if-missing``: generated
once, then reused — PostgreSQL databases ``haat_bench_<scale>``, SQLite files under ``$BENCH_DATA_DIR``),
starts the production server (``haat serve``: gunicorn with its configured workers and threads, DEBUG off,
``HAAT_BENCH=1`` for the framework-floor endpoint) and the task worker, and measures through
``bench/suite.py``: search at every scale; writes, pgbench, page cost and memory at the largest; the ledger
through the service layer on its own database. Results go to ``bench/results/<date>-<db>.md`` and ``.json``
with PNG plots. Nothing asserts a speed: targets are printed with the measured value and whether they are met.

Environment: ``BENCH_DATABASE_URL`` (server URL without database, default
``postgres://postgres@127.0.0.1:5432``), ``BENCH_DATA_DIR`` (default ``var/bench``), ``BENCH_REPEAT``
(requests per search shape), ``BENCH_WRITES`` (bids/accepts for one client), ``BENCH_PGBENCH_SECONDS``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
HAAT = [PYTHON, "-m", "haat"]


def jobs_of(scale: str) -> int:
    """``10k`` → 10000, ``1M`` → 1000000."""
    units = {"k": 1_000, "m": 1_000_000}
    unit = scale[-1].lower()
    return int(float(scale[:-1]) * units[unit]) if unit in units else int(scale)


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Target:
    def __init__(self, db: str, scale: str, data_root: Path, server_url: str) -> None:
        self.db, self.scale, self.jobs = db, scale, jobs_of(scale)
        self.env = {
            k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "HAAT_DATA_DIR"}
        }
        self.env["PYTHONPATH"] = str(ROOT)
        if db == "postgresql":
            self.name = f"haat_bench_{scale.lower()}"
            self.env["DATABASE_URL"] = f"{server_url.rstrip('/')}/{self.name}"
            self.env["HAAT_DATA_DIR"] = str(data_root / "pg")
        else:
            self.name = f"sqlite-{scale.lower()}"
            self.env["HAAT_DATA_DIR"] = str(data_root / self.name)
        Path(self.env["HAAT_DATA_DIR"]).mkdir(parents=True, exist_ok=True)

    def run(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), env=self.env, cwd=ROOT, text=True, check=True, **kwargs)


def ensure_database(target: Target, server_url: str) -> None:
    if target.db == "postgresql":
        import psycopg

        with psycopg.connect(f"{server_url.rstrip('/')}/postgres", autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name]).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{target.name}"')
    target.run(*HAAT, "migrate", "-v0")
    target.run(*HAAT, "collectstatic", "--noinput", "-v0")
    target.run(*HAAT, "createcachetable")
    started = time.perf_counter()
    target.run(*HAAT, "bench-data", "--jobs", str(target.jobs), "--if-missing")
    log(f"data ready for {target.db} {target.scale} ({time.perf_counter() - started:.0f} s)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``haat serve`` and ``haat worker`` for one target, logs under the data directory."""

    def __init__(self, target: Target) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**target.env, "HAAT_BENCH": "1", "HAAT_BIND": f"127.0.0.1:{self.port}"}
        logs = Path(target.env["HAAT_DATA_DIR"])
        self.serve = subprocess.Popen(
            [*HAAT, "serve"],
            env=env,
            cwd=ROOT,
            stdout=open(logs / "serve.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.worker = subprocess.Popen(
            [*HAAT, "worker"],
            env=env,
            cwd=ROOT,
            stdout=open(logs / "worker.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)  # polling interval while gunicorn boots (bounded by the two-minute deadline)
        self.stop()
        raise SystemExit("haat serve did not answer /healthz within two minutes")

    def rss(self) -> dict[str, Any]:
        """Resident memory (MiB) of each web worker (children of the gunicorn master) and of the task worker."""

        def rss_of(pid: int) -> float:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
            return 0.0

        def children(pid: int) -> list[int]:
            found = []
            for task in Path(f"/proc/{pid}/task").iterdir():
                path = task / "children"
                if path.exists():
                    found += [int(x) for x in path.read_text().split()]
            return found

        web = [rss_of(pid) for pid in children(self.serve.pid)]
        worker = [rss_of(self.worker.pid)] + [rss_of(pid) for pid in children(self.worker.pid)]
        return {"web_workers_mib": web, "master_mib": rss_of(self.serve.pid), "task_worker_mib": worker}

    def stop(self) -> None:
        for process in (self.serve, self.worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.serve, self.worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def suite(
    target: Target, command: str, *args: str, extra_env: dict[str, str] | None = None
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    env = {**target.env, **(extra_env or {})}
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "suite.py"), command, *args, out], env=env, cwd=ROOT, check=True
    )
    result: dict[str, Any] = json.loads(Path(out).read_text(encoding="utf-8"))
    Path(out).unlink()
    return result


def ledger(db: str, server_url: str, data_root: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "HAAT_DATA_DIR"}}
    env["BENCH_TRANSFERS"] = os.environ.get("BENCH_TRANSFERS", "1000")
    env["PYTHONPATH"] = str(ROOT)
    if db == "postgresql":
        env["DATABASE_URL"] = f"{server_url.rstrip('/')}/haat_bench_ledger"
    folder = data_root / f"ledger-{db}"
    if folder.exists():
        for path in folder.glob("haat.sqlite3*"):
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    env["HAAT_DATA_DIR"] = str(folder)
    start = load()
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "ledger_transfers.py")],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=True,
    )
    print(done.stdout, flush=True)
    rows = []
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit():
            rows.append({"workers": int(parts[0]), "accounts": parts[1], "transfers_per_s": float(parts[2])})
    return {
        "rows": rows,
        "verify": "ok" in done.stdout.splitlines()[-1],
        "load_start": start,
        "load_end": load(),
    }


def profiles(target: Target, search: dict[str, Any], out: Path, db: str) -> dict[str, str]:
    """pyinstrument profiles of the two slowest search shapes at this scale (in-process API requests)."""
    out.mkdir(parents=True, exist_ok=True)
    slowest = sorted(search["shapes"].items(), key=lambda kv: -kv[1]["api"]["p99"])[:2]
    written = {}
    for name, shape in slowest:
        slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
        path = out / f"{dt.date.today().isoformat()}-{db}-profile-{slug}.txt"
        suite(target, "profile", json.dumps(shape["params"]), str(path))
        written[name] = path.name
    return written


SECTIONS = ("search", "writes", "pgbench", "pages", "ledger")


def run_db(
    db: str, scales: list[str], server_url: str, data_root: Path, *, sections: tuple[str, ...] = SECTIONS
) -> dict[str, Any]:
    """Measure ``sections`` of ``db``: search at every scale; writes, pgbench and page cost at the largest;
    the ledger on its own database."""
    results: dict[str, Any] = {
        "db": db,
        "date": dt.date.today().isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "load_start": load(),
        "scales": {},
    }
    started = time.perf_counter()
    for scale in scales:
        largest = scale == scales[-1]
        if not largest and "search" not in sections:
            continue
        target = Target(db, scale, data_root, server_url)
        ensure_database(target, server_url)
        log(f"{db} {scale}: starting haat serve and haat worker")
        server = Server(target)
        try:
            entry: dict[str, Any] = {"size": suite(target, "size")}
            if "search" in sections:
                log(f"{db} {scale}: search")
                repeat = os.environ.get("BENCH_REPEAT", "30" if jobs_of(scale) >= 1_000_000 else "40")
                entry["search"] = suite(target, "search", server.base, extra_env={"BENCH_REPEAT": repeat})
                results["scales"][scale] = entry
            if largest:
                if "writes" in sections:
                    log(f"{db} {scale}: writes over HTTP")
                    results["writes"] = suite(target, "writes", server.base)
                if "pgbench" in sections:
                    log(f"{db} {scale}: pgbench")
                    results["pgbench"] = suite(target, "pgbench")
                if "pages" in sections:
                    log(f"{db} {scale}: page cost")
                    results["pages"] = suite(target, "pages")
                results["memory"] = {**server.rss(), "db": entry["size"]}
                if "search" in sections:
                    results["profiles"] = profiles(
                        target, entry["search"], Path(os.environ.get("BENCH_OUT", RESULTS)), db
                    )
                results["largest"] = scale
        finally:
            server.stop()
    if "ledger" in sections:
        log(f"{db}: ledger through the service layer")
        results["ledger"] = ledger(db, server_url, data_root)
    results["load_end"] = load()
    results["seconds"] = time.perf_counter() - started
    return results


def merge_previous(results: dict[str, Any], out: Path, sections: tuple[str, ...]) -> dict[str, Any]:
    """A partial run (``--only``) completed with the newest earlier results of the same database in ``out``:
    the scales and sections not re-run come from there."""
    earlier = sorted(out.glob(f"*-{results['db']}.json"))
    if not earlier:
        return results
    previous: dict[str, Any] = json.loads(earlier[-1].read_text(encoding="utf-8"))
    merged = {**previous, **{k: v for k, v in results.items() if k != "scales"}}
    merged["scales"] = {**previous.get("scales", {}), **results["scales"]}
    merged["scales"] = dict(sorted(merged["scales"].items(), key=lambda kv: jobs_of(kv[0])))
    merged["largest"] = previous.get("largest") or list(merged["scales"])[-1]
    merged["merged_from"] = {
        "file": earlier[-1].name,
        "rerun": list(sections),
        "search_rerun_at": list(results["scales"]),
        # A run merged before keeps naming the full run its other sections came from.
        "seconds_of_earlier_run": previous.get("merged_from", {}).get(
            "seconds_of_earlier_run", previous.get("seconds", 0)
        ),
    }
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--scales", default="10k,100k,1M", help="PostgreSQL scales")
    parser.add_argument("--sqlite-scales", default="10k,100k", help="SQLite scales (1M takes long on SQLite)")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument(
        "--only",
        help=f"comma-separated sections to run ({', '.join(SECTIONS)}); the rest comes from earlier results",
    )
    args = parser.parse_args()
    # Stopped from outside: unwind, so the servers started for the run are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench stopped"))
    os.environ["BENCH_OUT"] = args.out
    server_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    data_root = Path(os.environ.get("BENCH_DATA_DIR", str(ROOT / "var" / "bench"))).resolve()
    from bench import report

    sections = tuple(x.strip() for x in args.only.split(",")) if args.only else SECTIONS
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    dbs = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    for db in dbs:
        scales = (args.scales if db == "postgresql" else args.sqlite_scales).split(",")
        results = run_db(
            db, [s.strip() for s in scales if s.strip()], server_url, data_root, sections=sections
        )
        if sections != SECTIONS:
            results = merge_previous(results, Path(args.out), sections)
        report.write(results, Path(args.out))


if __name__ == "__main__":
    main()
