"""Annual report: ``intact report annual`` in every format, wall time, CPU time and peak memory per process.

Each generation runs in its own process; ``os.wait4`` gives that process's
``ru_maxrss`` (peak resident memory) and CPU time (user + system, which the
other engineers' load on a shared machine disturbs far less than the wall
time). Baseline: ``intact report annual --format json`` (the figures alone,
no document rendering) in the same run. Data: ``benchmarks/annual_seed.py``
(people, cases, gift declarations).

Growth: the same measurement (JSON and PDF) at 1×, 10× and 100× of a base of
1 % of the target organisation (100 people, 20 cases, 200 register entries),
so 100× is the target size itself; each size in its own installation.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from typing import Any

from benchmarks.instance import BIN, ROOT, Instance
from benchmarks.stats import med

FORMATS = ("json", "html", "pdf", "odt", "docx", "xlsx", "csv")
TARGET = (10000, 2000, 20000)  # people, cases, register entries
BASE = tuple(n // 100 for n in TARGET)  # 1× of the growth curve
GROWTH_FORMATS = ("json", "pdf")


def _one(inst: Instance, fmt: str, year: int) -> tuple[float, float, int, float]:
    out = inst.root / f"report.{fmt}"
    t = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "intact"), "report", "annual", "--org", "jaar", "--year", str(year),  # noqa: S603
                             "--format", fmt, "--edition", "public", "-o", str(out)],
                            env=inst.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{fmt}: exit {proc.returncode}: {proc.stderr.read()[-300:]!r}")
    # ru_maxrss is in KiB on Linux
    return seconds, usage.ru_maxrss / 1024, out.stat().st_size, usage.ru_utime + usage.ru_stime


def _pages(path: Any) -> int | None:
    try:
        import logging

        logging.getLogger("pikepdf").setLevel(logging.WARNING)  # before the import, which logs
        import pikepdf

        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - the page count is a detail of the result
        return None


def _seeded(people: int, cases: int, entries: int, year: int) -> tuple[Instance, float]:
    inst = Instance()
    inst.intact("migrate", "--noinput", "-v0")
    t = time.perf_counter()
    inst.python("-m", "benchmarks.annual_seed", "--people", str(people), "--cases", str(cases),
                "--entries", str(entries), "--year", str(year))
    return inst, time.perf_counter() - t


def _measure(inst: Instance, formats: tuple[str, ...], year: int, runs: int, log: Any, label: str) -> dict:
    out: dict[str, Any] = {}
    for fmt in formats:
        try:
            samples = [_one(inst, fmt, year) for _ in range(runs)]
        except RuntimeError as exc:
            out[fmt] = {"error": str(exc)}
            log(f"  annual {label} {fmt}: {exc}")
            continue
        out[fmt] = {"seconds": [s[0] for s in samples], "cpu_seconds": [s[3] for s in samples],
                    "max_rss_mb": max(s[1] for s in samples), "bytes": samples[-1][2]}
        if fmt == "pdf":
            out[fmt]["pages"] = _pages(inst.root / "report.pdf")
        log(f"  annual {label} {fmt}: {med(out[fmt]['seconds']):.2f} s wall, "
            f"{med(out[fmt]['cpu_seconds']):.2f} s CPU, {out[fmt]['max_rss_mb']:.0f} MB")
    return out


def run(*, quick: bool, log: Any = print) -> dict:
    year = dt.date.today().year
    runs = 2 if quick else 3
    # The growth curve: quick stops at 10× (which is then also the main size).
    factors = (1, 10) if quick else (1, 10, 100)
    main_factor = factors[-1]
    people, cases, entries = (n * main_factor for n in BASE)
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    res: dict[str, Any] = {"people": people, "cases": cases, "entries": entries, "runs": runs, "formats": {},
                           "base": dict(zip(("people", "cases", "entries"), BASE, strict=True)),
                           "growth": {}, "load_at_start": load}
    for factor in factors:
        size = tuple(n * factor for n in BASE)
        inst, seed_seconds = _seeded(*size, year)
        try:
            label = f"{factor}×"
            if factor == main_factor:
                res["seed_seconds"] = seed_seconds
                measured = _measure(inst, FORMATS, year, runs, log, label)
                res["formats"] = measured
                res["growth"][str(factor)] = {k: measured[k] for k in GROWTH_FORMATS if k in measured}
            else:
                res["growth"][str(factor)] = _measure(inst, GROWTH_FORMATS, year, runs, log, label)
            res["growth"][str(factor)]["size"] = dict(zip(("people", "cases", "entries"), size, strict=True))
        finally:
            inst.cleanup(keep=bool(os.environ.get("INTACT_BENCH_KEEP")))
    return res
