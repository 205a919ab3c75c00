"""Security headers on every page, and CSRF on staff and public forms (issue 8, point 5).

The header crawl walks every URL pattern the project has (the same
enumeration as tests/core/test_url_enumeration.py, with real objects of the
demo province) as a user holding every role of the organisation and as an
anonymous visitor, with Django's test client (no browser; the browser crawl
with the network log is tests/e2e/test_platform_crawl.py).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from intact.core.access import ALL_ROLES
from tests.core.test_url_enumeration import _entries_with_schema, variants, world  # noqa: F401 - fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _header_problems(url: str, response) -> list[str]:
    problems = []
    if response.status_code >= 500:
        return [f"{url}: {response.status_code}"]
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        problems.append(f"{url}: no Content-Security-Policy")
    else:
        if "unsafe-inline" in csp or "unsafe-eval" in csp:
            problems.append(f"{url}: CSP allows unsafe code: {csp}")
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
        )
        for name in ("default-src", "script-src", "style-src"):
            if "'self'" not in directives.get(name, "") or re.search(r"https?:|\*", directives.get(name, "")):
                problems.append(f"{url}: CSP {name} is not strictly 'self': {directives.get(name)!r}")
        if directives.get("frame-ancestors", "").strip() != "'none'" and response.get("X-Frame-Options") != "DENY":
            problems.append(f"{url}: page can be framed")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: no X-Content-Type-Options: nosniff")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"{url}: X-Frame-Options is {response.get('X-Frame-Options')!r}")
    if not response.get("Referrer-Policy"):
        problems.append(f"{url}: no Referrer-Policy")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{url}: Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    return problems


def test_security_headers_on_every_page_for_staff_and_anonymous(world):  # noqa: F811
    staff = world.user_with(world.a, ALL_ROLES, "headers")
    anonymous = Client(raise_request_exception=False)
    staff.raise_request_exception = False  # a 500 is reported with its URL, not raised
    problems: list[str] = []
    checked = 0
    for entry in _entries_with_schema():
        if entry.regex_only or (entry.methods and "get" not in {m.lower() for m in entry.methods}):
            continue
        if entry.route.startswith(("static/", "media/")):
            continue
        urls = [real for real, _missing, _unknown in variants(entry, world.a, world.owned)]
        for url in urls[:1]:
            for client in (staff, anonymous):
                response = client.get(url)
                checked += 1
                problems.extend(_header_problems(url, response))
    assert checked > 100
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:80])


def test_csrf_is_required_on_staff_and_public_forms(world):  # noqa: F811
    from intact.organisations.models import IntegrityOrgan, Membership, Person, Unit
    from intact.reporting.models import Report
    from intact.security.testing import force_login_verified
    from tests.organisations.factories import UserFactory

    user = UserFactory(username="csrf-coordinator")
    Person.objects.create(organisation=world.a, user=user, first_name="C", last_name="S",
                          contract_type="employee", start_date="2024-01-01")
    for role in sorted(ALL_ROLES):
        Membership.objects.create(user=user, organisation=world.a, role=role)
    staff = Client(enforce_csrf_checks=True)
    force_login_verified(staff, user)
    slug = world.a.slug
    units, organs, reports = Unit.objects.count(), IntegrityOrgan.objects.count(), Report.objects.count()
    # Staff forms.
    for url, data in [
        (reverse("organisations:unit_create", kwargs={"org": slug}), {"name": "CSRF-eenheid"}),
        (reverse("organisations:organ_create", kwargs={"org": slug}), {"name": "CSRF-orgaan", "kind": "counsellor"}),
    ]:
        assert staff.get(url).status_code == 200, url  # the form exists and the user may use it
        response = staff.post(url, data)
        assert response.status_code == 403, (url, response.status_code)
    # Public forms (no login at all).
    public = Client(enforce_csrf_checks=True)
    for url, data in [
        (f"/o/{slug}/melden/", {"report_type": "wrongdoing", "anonymity": "anonymous", "what": "x"}),
        (f"/o/{slug}/postbus/", {"receipt": "ABCD-EFGH-JKLM-NPQR-STUV"}),
        (reverse("security:login"), {"username": "x", "password": "y"}),
    ]:
        response = public.post(url, data)
        assert response.status_code == 403, (url, response.status_code)
    # And through the API with session authentication (token auth is not a browser credential).
    response = staff.post(f"/api/v1/organisations/{slug}/units/", {"name": "API-eenheid"},
                          content_type="application/json")
    assert response.status_code in {403, 404, 405}, response.status_code
    assert (Unit.objects.count(), IntegrityOrgan.objects.count(), Report.objects.count()) == (units, organs, reports)
