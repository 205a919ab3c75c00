"""``python -m benchmarks.run [--quick] [--only intake|staff|annual|sector] [--render-only]``.

Measures, saves the raw figures to ``var/bench/results.json`` and writes
``docs/benchmarks.md`` (figures, ratios to the same-run baselines, the
machine). PostgreSQL is measured when ``scripts/with-postgres`` set
``INTACT_DATABASE_URL`` (``make bench`` does). The load test's last results
(``scripts/loadtest`` writes ``var/loadtest-*.json``) are included as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.instance import ROOT, Instance, pg_database_url, pg_version

RESULTS = ROOT / "var" / "bench" / "results.json"
AREAS = ("intake", "staff", "annual", "sector")


def machine() -> dict:
    def lscpu(field: str) -> str:
        try:
            out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout  # noqa: S607
        except (OSError, subprocess.CalledProcessError):
            return "?"
        for line in out.splitlines():
            if line.split(":")[0].strip() == field:
                return line.split(":", 1)[1].strip()
        return "?"

    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S607
                                text=True).stdout.strip()
    except OSError:
        commit = "?"
    import django

    return {
        "cpu": lscpu("Model name"), "cores": os.cpu_count(), "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(), "django": django.get_version(), "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version(), "kernel": platform.release(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_at_start": [round(x, 2) for x in load], "commit": commit,
    }


def staff(quick: bool, log) -> dict:
    scales = "100,1000" if quick else "1000,10000,100000"
    runs = "5" if quick else "20"  # samples per page and size: one page per request now, so a p95 is affordable
    out: dict = {}
    targets = [("sqlite", None)]
    pg = pg_database_url("intact_bench_staff")
    if pg:
        targets.append(("postgresql", pg))
    for name, url in targets:
        inst = Instance(db_url=url)
        try:
            log(f"staff pages on {name} ({scales} cases)")
            path = inst.root / "staff.json"
            proc = subprocess.run([sys.executable, "-m", "benchmarks.staff", "--scales", scales, "--runs", runs,  # noqa: S603
                                   "--out", str(path)], env=inst.env, cwd=ROOT, text=True,
                                  stdout=None, stderr=subprocess.DEVNULL, timeout=3600)
            out[name] = json.loads(path.read_text()) if path.exists() else {"error": f"exit {proc.returncode}"}
        finally:
            inst.cleanup()
    if not pg:
        out["postgresql_missing"] = "INTACT_DATABASE_URL does not point at PostgreSQL (run under scripts/with-postgres)"
    return out


def annual(quick: bool, log) -> dict:
    proc = subprocess.run([str(Path(sys.executable).parent / "intact"), "help"], capture_output=True, text=True,  # noqa: S603
                          cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "intact.settings.dev"})
    commands = {line.strip() for line in proc.stdout.splitlines()}
    exists = "report_annual" in commands  # `intact report annual` runs the command report_annual
    log(f"annual report command {'exists' if exists else 'does not exist'}")
    out = {"command_exists": exists, "checked_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    if exists:
        from benchmarks import annual as annual_bench

        out.update(annual_bench.run(quick=quick, log=log))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small data, fewer rounds (a few minutes)")
    parser.add_argument("--only", choices=["intake", "staff", "annual", "sector"])
    parser.add_argument("--render-only", action="store_true", help="rewrite docs/benchmarks.md from saved results")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intact.settings.dev")

    def log(msg: str) -> None:
        print(msg, flush=True)

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if not args.render_only:
        import django

        django.setup()
        results["machine"] = machine()
        results["quick"] = args.quick
        t = time.time()
        if args.only in (None, "intake"):
            from benchmarks import intake

            log("intake: web stack vs bare Argon2id")
            results["intake"] = intake.run(quick=args.quick, log=log)
        if args.only in (None, "staff"):
            results["staff"] = staff(args.quick, log)
        if args.only in (None, "annual"):
            results["annual"] = annual(args.quick, log)
        if args.only in (None, "sector"):
            from benchmarks import sector as sector_bench

            log("sector overview: intact report sector vs the raw SQL of the same aggregation")
            results["sector"] = sector_bench.run(quick=args.quick, log=log)
        results["seconds"] = round(time.time() - t)
        # When, where and at which load each area was measured (areas may come from separate --only runs).
        stamp = {k: results["machine"].get(k) for k in ("date", "commit", "load_at_start", "postgresql")}
        results["runs"] = {area: stamp for area in AREAS if area in results
                           and (args.only is None or area == args.only)}
        # Merge into what is on disk now: another ``--only`` run may have saved its area meanwhile.
        measured = {k: v for k, v in results.items() if k in ("machine", "quick", "seconds", *AREAS)
                    and (args.only is None or k in ("machine", "quick", "seconds", args.only))}
        saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        runs = {**saved.get("runs", {}), **results["runs"]}
        saved.update(measured)
        saved["runs"] = runs
        results = saved
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        tmp = RESULTS.with_suffix(".tmp")
        tmp.write_text(json.dumps(results, indent=1, default=str))
        tmp.replace(RESULTS)
    if not args.no_docs:
        from benchmarks.report import render

        (ROOT / "docs" / "benchmarks.md").write_text(render(results))
        log("wrote docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
