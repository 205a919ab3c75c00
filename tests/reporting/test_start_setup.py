"""The coordinator reaches the reporting routes, terms and settings from the start page."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from intact.reporting.selectors import start_sections

pytestmark = pytest.mark.django_db


def test_coordinator_without_reports_gets_the_setup_links(org, make_user, login, client):
    coordinator = make_user(org, Role.COORDINATOR)
    [section] = start_sections(coordinator, org)
    assert section["template"] == "reporting/staff/start_setup.html"
    from django.template.loader import render_to_string

    page = render_to_string(section["template"], {"ctx": section["context"]})
    login(coordinator)
    for path in ("meldingen/procedures/", "meldingen/termijnen/", "meldingen/instellingen/"):
        assert f'href="/app/{org.slug}/{path}"' in page
        assert client.get(f"/app/{org.slug}/{path}").status_code == 200
    assert f'href="/app/{org.slug}/meldingen/"' not in page  # no reports: no link to an empty inbox


def test_other_roles_do_not_get_the_setup_links(org, make_user):
    for role in (Role.COUNSELLOR, Role.MANAGER, Role.EMPLOYEE, Role.AUDITOR):
        user = make_user(org, role)
        assert all(s["template"] != "reporting/staff/start_setup.html" for s in start_sections(user, org))
