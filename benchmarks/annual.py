"""Annual report: ``intact report annual`` in every format, wall time and peak memory per process.

Each generation runs in its own process; ``os.wait4`` gives that process's
``ru_maxrss`` (peak resident memory). Baseline: ``intact report annual
--format json`` (the figures alone, no document rendering) in the same run.
Data: ``benchmarks/annual_seed.py`` (people, cases, gift declarations).
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


def _one(inst: Instance, fmt: str, year: int) -> tuple[float, float, int]:
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
    return seconds, usage.ru_maxrss / 1024, out.stat().st_size  # ru_maxrss is in KiB on Linux


def run(*, quick: bool, log: Any = print) -> dict:
    scale = 0.1 if quick else 1.0
    people, cases, entries = int(10000 * scale), int(2000 * scale), int(20000 * scale)
    year = dt.date.today().year
    runs = 2 if quick else 3
    res: dict[str, Any] = {"people": people, "cases": cases, "entries": entries, "runs": runs, "formats": {}}
    with Instance() as inst:
        inst.intact("migrate", "--noinput", "-v0")
        t = time.perf_counter()
        inst.python("-m", "benchmarks.annual_seed", "--people", str(people), "--cases", str(cases),
                    "--entries", str(entries), "--year", str(year))
        res["seed_seconds"] = time.perf_counter() - t
        for fmt in FORMATS:
            try:
                samples = [_one(inst, fmt, year) for _ in range(runs)]
            except RuntimeError as exc:
                res["formats"][fmt] = {"error": str(exc)}
                log(f"  annual {fmt}: {exc}")
                continue
            res["formats"][fmt] = {"seconds": [s[0] for s in samples], "max_rss_mb": max(s[1] for s in samples),
                                   "bytes": samples[-1][2]}
            log(f"  annual {fmt}: {med([s[0] for s in samples]):.2f} s, {max(s[1] for s in samples):.0f} MB")
    return res
