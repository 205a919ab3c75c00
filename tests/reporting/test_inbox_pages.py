"""The staff inbox a page at a time: order, page links, constant queries, and the access rules kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intact.organisations.models import Role
from intact.reporting import selectors_staff
from intact.reporting.models import Report
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


def _reports(org, n, *, implicated=None):
    """``n`` reports, received one day apart (the last made is the newest)."""
    made = []
    base = timezone.now() - dt.timedelta(days=n + 1)
    for i in range(n):
        report, _receipt = make_report(org, implicated=implicated or [])
        Report.objects.filter(pk=report.pk).update(received_at=base + dt.timedelta(days=i))
        made.append(report)
    return made


@pytest.fixture
def handler(org, make_user):
    return make_user(org, Role.COMPETENT_AUTHORITY)


def _refs(rows):
    return [row["report"].reference for row in rows]


def test_pages_hold_all_reports_newest_first(org, handler):
    reports = _reports(org, 5)
    newest_first = [r.reference for r in reversed(reports)]
    first = selectors_staff.inbox_page_for(user=handler, organisation=org, page=1, per_page=3)
    second = selectors_staff.inbox_page_for(user=handler, organisation=org, page="2", per_page=3)
    assert _refs(first.rows) == newest_first[:3]
    assert _refs(second.rows) == newest_first[3:]
    assert first.count == second.count == 5
    assert (first.num_pages, first.has_next, second.has_next, second.has_previous) == (
        2,
        True,
        False,
        True,
    )
    # Out of range or not a number: the nearest page.
    assert (
        selectors_staff.inbox_page_for(user=handler, organisation=org, page=99, per_page=3).number
        == 2
    )
    assert (
        selectors_staff.inbox_page_for(user=handler, organisation=org, page="x", per_page=3).number
        == 1
    )
    # Every row has its next open term (the report's own, from the routing).
    assert all(
        row["next_term"] and row["next_term"].report_id == row["report"].pk for row in first.rows
    )


def test_rows_read_no_encrypted_column(org, handler):
    _reports(org, 1)
    with CaptureQueriesContext(connection) as ctx:
        page = selectors_staff.inbox_page_for(user=handler, organisation=org)
    select = next(q["sql"] for q in ctx.captured_queries if 'FROM "reporting_report"' in q["sql"])
    for column in ("answers", "close_reason", "notify_email"):
        assert f'"reporting_report"."{column}"' not in select
    assert page.rows[0]["report"].get_deferred_fields() >= {
        "answers",
        "close_reason",
        "notify_email",
    }


def test_inbox_page_links_and_count(org, handler, login, client):
    reports = _reports(org, selectors_staff.INBOX_PAGE_SIZE + 2)
    login(handler)
    url = f"/app/{org.slug}/meldingen/"
    first = client.get(url).content.decode()
    assert f"{len(reports)} meldingen voor u" in first
    assert 'aria-label="Paginering van de meldingen"' in first
    assert 'aria-current="page" href="?page=1"' in first
    assert 'rel="next" href="?page=2"' in first
    assert reports[-1].reference in first and reports[0].reference not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert reports[0].reference in second and reports[1].reference in second
    assert reports[-1].reference not in second
    assert 'rel="prev" href="?page=1"' in second


def test_api_list_is_paginated(org, handler, login, client):
    reports = _reports(org, 3)
    login(handler)
    url = f"/api/v1/organisations/{org.slug}/reports/"
    body = client.get(url, {"page_size": 2}).json()
    assert body["count"] == 3 and body["next"] and body["previous"] is None
    assert [r["reference"] for r in body["results"]] == [reports[2].reference, reports[1].reference]
    rest = client.get(url, {"page_size": 2, "page": 2}).json()
    assert [r["reference"] for r in rest["results"]] == [reports[0].reference]
    assert rest["results"][0]["next_term_due"]


def test_query_count_does_not_grow_with_the_reports(
    org, handler, login, client, django_assert_max_num_queries
):
    _reports(org, 2)
    login(handler)
    urls = (f"/app/{org.slug}/meldingen/", f"/api/v1/organisations/{org.slug}/reports/")
    small = {}
    for url in urls:
        client.get(url)  # warm (session, caches)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        small[url] = len(ctx.captured_queries)
    _reports(org, 15)  # six times as many reports, each with its own open terms and access
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200


def test_implicated_user_sees_nothing(org, handler, make_user, login, client):
    implicated = make_user(org, Role.COMPETENT_AUTHORITY)
    person = implicated.people.get(organisation=org)
    named, _ = make_report(org, implicated=[person])
    other = _reports(org, 1)[0]
    page = selectors_staff.inbox_page_for(user=implicated, organisation=org)
    assert named.reference not in _refs(page.rows)
    assert other.reference in _refs(page.rows)
    assert page.count == 1
    # The handler not named sees both.
    assert {named.reference, other.reference} <= set(
        _refs(selectors_staff.inbox_page_for(user=handler, organisation=org).rows)
    )
    login(implicated)
    assert named.reference not in client.get(f"/app/{org.slug}/meldingen/").content.decode()
    api = client.get(f"/api/v1/organisations/{org.slug}/reports/").json()
    assert [r["reference"] for r in api["results"]] == [other.reference]
