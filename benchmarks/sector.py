"""Sector overview: ``intact report sector`` over 1,000 organisations and 10,000 / 100,000 / 1,000,000 cases.

Each measurement runs in its own process; ``os.wait4`` gives its wall time
and ``ru_maxrss`` (peak resident memory). **Baseline**, same run and
alternating with the command: the raw SQL of the same aggregation
(participants; cases and organisations per standard category), written by
hand and executed with a cursor, in a process that starts Django the same
way. A third process times ``sector.overview()`` and the raw SQL in one
Python process (no start-up in either figure), counts the queries and checks
that both give the same figures.

Seeding (``python -m benchmarks.sector seed``) is honest about what it skips:
the overview reads metadata only (organisation, date received, categories),
so cases are inserted with ``COPY`` (PostgreSQL) or ``executemany``
(SQLite), not through the model, and every case of an organisation carries
the SAME ciphertext (made once per organisation with ``crypto.encrypt``) in
its encrypted columns (description, public summary), so that rows have a
realistic width. The sizes grow in place (10,000, then 90,000 more, then
900,000 more) in the same 1,000 organisations, all taking part, all cases in
one year; ``VACUUM ANALYZE`` (PostgreSQL) / ``ANALYZE`` (SQLite) after each
growth step, as autovacuum would on a live installation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from typing import Any

from benchmarks.instance import BIN, ROOT, Instance, pg_database_url
from benchmarks.stats import med

ORGS = 1000
SCALES = (10_000, 100_000, 1_000_000)
QUICK_ORGS = 100
QUICK_SCALES = (1_000, 10_000)
DESCRIPTION = ("Omschrijving van de melding, zoals de coördinator haar vastlegt: wie, wat, waar en wanneer. " * 4)[:360]
SUMMARY = ("Openbare samenvatting na controle: aard van de schending en de afloop. " * 3)[:200]

# The raw SQL of the same aggregation, written by hand (both databases).
RAW_PARTICIPANTS = """
SELECT COUNT(*)
FROM accountability_reportsettings rs
WHERE rs.sector_participation
  AND EXISTS (SELECT 1 FROM cases_case c WHERE c.organisation_id = rs.organisation_id
              AND c.received_on BETWEEN %s AND %s)
"""
RAW_STANDARDS = """
SELECT cat.standard, COUNT(DISTINCT cc.case_id), COUNT(DISTINCT c.organisation_id)
FROM cases_case_categories cc
JOIN cases_case c ON c.id = cc.case_id
JOIN cases_category cat ON cat.id = cc.category_id
JOIN accountability_reportsettings rs ON rs.organisation_id = c.organisation_id AND rs.sector_participation
WHERE c.received_on BETWEEN %s AND %s
GROUP BY cat.standard
"""


def default_year() -> int:
    return dt.date.today().year - 1  # the last complete year, as a sector body would ask


# --- in the installation's own processes ---------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intact.settings.dev")
    import django

    django.setup()


def raw_figures(year: int) -> tuple[int, dict, dict]:
    """Participants, cases per standard, organisations per standard: raw SQL through a cursor."""
    from django.db import connection

    bounds = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    with connection.cursor() as cur:
        cur.execute(RAW_PARTICIPANTS, bounds)
        participants = cur.fetchone()[0]
        cur.execute(RAW_STANDARDS, bounds)
        rows = cur.fetchall()
    return participants, {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}


def _seed_organisations(orgs: int) -> list[tuple[int, list[int], bytes, bytes]]:
    from django.db import transaction

    from intact.accountability.models import ReportSettings
    from intact.cases import config
    from intact.cases.models import Category
    from intact.organisations.models import Organisation
    from intact.security import crypto

    existing = Organisation.objects.filter(slug__startswith="sector-").count()
    if existing < orgs:
        with transaction.atomic():
            made = Organisation.objects.bulk_create([
                Organisation(slug=f"sector-{i:04d}", name=f"Organisatie {i:04d}",
                             kind="ngo" if i % 5 == 0 else "government", sector="sector")
                for i in range(existing, orgs)])
            ReportSettings.objects.bulk_create([ReportSettings(organisation=o, sector_participation=True)
                                                for o in made])
            sets = config.defaults("categories")["sets"]
            Category.objects.bulk_create([
                Category(organisation=o, code=c["code"], standard=c["standard"], name_nl=c["nl"],
                         name_en=c.get("en", ""), order=n * 10)
                for o in made for n, c in enumerate(sets[o.kind]["categories"], start=1)])
    out = []
    cats: dict[int, list[int]] = {}
    for org_id, cat_id in Category.objects.filter(organisation__slug__startswith="sector-").order_by(
            "organisation_id", "pk").values_list("organisation_id", "pk"):
        cats.setdefault(org_id, []).append(cat_id)
    with transaction.atomic():  # one commit for the organisation keys
        for org_id in sorted(cats):
            # ONE ciphertext per organisation, reused for all its cases (see the module docstring).
            out.append((org_id, cats[org_id], crypto.encrypt_text(org_id, DESCRIPTION),
                        crypto.encrypt_text(org_id, SUMMARY)))
    return out


CASE_COLUMNS = ("id", "organisation_id", "reference", "origin", "report_type", "channel", "received_on", "status",
                "severity", "commissioning_authority", "description", "decision", "assignment", "assignee_label",
                "conclusion", "closed_at", "summary_description", "summary_reviewed", "retention_outcome",
                "created_at", "updated_at")
REPORT_TYPES = ("undesirable_behaviour", "wrongdoing", "business_integrity", "undesirable_behaviour")
CHANNELS = ("web", "web", "phone", "mail", "in_person")
SEVERITIES = ("low", "medium", "medium", "high", "critical")


def _rows(start: int, stop: int, first_id: int, year: int, orgs: list) -> tuple[list, list]:
    """Case rows and category links for cases number ``start``..``stop`` (deterministic, no RNG state)."""
    cases, links = [], []
    jan1 = dt.date(year, 1, 1)
    for i in range(start, stop):
        h = (i * 2654435761) & 0xFFFFFFFF
        org_id, cat_ids, desc, summ = orgs[i % len(orgs)]
        case_id = first_id + (i - start)
        received = jan1 + dt.timedelta(days=h % 365)
        closed = h % 10 < 6
        investigated = h % 10 < 3
        stamp = dt.datetime.combine(received, dt.time(9, 0), tzinfo=dt.UTC)
        cases.append((
            case_id, org_id, f"S-{year}-{i:07d}", "report", REPORT_TYPES[h % 4], CHANNELS[(h >> 4) % 5],
            received, "closed" if closed else "opened", SEVERITIES[(h >> 8) % 5], "", desc,
            "investigate" if investigated else ("no_investigation" if closed else ""),
            "coordinator" if investigated else "", "",
            ("founded", "unfounded", "undetermined")[(h >> 12) % 3] if investigated else "",
            stamp + dt.timedelta(days=30) if closed else None, summ if closed else None, closed, "",
            stamp, stamp))
        first = cat_ids[(h >> 16) % len(cat_ids)]
        links.append((case_id, first))
        if (h >> 20) % 5 == 0:  # one case in five has a second category
            second = cat_ids[(h >> 24) % len(cat_ids)]
            if second != first:
                links.append((case_id, second))
    return cases, links


def _copy_value(v: Any) -> str:
    if v is None:
        return r"\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, bytes):
        return "\\\\x" + v.hex()  # bytea hex, its backslash escaped for COPY's text format
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    return str(v)


def _insert(cases: list, links: list) -> None:
    from django.db import connection, transaction

    with transaction.atomic():
        raw = connection.cursor().cursor  # the driver's cursor
        if connection.vendor == "postgresql":
            cols = ", ".join(CASE_COLUMNS)
            with raw.copy(f"COPY cases_case ({cols}) FROM STDIN") as cp:
                for lo in range(0, len(cases), 1000):
                    cp.write("".join("\t".join(_copy_value(v) for v in row) + "\n" for row in cases[lo:lo + 1000]))
            with raw.copy("COPY cases_case_categories (case_id, category_id) FROM STDIN") as cp:
                cp.write("".join(f"{a}\t{b}\n" for a, b in links))
        else:
            marks = ", ".join("?" * len(CASE_COLUMNS))
            raw.executemany(f"INSERT INTO cases_case ({', '.join(CASE_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                            [tuple(v.isoformat(sep=" ") if isinstance(v, dt.datetime) else
                                   v.isoformat() if isinstance(v, dt.date) else v for v in row) for row in cases])
            raw.executemany("INSERT INTO cases_case_categories (case_id, category_id) VALUES (?, ?)", links)


def seed(orgs: int, cases: int, year: int) -> dict:
    """Grow the data set to ``orgs`` organisations and ``cases`` cases in ``year`` (idempotent)."""
    from django.db import connection
    from django.db.models import Max

    from intact.cases.models import Case

    t = time.perf_counter()
    if connection.vendor == "sqlite":
        # Seed process only (not the measured ones): a 256 MB page cache instead of SQLite's 2 MB, so
        # the dozen case indexes are not re-read from disk for every batch.
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -262144")
    org_rows = _seed_organisations(orgs)
    have = Case.objects.filter(organisation__slug__startswith="sector-").count()
    next_id = (Case.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    chunk = 50_000
    for lo in range(have, cases, chunk):
        hi = min(cases, lo + chunk)
        rows, links = _rows(lo, hi, next_id, year, org_rows)
        _insert(rows, links)
        next_id += hi - lo
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT MAX(id) FROM cases_case))")
            # What autovacuum does on a live installation: statistics, and the visibility map that
            # lets the planner use index-only scans (without it, freshly copied rows are read from the heap).
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")
    return {"seconds": time.perf_counter() - t, "cases": Case.objects.count()}


def inproc(year: int, runs: int) -> dict:
    """``sector.overview()`` and the raw SQL in one process: times, query count, same figures."""
    import resource

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from intact.accountability import sector

    raw_figures(year)  # warm-up, not timed: connection, imports, category set, plan caches
    sector.overview(year)
    raw_s, ov_s = [], []
    for _ in range(runs):
        t = time.perf_counter()
        raw = raw_figures(year)
        raw_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = sector.overview(year)
        ov_s.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as q:
        sector.overview(year)
    participants, totals, contributors = sector._aggregates(year)  # noqa: SLF001 - the figures behind the overview
    same = raw == (participants, dict(totals), dict(contributors))
    plans = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for query in q.captured_queries:
                cur.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(r[0] for r in cur.fetchall()))
    return {"raw_seconds": raw_s, "overview_seconds": ov_s, "queries": len(q.captured_queries),
            "same_figures": same, "participants": result["participants"], "enough": result["enough"],
            "shown_cells": sum(1 for r in result["rows"] if r["count"] is not None),
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "plans": plans}


def raw_once(year: int) -> dict:
    t = time.perf_counter()
    participants, totals, _ = raw_figures(year)
    return {"sql_seconds": time.perf_counter() - t, "participants": participants, "cases": sum(totals.values())}


# --- the driver (run.py) ---------------------------------------------------------------------------------


def _timed_wait4(inst: Instance, argv: list[str], out_path: str | None = None) -> tuple[float, float]:
    """Run ``argv`` in its own process (output to a file or discarded): wall seconds, peak memory in MB."""
    t = time.perf_counter()
    with open(out_path or os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, env=inst.env, cwd=ROOT, stdout=sink, stderr=subprocess.PIPE)  # noqa: S603
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(argv[1:4])}: exit {code}: {proc.stderr.read()[-300:]!r}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def _measure(inst: Instance, year: int, runs: int) -> dict:
    cmd, raw = [], []
    out_file = inst.root / "sector.json"
    raw_file = inst.root / "raw.json"
    for _ in range(runs):  # alternate command and baseline, so load from others hits both alike
        cmd.append(_timed_wait4(inst, [str(BIN / "intact"), "report", "sector", "--year", str(year),
                                       "-o", str(out_file)]))
        raw.append(_timed_wait4(inst, [sys.executable, "-m", "benchmarks.sector", "raw", "--year", str(year)],
                                str(raw_file)))
    produced = json.loads(out_file.read_text())
    raw_out = json.loads(raw_file.read_text())
    proc = inst.python("-m", "benchmarks.sector", "inproc", "--year", str(year), "--runs", str(runs + 2),
                       timeout=1800)
    inside = json.loads(proc.stdout)
    return {
        "command": {"seconds": [c[0] for c in cmd], "max_rss_mb": max(c[1] for c in cmd),
                    "participants": produced["participants"], "enough": produced["enough"]},
        "raw_process": {"seconds": [r[0] for r in raw], "max_rss_mb": max(r[1] for r in raw),
                        "sql_seconds": raw_out["sql_seconds"], "cases_counted": raw_out["cases"]},
        "in_process": inside,
    }


def run(*, quick: bool, log: Any = print, only_vendor: str | None = None, budget: float = 15 * 60) -> dict:
    """Both databases, growing sizes. A size is skipped (and says so) when its projected cost — the last
    size's seed and measurement times times the growth factor — would end the run after ``budget`` seconds."""
    started = time.monotonic()
    orgs = QUICK_ORGS if quick else ORGS
    scales = QUICK_SCALES if quick else SCALES
    runs = 3
    year = default_year()
    res: dict[str, Any] = {"organisations": orgs, "scales": list(scales), "runs": runs, "year": year}
    targets = []
    pg = pg_database_url("intact_bench_sector")
    if pg:
        targets.append(("postgresql", pg))
    else:
        res["postgresql_missing"] = "INTACT_DATABASE_URL does not point at PostgreSQL (run under scripts/with-postgres)"
    targets.append(("sqlite", None))
    for vendor, url in targets:
        if only_vendor and vendor != only_vendor:
            continue
        data: dict[str, Any] = {"scales": {}}
        res[vendor] = data
        with Instance(db_url=url) as inst:
            try:
                inst.intact("migrate", "--noinput", "-v0")
                last: tuple[int, float] | None = None  # (cases, seconds for seed + measurement)
                for n in scales:
                    if last:
                        projected = last[1] * n / last[0]
                        left = budget - (time.monotonic() - started)
                        if projected > left:
                            data["scales"][str(n)] = {"skipped": f"projected {projected / 60:.0f} min (seed and "
                                                      f"measurement), {max(left, 0) / 60:.0f} min of the "
                                                      f"{budget / 60:.0f}-minute budget left"}
                            log(f"  sector {vendor} {n:,}: skipped ({data['scales'][str(n)]['skipped']})")
                            break
                    step = time.monotonic()
                    proc = inst.python("-m", "benchmarks.sector", "seed", "--orgs", str(orgs), "--cases", str(n),
                                       "--year", str(year), timeout=1800)
                    seeded = json.loads(proc.stdout)
                    log(f"  sector {vendor}: seeded to {n:,} cases in {seeded['seconds']:.0f} s")
                    m = _measure(inst, year, runs)
                    m["seed_seconds"] = seeded["seconds"]
                    data["scales"][str(n)] = m
                    last = (n, time.monotonic() - step)
                    log(f"  sector {vendor} {n:,}: command {med(m['command']['seconds']):.2f} s "
                        f"{m['command']['max_rss_mb']:.0f} MB; raw process {med(m['raw_process']['seconds']):.2f} s; "
                        f"in process {med(m['in_process']['overview_seconds']):.3f} s vs raw SQL "
                        f"{med(m['in_process']['raw_seconds']):.3f} s, {m['in_process']['queries']} queries, "
                        f"same figures: {m['in_process']['same_figures']}")
            except (RuntimeError, subprocess.SubprocessError, ValueError) as exc:
                err = getattr(exc, "stderr", None) or str(exc)
                data["error"] = str(err)[-400:]
                log(f"  sector {vendor}: failed: {data['error']}")
    return res


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--orgs", type=int, default=ORGS)
    p.add_argument("--cases", type=int, required=True)
    p.add_argument("--year", type=int, default=default_year())
    p = sub.add_parser("inproc")
    p.add_argument("--year", type=int, default=default_year())
    p.add_argument("--runs", type=int, default=3)
    p = sub.add_parser("raw")
    p.add_argument("--year", type=int, default=default_year())
    p = sub.add_parser("run", help="the whole benchmark, printed as JSON (run.py --only sector saves it)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--vendor", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    if args.what == "run":
        print(json.dumps(run(quick=args.quick, log=lambda m: print(m, file=sys.stderr, flush=True),
                             only_vendor=args.vendor), indent=1, default=str))
        return
    _setup()
    if args.what == "seed":
        out = seed(args.orgs, args.cases, args.year)
    elif args.what == "inproc":
        out = inproc(args.year, args.runs)
    else:
        out = raw_once(args.year)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
