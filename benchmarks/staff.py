"""Staff pages and API at 1x, 10x and 100x cases, each against the raw SQL of the same query.

Run in its own process (``python -m benchmarks.staff --out FILE --scales 1000,10000,100000``)
with the installation's environment (a fresh database: SQLite file or a new
PostgreSQL database). Cases are generated through the model in batches with
``bulk_create`` (``pre_save`` encrypts the confidential fields for real: the
description and the public summary of every case). The user is a central
integrity coordinator (sees every case's metadata) who is an active team
member of 1% of the cases (sees their content), through Django's test client
with the second factor satisfied: the whole Django stack except the socket.

Baseline ("raw SQL"): the SQL that the selector's querysets produce
(``access.candidates`` with the same filter), executed with a cursor and
fetched in full: no model instances, no decryption, no per-row checks, no
template. Pages: the case list, the start page, a search by reference, and
the API's case list (first page). Each figure is the median of several runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from typing import Any

BATCH = 2000


def _setup() -> Any:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("migrate", "--noinput", verbosity=0)


def _world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from intact.organisations.models import Membership, Organisation, Role, Unit

    org = Organisation.objects.create(slug="bench", name="Benchmark Provincie", kind="government", sector="provincie")
    central = Unit.objects.create(organisation=org, name="Centraal", is_central=True)
    units = [central] + [Unit.objects.create(organisation=org, name=f"Afdeling {i}", parent=central) for i in range(9)]
    user = get_user_model().objects.create(username="coordinator", first_name="Co", last_name="Ordinator")
    Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
    return {"org": org, "units": units, "user": user}


def _generate(world: dict[str, Any], start: int, stop: int, rng: random.Random) -> None:
    from django.utils import timezone

    from intact.cases.models import Case, Origin, TeamMember

    org, units, user = world["org"], world["units"], world["user"]
    types = ["wrongdoing", "business_integrity", "undesirable_behaviour"]
    statuses = ["opened", "opened", "opened", "closed"]
    today = dt.date.today()
    for lo in range(start, stop, BATCH):
        hi = min(stop, lo + BATCH)
        cases = []
        for i in range(lo, hi):
            received = today - dt.timedelta(days=rng.randrange(0, 3 * 365))
            cases.append(Case(
                organisation=org, reference=f"Z-{received.year}-{i:06d}", origin=Origin.OTHER,
                report_type=rng.choice(types), channel="web", received_on=received,
                unit=rng.choice(units), status=rng.choice(statuses), severity=rng.choice(["", "low", "medium", "high"]),
                description=f"Omschrijving van zaak {i}: vermoeden van belangenverstrengeling bij inkoop.",
                summary_description=f"Samenvatting {i}",
                closed_at=timezone.now() if rng.random() < 0.25 else None,
            ))
        Case.objects.bulk_create(cases, batch_size=500)
        # The coordinator is an active team member of 1% of the cases (content sight).
        created = list(Case.objects.filter(organisation=org, reference__in=[c.reference for c in cases[::100]]))
        now = timezone.now()
        TeamMember.objects.bulk_create([
            TeamMember(case=c, user=user, role="lead", added_by=user, added_at=now, declared_at=now)
            for c in created
        ])


def _raw(querysets: list[Any]) -> float:
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cur:
        for qs in querysets:
            sql, params = qs.query.sql_with_params()
            cur.execute(sql, params)
            cur.fetchall()
    return time.perf_counter() - t


def _measure(world: dict[str, Any], runs: int, search_ref: str, only: set[str] | None = None) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from intact.cases import access
    from intact.security.testing import force_login_verified

    org, user = world["org"], world["user"]
    client = Client()
    force_login_verified(client, user)
    content, meta = access.candidates(user, org)
    endpoints = {
        "case_list": (f"/app/{org.slug}/zaken/", lambda: [content, meta]),
        "start_page": (f"/app/{org.slug}/", lambda: [content.filter(closed_at__isnull=True),
                                                       meta.filter(closed_at__isnull=True)]),
        "search": (f"/app/{org.slug}/zaken/?q={search_ref}",
                   lambda: [content, meta.filter(reference__icontains=search_ref)]),
        "api_case_list": (f"/api/v1/organisations/{org.slug}/cases/", lambda: [content, meta]),
    }
    out: dict[str, Any] = {}
    for name, (url, raw_qs) in endpoints.items():
        if only and name not in only:
            continue
        web, raw, queries = [], [], 0
        for r in range(runs):  # noqa: B007
            raw.append(_raw(raw_qs()))
            reset_queries()
            try:
                with CaptureQueriesContext(connection) as q:
                    t = time.perf_counter()
                    resp = client.get(url, HTTP_ACCEPT="text/html" if not name.startswith("api") else "application/json")
                    web.append(time.perf_counter() - t)
                status = resp.status_code
            except Exception as exc:  # noqa: BLE001 - a broken page is reported, the others still measured
                status = f"{type(exc).__name__}: {str(exc)[:120]}"
            if status != 200:
                out[name] = {"error": f"{url}: {status}", "url": url}
                break
            queries = len(q.captured_queries)  # Django's log holds at most 9,000
        else:
            out[name] = {"web": web, "raw": raw, "queries": queries, "url": url}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", required=True)
    parser.add_argument("--budget", type=float, default=480.0,
                        help="seconds of measuring per database; a size that would exceed it "
                        "(linear extrapolation from the previous size) is skipped and says so")
    args = parser.parse_args()
    started = time.perf_counter()
    _setup()
    from django.db import connection

    world = _world()
    rng = random.Random(42)  # noqa: S311
    result: dict[str, Any] = {"vendor": connection.vendor, "scales": {}}
    have = 0
    previous: tuple[int, float] | None = None
    for scale in [int(s) for s in args.scales.split(",")]:
        if previous is not None:
            big = scale > 10000
            estimate = previous[1] * scale / previous[0] * (0.5 if big else 1.0)
            left = args.budget - (time.perf_counter() - started)
            if estimate > left:
                result["scales"][str(scale)] = {"skipped": f"would take about {estimate:.0f} s "
                                                f"(linear from {previous[0]:,} cases), {max(0, left):.0f} s of the "
                                                f"{args.budget:.0f} s budget left"}
                print(f"  {connection.vendor} {scale} cases: skipped ({result['scales'][str(scale)]['skipped']})",
                      flush=True)
                with open(args.out, "w") as fh:
                    json.dump(result, fh)
                break
        t = time.perf_counter()
        _generate(world, have, scale, rng)
        gen = time.perf_counter() - t
        have = scale
        from intact.cases.models import Case

        ref = Case.objects.filter(organisation=world["org"]).order_by("pk").values_list("reference", flat=True)[scale // 2]
        # Bounded: above 10,000 cases the pages are linear in the number of cases (N+1, see
        # docs/benchmarks.md), one request takes minutes; measure the list and the search once.
        big = scale > 10000
        runs = 1 if big else args.runs
        t = time.perf_counter()
        m = _measure(world, runs, ref, {"case_list", "search"} if big else None)
        result["scales"][str(scale)] = {"generate_seconds": gen, "measure_seconds": time.perf_counter() - t,
                                        "endpoints": m}
        previous = (scale, time.perf_counter() - t)
        print(f"  {connection.vendor} {scale} cases: generated in {gen:.1f}s; "
              + ", ".join(f"{k} {min(v['web']) * 1000:.0f} ms/{v['queries']} q" if "web" in v else f"{k} {v['error']}"
                         for k, v in m.items()), flush=True)
        with open(args.out, "w") as fh:
            json.dump(result, fh)


if __name__ == "__main__":
    main()
