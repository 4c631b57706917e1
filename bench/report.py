"""Turn one database's benchmark results into ``bench/results/<date>-<db>.json``, ``.md`` and PNG plots, with
every target printed next to its measured value (goals, not assertions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SELECTIVE = ("rare keyword", "keyword+category+budget")
COMMON = ("common keyword", "bengali keyword", "filters only, facets", "browse, first page", "deep page")


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    largest = results.get("largest")
    if not largest:
        return rows
    shapes = results["scales"][largest]["search"]["shapes"]
    scope = f"{results['db']} {largest}"

    def add(name: str, value: str, goal: str, met: bool) -> None:
        rows.append({"target": name, "measured": value, "goal": goal, "met": met, "at": scope})

    for name in SELECTIVE:
        if name in shapes:
            p99 = shapes[name]["api"]["p99"]
            add(f"search API p99, selective: {name}", f"{_fmt(p99)} ms", "≤ 50 ms", p99 <= 50)
    for name in COMMON:
        if name in shapes:
            p99 = shapes[name]["api"]["p99"]
            add(f"search API p99, common/facets: {name}", f"{_fmt(p99)} ms", "≤ 150 ms", p99 <= 150)
    for name, shape in shapes.items():
        api, sql = shape["api"]["p50"], shape["direct_sql"]["p50"]
        limit = 1.5 * sql + 3
        add(
            f"API ≤ 1.5 × direct SQL + 3 ms (p50): {name}",
            f"{_fmt(api)} vs {_fmt(sql)} ms SQL (limit {_fmt(limit)})",
            "≤ 1.5×SQL + 3 ms",
            api <= limit,
        )
    writes = results.get("writes", {}).get("levels", {})
    for level, row in writes.items():
        floor, bid = row["floor"]["throughput"], row["bid"]["throughput"]
        share = bid / floor if floor else 0.0
        add(f"bid placement / framework floor, {level} clients", f"{share:.0%}", "≥ 60%", share >= 0.6)
        distinct, shared = row["accept_distinct"]["throughput"], row["accept_shared"]["throughput"]
        share = shared / distinct if distinct else 0.0
        add(
            f"release throughput, one shared freelancer vs distinct (all credit platform revenue), {level} clients",
            f"{share:.0%}",
            "≥ 80%",
            share >= 0.8,
        )
    pg = results.get("pgbench", {}).get("levels", {})
    for level, row in pg.items():
        distinct, hot = row["release_distinct"]["throughput"], row["release_hot"]["throughput"]
        if distinct:
            share = hot / distinct
            add(
                f"pgbench release, platform revenue as hot deltas vs distinct revenue rows, {level} clients",
                f"{share:.0%}",
                "≥ 80%",
                share >= 0.8,
            )
    pages = results.get("pages", {}).get("pages", [])
    by_page: dict[str, set[int]] = {}
    for page in pages:
        by_page.setdefault(page["page"], set()).add(page["queries"])
    for page, counts in by_page.items():
        add(
            f"no N+1: {page}",
            " / ".join(str(c) for c in sorted(counts)) + " queries",
            "same count for few and many rows",
            len(counts) == 1,
        )
    errors = sum(
        row[key]["errors"]
        for row in writes.values()
        for key in ("floor", "bid", "accept_distinct", "accept_shared")
    )
    errors += sum(s["api_errors"] + s["page_errors"] for s in shapes.values())
    add("zero errors under load", str(errors), "0", errors == 0)
    scales = list(results["scales"])
    if "100k" in scales and largest != "100k":
        before = results["scales"]["100k"]["search"]["shapes"]
        for name, shape in shapes.items():
            if name in before:
                a, b = shape["api"]["p50"], before[name]["api"]["p50"]
                add(
                    f"latency at {largest} ≤ 2 × at 100k (p50): {name}",
                    f"{_fmt(a)} vs {_fmt(b)} ms",
                    "≤ 2×",
                    a <= 2 * b,
                )
    return rows


def _plots(results: dict[str, Any], out: Path, stem: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    from bench.run import jobs_of

    scales = list(results["scales"])
    if scales:
        xs = [jobs_of(s) for s in scales]
        names = list(results["scales"][scales[0]]["search"]["shapes"])
        fig, axes = plt.subplots(1, 2, figsize=(13, 5))
        for axis, stat in zip(axes, ("p50", "p99"), strict=True):
            for i, name in enumerate(names):
                color = f"C{i}"
                api = [results["scales"][s]["search"]["shapes"][name]["api"][stat] for s in scales]
                sql = [results["scales"][s]["search"]["shapes"][name]["direct_sql"][stat] for s in scales]
                axis.plot(xs, api, "o-", color=color, label=f"{name} (API)")
                axis.plot(xs, sql, "x--", color=color, alpha=0.6)
            axis.set_xscale("log")
            axis.set_yscale("log")
            axis.set_xlabel("jobs")
            axis.set_ylabel(f"{stat} latency, ms")
            axis.set_title(f"Search {stat} on {results['db']}: API (solid) vs direct SQL (dashed)")
            axis.grid(True, which="both", alpha=0.3)
        axes[0].legend(fontsize=7)
        fig.tight_layout()
        name = f"{stem}-search.png"
        fig.savefig(out / name, dpi=90)
        plt.close(fig)
        files.append(name)
    writes = results.get("writes", {}).get("levels", {})
    if writes:
        levels = sorted(writes, key=int)
        fig, axis = plt.subplots(figsize=(7, 4.5))
        for key, label in (
            ("floor", "framework floor"),
            ("bid", "place bid"),
            ("accept_distinct", "accept (distinct)"),
            ("accept_shared", "accept (shared freelancer)"),
        ):
            axis.plot(
                [int(x) for x in levels], [writes[x][key]["throughput"] for x in levels], "o-", label=label
            )
        pg = results.get("pgbench", {}).get("levels", {})
        for key, label in (("bid", "pgbench bid"), ("release_hot", "pgbench release")):
            if pg:
                axis.plot(
                    [int(x) for x in levels], [pg[x][key]["throughput"] for x in levels], "x--", label=label
                )
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xlabel("concurrent clients")
        axis.set_ylabel("requests (transactions) per second")
        axis.set_title(f"Writes on {results['db']} at {results.get('largest')} jobs")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
        fig.tight_layout()
        name = f"{stem}-writes.png"
        fig.savefig(out / name, dpi=90)
        plt.close(fig)
        files.append(name)
    return files


def markdown(results: dict[str, Any], plots: list[str], rows: list[dict[str, Any]], out: Path) -> str:
    db = results["db"]
    lines = [
        f"# Benchmarks on {db}, {results['date']}",
        "",
        f"Machine: {results['machine']['cpus']} CPUs, {results['machine']['platform']}, Python "
        f"{results['machine']['python']}. Server: `haat serve` (gunicorn gthread, its default workers and "
        "threads, DEBUG off) and `haat worker`; HTTP load from `bench/loadgen.py` in its own process.",
        "",
        "**Noise:** this machine was shared with other engineers' test runs while these figures were taken; the "
        "load average (1, 5, 15 min) at the start and end of each section is given, and figures taken under "
        f"load are pessimistic. Run: load {results['load_start']} → {results['load_end']}, "
        f"{results.get('seconds', 0) / 60:.1f} min.",
        "",
    ]
    merged = results.get("merged_from")
    if merged:
        lines += [
            f"**Partial re-run:** {', '.join(merged['rerun'])} re-measured"
            f"{' (search at ' + ', '.join(merged['search_rerun_at']) + ')' if merged['search_rerun_at'] else ''}"
            f" in this run (load above); every other section and scale is from `{merged['file']}` "
            f"({merged['seconds_of_earlier_run'] / 60:.1f} min run).",
            "",
        ]
    for plot in plots:
        lines += [f"![{plot}]({plot})", ""]
    lines += ["## Targets", "", "| target | measured | goal | met |", "|---|---|---|---|"]
    for row in rows:
        lines.append(
            f"| {row['target']} | {row['measured']} | {row['goal']} | {'yes' if row['met'] else '**no**'} |"
        )
    lines.append("")
    for scale, entry in results["scales"].items():
        search = entry["search"]
        lines += [
            f"## Search at {scale} jobs",
            "",
            f"Load {search['load_start']} → {search['load_end']}. Database size {entry['size']['bytes'] / 2**20:.0f} MiB. "
            "Latencies in ms over HTTP (API `GET /api/v1/jobs`, page `GET /jobs/`), and the API request's own SQL "
            "statements replayed directly on the database (the ceiling).",
            "",
            "| shape | matches | queries | API p50 | API p95 | API p99 | page p50 | page p99 | SQL p50 | SQL p99 | API/SQL (p50) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, s in search["shapes"].items():
            ratio = s["api"]["p50"] / s["direct_sql"]["p50"] if s["direct_sql"]["p50"] else 0
            lines.append(
                f"| {name} | {s['matches']} | {s['queries']} | {_fmt(s['api']['p50'])} | {_fmt(s['api']['p95'])} | "
                f"{_fmt(s['api']['p99'])} | {_fmt(s['page']['p50'])} | {_fmt(s['page']['p99'])} | "
                f"{_fmt(s['direct_sql']['p50'])} | {_fmt(s['direct_sql']['p99'])} | {ratio:.2f} |"
            )
        lines.append("")
    writes = results.get("writes")
    if writes:
        pg = results.get("pgbench", {}).get("levels", {})
        lines += [
            f"## Writes at {results['largest']} jobs",
            "",
            f"Load {writes['load_start']} → {writes['load_end']}. Requests per second (p50 / p99 latency, ms). "
            "Floor: `POST /bench/floor/{job}` (token auth, one indexed read; mounted only with HAAT_BENCH=1). "
            "Accept: `POST /api/v1/milestones/{id}/accept` (escrow release with the freelancer fee to the one "
            "platform-revenue account); *distinct*: every client its own buyer and freelancer; *shared*: every "
            "client pays the same freelancer (one clearing account, locked by every release).",
            "",
            "| clients | floor | bid | bid/floor | accept distinct | accept shared | shared/distinct | errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for level, row in writes["levels"].items():
            f, b, d, s = row["floor"], row["bid"], row["accept_distinct"], row["accept_shared"]
            errors = f["errors"] + b["errors"] + d["errors"] + s["errors"]

            def cell(r: dict[str, Any]) -> str:
                return f"{r['throughput']:.1f}/s ({_fmt(r['latency']['p50'])} / {_fmt(r['latency']['p99'])})"

            lines.append(
                f"| {level} | {cell(f)} | {cell(b)} | {b['throughput'] / max(f['throughput'], 1e-9):.0%} | "
                f"{cell(d)} | {cell(s)} | {s['throughput'] / max(d['throughput'], 1e-9):.0%} | {errors} |"
            )
        lines.append("")
        if pg:
            lines += [
                "### The database's ceiling: pgbench with the same transactions' SQL",
                "",
                "Transactions per second. *release_hot* credits platform revenue as Haat does (a hot-delta row); "
                "*release_distinct* credits a revenue row per client (no shared row); *release_one_row* updates the "
                "one revenue row in every transaction (what the hot-delta design avoids).",
                "",
                "| clients | bid | HTTP bid / pgbench | release_distinct | release_hot | release_one_row | HTTP accept / pgbench release_hot |",
                "|---|---|---|---|---|---|---|",
            ]
            for level, row in pg.items():
                http = writes["levels"].get(level, {})
                bid_ratio = (
                    http["bid"]["throughput"] / row["bid"]["throughput"] if row["bid"]["throughput"] else 0
                )
                acc = (
                    http["accept_distinct"]["throughput"] / row["release_hot"]["throughput"]
                    if row["release_hot"]["throughput"]
                    else 0
                )
                lines.append(
                    f"| {level} | {row['bid']['throughput']:.0f} | {bid_ratio:.1%} | "
                    f"{row['release_distinct']['throughput']:.0f} | {row['release_hot']['throughput']:.0f} | "
                    f"{row['release_one_row']['throughput']:.0f} | {acc:.1%} |"
                )
            lines.append("")
    led = results.get("ledger")
    if led:
        lines += [
            "## Ledger transfers through the service layer",
            "",
            f"`bench/ledger_transfers.py` (threads in one process; batches of two transfers). Load {led['load_start']} → "
            f"{led['load_end']}. Ledger verify afterwards: {'ok' if led['verify'] else 'FAILED'}.",
            "",
            "| workers | accounts | transfers/s |",
            "|---|---|---|",
        ]
        for row in led["rows"]:
            lines.append(f"| {row['workers']} | {row['accounts']} | {row['transfers_per_s']:.0f} |")
        lines.append("")
    pages = results.get("pages")
    if pages:
        lines += [
            f"## Page cost at {results['largest']} jobs",
            "",
            f"In-process (Django test client, signed in), median of 5. Load {pages['load_start']} → {pages['load_end']}.",
            "",
            "| page | variant | status | SQL queries | server ms |",
            "|---|---|---|---|---|",
        ]
        for p in pages["pages"]:
            lines.append(
                f"| {p['page']} | {p['variant']} | {p['status']} | {p['queries']} | {_fmt(p['ms_p50'])} |"
            )
        lines.append("")
    memory = results.get("memory")
    if memory:
        size = memory["db"]
        lines += [
            "## Memory and size",
            "",
            f"- web workers (RSS after the run): {', '.join(f'{x:.0f} MiB' for x in memory['web_workers_mib'])}; "
            f"gunicorn master {memory['master_mib']:.0f} MiB",
            f"- task worker: {', '.join(f'{x:.0f} MiB' for x in memory['task_worker_mib'])}",
            f"- database: {size['bytes'] / 2**20:.0f} MiB for {size['jobs']} jobs = "
            f"{size['bytes_per_million_jobs'] / 2**30:.2f} GiB per million jobs",
            "",
        ]
    profiles = results.get("profiles") or {}
    if profiles:
        lines += ["## Profiles (pyinstrument, the two slowest search shapes, in-process)", ""]
        for name, file in profiles.items():
            text = (out / file).read_text(encoding="utf-8") if (out / file).exists() else ""
            excerpt = "\n".join(text.splitlines()[:45])
            lines += [f"### {name} (`{file}`)", "", "```", excerpt, "```", ""]
    return "\n".join(lines)


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{results['date']}-{results['db']}"
    rows = targets(results)
    results["targets"] = rows
    plots = _plots(results, out, stem)
    (out / f"{stem}.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    (out / f"{stem}.md").write_text(markdown(results, plots, rows, out), encoding="utf-8")
    print(f"\nTargets ({results['db']}):")
    for row in rows:
        print(
            f"  [{'met' if row['met'] else 'NOT MET'}] {row['target']}: {row['measured']} (goal {row['goal']})"
        )
    print(f"Written: {out / (stem + '.md')}")
