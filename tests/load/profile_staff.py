"""Where the staff requests of the load test spend their time (a diagnostic, not a test).

``python -m tests.load.profile_staff --reports 300 --staff 50`` makes a fresh
SQLite installation (benchmarks.instance), seeds ``--staff`` coordinators as
the load test does, submits ``--reports`` anonymous reports through
``report_submit`` (so every report gets what the intake really writes: access
rows for every coordinator, events, terms, audit entries), then requests the
inbox and one report through Django's test client as a coordinator with an
API token, counting SQL queries and profiling with cProfile. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

SCRIPT = r"""
import cProfile, io, json, pstats, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from intact.organisations.models import Organisation
from intact.reporting import services
from intact.reporting.models import Report

n, seed_path, sizes = int(sys.argv[1]), sys.argv[2], [int(x) for x in sys.argv[3].split(",")]
seed = json.load(open(seed_path))
org = Organisation.objects.get(slug=seed["organisation"])
token = seed["staff"][0]["token"]
client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT="application/json", HTTP_HOST="127.0.0.1")
out = {}


class Count:
    def __init__(self):
        self.captured_queries = []

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.captured_queries.append({"sql": sql, "time": f"{time.perf_counter() - t:.4f}"})


def measure(label, path):
    client.get(path)  # warm caches (keys, templates)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        ctx = Count()
        with connection.execute_wrapper(ctx):
            resp = client.get(path)
        times.append(time.perf_counter() - t)
    assert resp.status_code == 200, (resp.status_code, resp.content[:300])
    prof = cProfile.Profile()
    prof.enable()
    client.get(path)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(25)
    slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {"ms": round(sorted(times)[1] * 1000, 1), "queries": len(ctx.captured_queries),
            "bytes": len(resp.content), "slowest_sql": [(q["time"], q["sql"][:300]) for q in slow],
            "profile": s.getvalue()[:6000]}


made = Report.objects.count()
t0 = time.perf_counter()
submit_queries = []
for size in sizes:
    while made < size:
        ctx = Count()
        with connection.execute_wrapper(ctx):
            services.report_submit(organisation=org, report_type="wrongdoing", anonymity="anonymous",
                                   answers={"what": f"Profiel melding {made}.", "where": f"prof-{made}"})
        submit_queries.append(len(ctx.captured_queries))
        made += 1
    ref = Report.objects.order_by("-received_at").values_list("reference", flat=True).first()
    out[size] = {
        "inbox": measure("inbox", f"/api/v1/organisations/{org.slug}/reports/"),
        "report_open": measure("report_open", f"/api/v1/organisations/{org.slug}/reports/{ref}/"),
    }
out["submit_queries_median"] = sorted(submit_queries)[len(submit_queries) // 2] if submit_queries else None
out["seed_seconds"] = round(time.perf_counter() - t0, 1)
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,300", help="inbox sizes (reports) to measure at, ascending")
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print the cProfile of the largest size")
    args = parser.parse_args()
    from benchmarks.instance import Instance

    with Instance() as inst:
        inst.setup(staff=args.staff)
        try:
            res = inst.python("-c", SCRIPT, "0", str(inst.root / "seed.json"), args.sizes, timeout=3600)
        except subprocess.CalledProcessError as exc:
            print(exc.stderr[-3000:], file=sys.stderr)
            return 1
        data = json.loads(res.stdout.strip().splitlines()[-1])
    for size, entry in data.items():
        if not isinstance(entry, dict):
            print(f"{size}: {entry}")
            continue
        for name, m in entry.items():
            print(f"{size} reports  {name:12s} {m['ms']:8.1f} ms  {m['queries']:4d} queries  {m['bytes']} bytes")
            for t, sql in m["slowest_sql"]:
                print(f"      {t}s  {sql}")
    if args.profile:
        last = list(k for k, v in data.items() if isinstance(v, dict))[-1]
        for name in ("inbox", "report_open"):
            print(f"--- {name} at {last} reports\n{data[last][name]['profile']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
