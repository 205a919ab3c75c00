"""The case list, search, API list and start page at scale: one page in SQL, a fixed number of queries.

Cases are made in bulk through the model (``pre_save`` still encrypts), not
through the services: what matters here is how the reads grow with the data.
The need-to-know rules themselves are tested in ``test_access.py``; here the
same rules are checked on the paginated list and its count.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intact.cases import selectors, services
from intact.cases.models import Case, Party, PartyRole, TeamMember
from intact.organisations.models import Role
from intact.reporting import services as reporting_services
from intact.security import crypto
from tests.cases.factories import open_case

pytestmark = pytest.mark.django_db

def _bulk(org, n, *, team=None, every=10, day0=dt.date(2026, 1, 1)):
    """``n`` cases received on consecutive days; ``team`` is an active member of every ``every``-th."""
    start = Case.objects.filter(organisation=org).count()
    cases = Case.objects.bulk_create(
        [
            Case(
                organisation=org,
                reference=f"Z-2026-{start + i:05d}",
                report_type="wrongdoing",
                received_on=day0 + dt.timedelta(days=start + i),
                status="opened",
                severity=["", "low", "high"][i % 3],
                description=f"Vertrouwelijke omschrijving {start + i}",
                summary_description=f"Samenvatting {start + i}",
            )
            for i in range(n)
        ]
    )
    if team is not None:
        now = timezone.now()
        TeamMember.objects.bulk_create(
            [
                TeamMember(case=c, user=team, added_at=now, declared_at=now)
                for c in cases[::every]
            ]
        )
    return cases


def _list(org):
    return reverse("cases:list", kwargs={"org": org.slug})


def _refs(html):
    """References in the page, in order, each once."""
    return list(dict.fromkeys(re.findall(r"Z-2026-\d{5}", html)))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as q:
        response = client.get(url)
    assert response.status_code == 200
    return len(q.captured_queries)


@pytest.fixture
def coord(org, make_user):
    return make_user(org, Role.COORDINATOR, username="coord-scale")


def test_the_list_shows_one_page_newest_first_with_count_and_navigation(org, coord, login):
    _bulk(org, 120, team=coord)
    c = login(coord)
    first = c.get(_list(org)).content.decode()
    assert "120 zaken" in first
    rows = _refs(first)
    assert len(set(rows)) == selectors.PAGE_SIZE
    assert rows[0] == "Z-2026-00119"  # newest first
    assert 'aria-label="Paginering van de zaken"' in first
    assert 'aria-current="page"' in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert "Zaak 1 tot en met 50 van 120 (pagina 1 van 3)." in first
    last = c.get(_list(org) + "?page=3").content.decode()
    assert len(set(_refs(last))) == 20 and "Z-2026-00000" in last
    assert 'rel="prev"' in last and 'rel="next"' not in last
    # Out of range or not a number: the nearest page, never an error.
    assert "Z-2026-00000" in c.get(_list(org) + "?page=99").content.decode()
    assert "Z-2026-00119" in c.get(_list(org) + "?page=x").content.decode()


def test_page_links_keep_the_filters(org, coord, login):
    _bulk(org, 160, team=coord)
    html = login(coord).get(_list(org) + "?severity=low").content.decode()
    assert "53 zaken" in html  # every third case is 'low'
    assert "?severity=low&amp;page=2" in html


def test_english_pagination(org, coord, login):
    _bulk(org, 60, team=coord)
    c = login(coord)
    coord.preferred_language = "en"
    coord.save()
    html = c.get(_list(org), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Next page" in html and "Page 2" in html


def test_api_list_is_paginated_in_sql(org, coord, login):
    _bulk(org, 70, team=coord, every=7)
    c = login(coord)
    url = f"/api/v1/organisations/{org.slug}/cases/"
    body = c.get(url).json()
    assert body["count"] == 70 and len(body["results"]) == 50 and body["next"]
    assert body["results"][0]["reference"] == "Z-2026-00069"
    second = c.get(url + "?page=2&page_size=30").json()
    assert [r["reference"] for r in second["results"]][0] == "Z-2026-00039"
    levels = {r["reference"]: r["access"] for r in c.get(url + "?page_size=70").json()["results"]}
    assert levels["Z-2026-00000"] == "content" and levels["Z-2026-00001"] == "meta"
    assert list(levels.values()).count("content") == 10


def test_the_list_decrypts_nothing(org, coord, login, monkeypatch):
    """Rows show metadata only: no encrypted column is read for the list (nor for the count)."""
    _bulk(org, 30, team=coord, every=3)
    c = login(coord)
    c.get(_list(org))  # warm-up: categories created, keys loaded
    calls = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda blob: calls.append(1) or real(blob))
    assert c.get(_list(org)).status_code == 200
    assert c.get(f"/api/v1/organisations/{org.slug}/cases/").status_code == 200
    assert calls == []


def test_search_decrypts_only_the_cases_the_user_may_read(org, coord, login, monkeypatch):
    cases = _bulk(org, 40, team=coord, every=10)  # content sight of 4 cases
    Party.objects.create(case=cases[10], role=PartyRole.WITNESS, name="Wilhelmina Getuige")
    Party.objects.create(case=cases[11], role=PartyRole.WITNESS, name="Wilhelmina Anders")
    c = login(coord)
    c.get(_list(org))
    calls = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda blob: calls.append(1) or real(blob))
    html = c.get(_list(org) + "?q=WILHELMINA").content.decode()
    assert _refs(html) == [cases[10].reference]  # case 11 is meta only: its party is not searched
    # Two summary columns of 4 cases and the one party's name; the other 36 cases are not touched.
    assert len(calls) <= 4 * 2 + 1
    by_ref = c.get(_list(org) + "?q=z-2026-0003").content.decode()
    assert sorted(set(_refs(by_ref))) == [f"Z-2026-{i:05d}" for i in range(30, 40)]


def test_implicated_cases_are_left_out_of_the_list_and_its_count(
    org, coordinator, make_user, login
):
    colleague = make_user(org, Role.COORDINATOR, username="coord-implicated")
    named, _ = open_case(org, coordinator)
    accused, _ = open_case(org, coordinator)
    free, _ = open_case(org, coordinator)
    reporting_services.implicated_add(
        report=named.report, user=coordinator, person=colleague.people.get()
    )
    services.party_add(
        case=accused, user=coordinator, role="accused", person=colleague.people.get()
    )
    c = login(colleague)
    html = c.get(_list(org)).content.decode()
    assert free.reference in html
    assert named.reference not in html and accused.reference not in html
    assert "1 zaak" in html
    body = c.get(f"/api/v1/organisations/{org.slug}/cases/").json()
    assert [r["reference"] for r in body["results"]] == [free.reference]
    assert body["count"] == 1
    start = c.get(reverse("core:org_start", kwargs={"org": org.slug})).content.decode()
    assert "1 open zaak" in start


def test_unit_scoped_coordinator_sees_only_the_unit_in_list_and_count(
    org, make_user, login
):
    from tests.organisations.factories import UnitFactory

    unit = UnitFactory(organisation=org, name="Afdeling Noord")
    scoped = make_user(org, Role.COORDINATOR, unit=unit, username="coord-unit")
    cases = _bulk(org, 12)
    Case.objects.filter(pk__in=[x.pk for x in cases[:5]]).update(unit=unit)
    c = login(scoped)
    html = c.get(_list(org)).content.decode()
    assert "5 zaken" in html
    assert sorted(set(_refs(html))) == sorted(x.reference for x in cases[:5])
    assert c.get(f"/api/v1/organisations/{org.slug}/cases/").json()["count"] == 5


@pytest.mark.parametrize(
    "path",
    ["", "?page=2", "?q=z-2026-00", "?q=Z-2026-000", "?severity=high&overdue=on"],
)
def test_case_list_queries_do_not_grow_with_the_cases(org, coord, login, path):
    c = login(coord)
    _bulk(org, 120, team=coord)  # two full pages: the count is a query of its own
    c.get(_list(org) + path)  # warm-up: defaults created on first use
    small = _count_queries(c, _list(org) + path)
    _bulk(org, 240, team=coord)
    assert _count_queries(c, _list(org) + path) <= small
    assert small <= 22  # a fixed number: session, roles, form choices, the page, its count, ...


def test_api_list_queries_do_not_grow_with_the_cases(
    org, coord, login, django_assert_max_num_queries
):
    c = login(coord)
    url = f"/api/v1/organisations/{org.slug}/cases/?q=z-2026"
    _bulk(org, 60, team=coord)
    c.get(url)
    small = _count_queries(c, url)
    _bulk(org, 240, team=coord)
    with django_assert_max_num_queries(small):
        assert len(c.get(url).json()["results"]) == 50


def test_start_page_counts_in_sql(org, coord, login, django_assert_max_num_queries):
    c = login(coord)
    url = reverse("core:org_start", kwargs={"org": org.slug})
    _bulk(org, 30, team=coord)
    c.get(url)
    small = _count_queries(c, url)
    _bulk(org, 270, team=coord)
    with django_assert_max_num_queries(small):
        html = c.get(url).content.decode()
    assert "300 open zaken" in html
    # By severity: a third each of untriaged, low and high.
    assert "Laag: 100" in html and "Hoog: 100" in html and "Nog niet getrieerd: 100" in html
    assert "Triage: 300" in html


def test_start_page_counts_only_open_visible_cases(org, coordinator, make_user, login):
    case, _ = open_case(org, coordinator)
    other, _ = open_case(org, coordinator)
    Case.objects.filter(pk=other.pk).update(closed_at=timezone.now(), status="closed")
    investigator = make_user(org, Role.INVESTIGATOR, username="inv-start")
    url = reverse("core:org_start", kwargs={"org": org.slug})
    assert "1 open zaak" in login(coordinator).get(url).content.decode()
    # An investigator in no team sees no case, so no cases section at all.
    assert "open za" not in login(investigator).get(url).content.decode()
    services.team_invite(case=case, user=coordinator, member=investigator)
    assert "1 open zaak" in login(investigator).get(url).content.decode()


def test_many_team_cases_and_implications_use_subqueries_with_the_same_result(
    org, coordinator, make_user, login, monkeypatch
):
    """Above ``LITERAL_IDS_MAX`` ids the subquery itself is used: same rows, same counts."""
    from intact.cases import access

    colleague = make_user(org, Role.COORDINATOR, username="coord-many")
    named, _ = open_case(org, coordinator)
    accused, _ = open_case(org, coordinator)
    reporting_services.implicated_add(
        report=named.report, user=coordinator, person=colleague.people.get()
    )
    services.party_add(
        case=accused, user=coordinator, role="accused", person=colleague.people.get()
    )
    cases = _bulk(org, 6, team=colleague, every=2)  # content sight of 3
    Party.objects.create(case=cases[2], role=PartyRole.WITNESS, name="Wilhelmina Getuige")
    c = login(colleague)

    def seen():
        html = c.get(_list(org) + "?q=wilhelmina").content.decode()
        body = c.get(f"/api/v1/organisations/{org.slug}/cases/").json()
        start = c.get(reverse("core:org_start", kwargs={"org": org.slug})).content.decode()
        return _refs(html), body["count"], sorted(r["access"] for r in body["results"]), (
            "6 open zaken" in start
        )

    literal = seen()
    monkeypatch.setattr(access, "LITERAL_IDS_MAX", 0)
    assert seen() == literal == ([cases[2].reference], 6, ["content"] * 3 + ["meta"] * 3, True)
