"""The half-year report marks overdue action points, and only those."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from intact.accountability import documents, selectors
from tests.policy.factories import ActionPointFactory

pytestmark = pytest.mark.django_db


def test_interim_report_marks_an_overdue_action_and_not_one_still_due(org, coordinator):
    today = dt.date.today()
    year = today.year
    ActionPointFactory(
        organisation=org,
        year=year,
        title="Vertrouwenspersoon bekendmaken",
        due_on=today - dt.timedelta(days=10),
        status="open",
    )
    ActionPointFactory(
        organisation=org,
        year=year,
        title="Dilemmaspel voor managers",
        due_on=today + dt.timedelta(days=30),
        status="in_progress",
    )
    ActionPointFactory(
        organisation=org,
        year=year,
        title="Gedragscode herzien",
        due_on=today - dt.timedelta(days=40),
        status="done",
    )
    rep = selectors.report_build(
        org, year, edition="internal", interim=True, period_end=dt.date(year, 6, 30)
    )
    assert rep.title.startswith("Halfjaarrapportage")
    flags = {a["title"]: a["overdue"] for a in rep.figures["figures"]["action_points"]}
    assert flags == {
        "Vertrouwenspersoon bekendmaken": True,
        "Dilemmaspel voor managers": False,
        "Gedragscode herzien": False,  # past its date, but done
    }
    html = documents.to_html(rep)
    items = re.findall(r"<li>(.*?)</li>", html)
    lines = {t: next(item for item in items if t in item) for t in flags}
    assert "te laat" in lines["Vertrouwenspersoon bekendmaken"]
    assert "te laat" not in lines["Dilemmaspel voor managers"]
    assert "te laat" not in lines["Gedragscode herzien"]
    out = json.loads(documents.render(rep, "json"))
    assert [a["overdue"] for a in out["figures"]["action_points"]].count(True) == 1
