"""Staff pages and API at 1x, 10x and 100x cases, each against the raw SQL of the same queries.

Run in its own process (``python -m benchmarks.staff --out FILE --scales 1000,10000,100000``)
with the installation's environment (a fresh database: SQLite file or a new
PostgreSQL database). Cases are generated through the model with
``bulk_create`` in batches of 5,000, so ``pre_save`` really encrypts the
description and the public summary of every case with the organisation's key
(one AES-GCM encryption per field and case; no ciphertext is reused). The user
is a central integrity coordinator (sees every case's metadata) who is an
active team member of 1% of the cases (sees their content), through Django's
test client with the second factor satisfied: the whole Django stack except
the socket.

Baseline ("raw SQL"): the very statements the page's selector runs — recorded
with ``connection.execute_wrapper`` while calling the selector once
(``cases.selectors.case_page_for`` for the list and the search, the API's
``case_queryset_for`` count and first page, ``core.start.sections_for`` for
the whole start page) — replayed with a cursor and fetched in full: no model
instances, no decryption, no template, no middleware. Web and raw are
measured alternately in the same run; each figure is over ``--runs`` samples,
with the request's CPU time next to its wall time (the machine is shared; on
SQLite the CPU time includes the database's work, on PostgreSQL not). The
fixed cost of any staff request is measured as the same user's case list in
an organisation without cases ("floor").
After seeding, PostgreSQL gets ``VACUUM ANALYZE`` (as its autovacuum would);
SQLite gets no statistics, as in an installation. The query plans (``EXPLAIN
QUERY PLAN`` / ``EXPLAIN ANALYZE``) are stored with the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import time
from typing import Any

BATCH = 5000


def _setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("migrate", "--noinput", verbosity=0)


def _world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from intact.organisations.models import Membership, Organisation, Role, Unit

    org = Organisation.objects.create(
        slug="bench", name="Benchmark Provincie", kind="government", sector="provincie"
    )
    central = Unit.objects.create(organisation=org, name="Centraal", is_central=True)
    units = [central] + [
        Unit.objects.create(organisation=org, name=f"Afdeling {i}", parent=central) for i in range(9)
    ]
    user = get_user_model().objects.create(username="coordinator", first_name="Co", last_name="Ordinator")
    Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
    empty = Organisation.objects.create(slug="leeg", name="Lege Gemeente", kind="government", sector="gemeente")
    Membership.objects.create(user=user, organisation=empty, role=Role.COORDINATOR)
    return {"org": org, "units": units, "user": user, "empty": empty}


def _generate(world: dict[str, Any], start: int, stop: int, rng: random.Random) -> None:
    from django.utils import timezone

    from intact.cases.models import Case, Origin, TeamMember

    org, units, user = world["org"], world["units"], world["user"]
    types = ["wrongdoing", "business_integrity", "undesirable_behaviour"]
    statuses = ["opened", "opened", "opened", "triaged", "investigating", "closed"]
    today = dt.date.today()
    for lo in range(start, stop, BATCH):
        hi = min(stop, lo + BATCH)
        cases = []
        for i in range(lo, hi):
            received = today - dt.timedelta(days=rng.randrange(0, 3 * 365))
            status = rng.choice(statuses)
            cases.append(Case(
                organisation=org, reference=f"Z-{received.year}-{i:06d}", origin=Origin.OTHER,
                report_type=rng.choice(types), channel="web", received_on=received,
                unit=rng.choice(units), status=status, severity=rng.choice(["", "low", "medium", "high"]),
                description=f"Omschrijving van zaak {i}: vermoeden van belangenverstrengeling bij inkoop.",
                summary_description=f"Samenvatting {i}",
                closed_at=timezone.now() if status == "closed" else None,
            ))
        created = Case.objects.bulk_create(cases, batch_size=1000)
        # The coordinator is an active team member of 1% of the cases (content sight).
        now = timezone.now()
        TeamMember.objects.bulk_create([
            TeamMember(case=c, user=user, role="lead", added_by=user, added_at=now, declared_at=now)
            for c in created[::100]
        ])


def _analyze() -> None:
    """PostgreSQL: ``VACUUM ANALYZE``, as autovacuum does after bulk inserts. SQLite: nothing —
    an installation never gets statistics (Django does not run ``ANALYZE``), so neither does this."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")


def _record(call: Any) -> list[tuple[str, Any]]:
    """The SELECT statements ``call()`` runs, with their parameters (to replay them raw)."""
    from django.db import connection

    seen: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        call()
    return seen


def _raw(statements: list[tuple[str, Any]]) -> float:
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cur:
        for sql, params in statements:
            cur.execute(sql, params)
            cur.fetchall()
    return time.perf_counter() - t


def _plans(statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Query plans of the statements that read cases (EXPLAIN ANALYZE on PostgreSQL)."""
    from django.db import connection

    out = []
    with connection.cursor() as cur:
        for sql, params in statements:
            if "cases_case" not in sql:
                continue
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
            cur.execute(prefix + sql, params)
            rows = cur.fetchall()
            plan = [" ".join(str(c) for c in r[-1:]) for r in rows] if connection.vendor == "sqlite" else [
                r[0] for r in rows]
            out.append({"sql": sql[:300], "plan": [line[:300] for line in plan]})
    return out


def _selector_calls(world: dict[str, Any], search_ref: str) -> dict[str, Any]:
    from intact.cases import selectors
    from intact.core import start

    org, user = world["org"], world["user"]

    def api() -> None:
        qs = selectors.case_queryset_for(user=user, organisation=org)
        qs.count()
        list(qs[:50])

    return {
        "case_list": lambda: selectors.case_page_for(user=user, organisation=org),
        "start_page": lambda: start.sections_for(user, org),
        "search": lambda: selectors.case_page_for(user=user, organisation=org, query=search_ref),
        "api_case_list": api,
    }


def _floor(world: dict[str, Any], runs: int) -> dict[str, Any]:
    """The fixed cost of one staff request: the same user's case list in an organisation without cases."""
    from django.test import Client

    from intact.security.testing import force_login_verified

    client = Client()
    force_login_verified(client, world["user"])
    url = f"/app/{world['empty'].slug}/zaken/"
    client.get(url)
    web, cpu = [], []
    for _ in range(runs):
        c, t = time.process_time(), time.perf_counter()
        client.get(url)
        web.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {"web": web, "cpu": cpu, "url": url}


def _measure(world: dict[str, Any], runs: int, search_ref: str, explain: bool) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from intact.security import policy
    from intact.security.testing import force_login_verified

    org, user = world["org"], world["user"]
    client = Client()
    force_login_verified(client, user)
    policy.memberships(user)  # cached on the user, as within one request
    urls = {
        "case_list": f"/app/{org.slug}/zaken/",
        "start_page": f"/app/{org.slug}/",
        "search": f"/app/{org.slug}/zaken/?q={search_ref}",
        "api_case_list": f"/api/v1/organisations/{org.slug}/cases/",
    }
    calls = _selector_calls(world, search_ref)
    out: dict[str, Any] = {}
    for name, url in urls.items():
        accept = "application/json" if name.startswith("api") else "text/html"
        try:
            first = client.get(url, HTTP_ACCEPT=accept)  # warm-up: defaults created on first use
            if first.status_code != 200:
                out[name] = {"error": f"{url}: {first.status_code}", "url": url}
                continue
            statements = _record(calls[name])
            with CaptureQueriesContext(connection) as q:
                client.get(url, HTTP_ACCEPT=accept)
            queries = len(q.captured_queries)
            web, raw, cpu = [], [], []
            for _ in range(runs):
                raw.append(_raw(statements))
                c, t = time.process_time(), time.perf_counter()
                resp = client.get(url, HTTP_ACCEPT=accept)
                web.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                if resp.status_code != 200:
                    raise RuntimeError(f"HTTP {resp.status_code}")
        except Exception as exc:  # noqa: BLE001 - a broken page is reported, the others still measured
            out[name] = {"error": f"{url}: {type(exc).__name__}: {str(exc)[:120]}", "url": url}
            continue
        out[name] = {"web": web, "raw": raw, "cpu": cpu, "queries": queries, "raw_statements": len(statements),
                     "url": url}
        if explain:
            out[name]["plans"] = _plans(statements)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=20, help="samples per page and size (web and raw alternate)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--budget", type=float, default=900.0,
                        help="seconds per database for seeding and measuring; a size whose seeding would "
                        "exceed what is left (linear extrapolation) is skipped and says so")
    parser.add_argument("--no-explain", action="store_true", help="do not store the query plans")
    args = parser.parse_args()
    started = time.perf_counter()
    _setup()
    from django.db import connection

    world = _world()
    rng = random.Random(42)  # noqa: S311
    result: dict[str, Any] = {"vendor": connection.vendor, "runs": args.runs, "scales": {}}
    have = 0
    per_case: float | None = None
    scales = [int(s) for s in args.scales.split(",")]
    for scale in scales:
        left = args.budget - (time.perf_counter() - started)
        if per_case is not None and per_case * (scale - have) > left:
            result["scales"][str(scale)] = {
                "skipped": f"seeding would take about {per_case * (scale - have):.0f} s, "
                f"{max(0, left):.0f} s of the {args.budget:.0f} s budget left"}
            print(f"  {connection.vendor} {scale} cases: skipped ({result['scales'][str(scale)]['skipped']})",
                  flush=True)
            break
        t = time.perf_counter()
        _generate(world, have, scale, rng)
        _analyze()
        gen = time.perf_counter() - t
        per_case = gen / (scale - have)
        have = scale
        from intact.cases.models import Case

        ref = (Case.objects.filter(organisation=world["org"]).order_by("pk")
               .values_list("reference", flat=True)[scale // 2])
        t = time.perf_counter()
        m = _measure(world, args.runs, ref, explain=not args.no_explain)
        result["scales"][str(scale)] = {"generate_seconds": gen, "measure_seconds": time.perf_counter() - t,
                                        "endpoints": m, "floor": _floor(world, args.runs),
                                        "load": [round(x, 2) for x in os.getloadavg()]}
        print(f"  {connection.vendor} {scale} cases: generated in {gen:.1f}s; "
              + ", ".join(f"{k} {sorted(v['web'])[len(v['web']) // 2] * 1000:.0f} ms "
                          f"(raw {sorted(v['raw'])[len(v['raw']) // 2] * 1000:.0f} ms)/{v['queries']} q"
                          if "web" in v else f"{k} {v['error']}" for k, v in m.items()), flush=True)
        with open(args.out, "w") as fh:
            json.dump(result, fh)
    with open(args.out, "w") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    main()
