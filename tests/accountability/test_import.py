"""Import of earlier years: the Zuid-Holland 2019 figures give the same tables; errors import nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from intact.accountability import importing, selectors
from intact.cases.models import Case

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "zuid-holland-2019.json"


def _data():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _table(rep, key):
    return next(t for t in rep.tables if t.key == key)


def test_zuid_holland_2019_report_gives_the_published_numbers(org, coordinator):
    result = importing.import_apply(actor=coordinator, organisation=org, data=_data())
    assert result.created["cases"] == 6 and result.created["conversations"] == 25
    rep = selectors.report_build(org, 2019, edition="internal")
    # Table 1: the investigated reports, from the reviewed public summaries.
    rows = _table(rep, "investigated_cases").rows
    assert len(rows) == 6
    assert [r[1] for r in rows] == [
        "Directeur",
        "Bureauhoofd",
        "Bureauhoofd",
        "Bureauhoofd",
        "Bureauhoofd en directeur",
        "Directeur",
    ]
    assert "draaideurconstructie" in rows[1][2]
    assert "Voorwaardelijk strafontslag" in rows[4][5]
    # Table 2: conversations with counsellors by topic.
    topics = {r[0]: r[1] for r in _table(rep, "conversations_by_topic").rows}
    assert topics["Integriteit"] == 2
    assert topics["Ongewenste omgangsvormen"] == 9
    assert topics["Discriminatie"] == 0
    assert topics["Arbeidsconflict"] == 5
    assert topics["Onveiligheid"] == 4
    assert topics["Advies algemeen"] == 5
    assert topics["Totaal"] == 25
    # Chapter 4: the year's activities.
    acts = {r[0]: (r[1], r[2]) for r in _table(rep, "activities").rows}
    assert acts["Dilemmaspel"] == (14, 233)
    assert acts["Overleg met de ondernemingsraad"][0] == 4
    assert acts["Bijeenkomst integriteitsnetwerk"][0] == 3
    assert acts["Artikel of communicatie"][0] == 2
    assert acts["Kennisbijeenkomst"][0] == 3
    regs = {r[0]: r[1] for r in _table(rep, "registers").rows}
    assert regs["Eed of belofte afgelegd"] == 190
    # No whistleblower reports and none to the complaints committee in 2019.
    assert rep.figures["figures"]["whistleblower_reports"] == 0
    assert rep.figures["figures"]["complaints_committee"] == 0
    # Year-on-year comparison carries the imported year.
    comp = {r[0]: r[1:] for r in _table(rep, "comparison").rows}
    assert comp["Zaken"][-1] == 6 and comp["Gesprekken vertrouwenspersonen"][-1] == 25
    # Every case has an outcome, so it was closed in 2019: none "still being handled".
    outcomes = {r[0]: r[1] for r in _table(rep, "cases_by_outcome").rows}
    assert "Nog in behandeling" not in outcomes
    assert outcomes == {
        "Gegrond": 4,
        "Ongegrond": 1,
        "Niet vast te stellen": 1,
        "Totaal": 6,
    }
    assert rep.figures["raw"]["cases"]["closed"] == 6
    assert result.created["cases_closed"] == 6


def test_imported_case_is_closed_on_its_day_and_an_open_one_stays_open(org, coordinator):
    data = {
        "format": "intact-history",
        "version": 1,
        "years": [
            {
                "year": 2021,
                "cases": [
                    {
                        "report_type": "business_integrity",
                        "received_on": "2021-03-01",
                        "decision": "investigate",
                        "conclusion": "founded",
                        "closed_on": "2021-05-20",
                    },
                    {
                        "report_type": "undesirable_behaviour",
                        "received_on": "2021-11-02",
                        "decision": "no_investigation",
                    },
                    {
                        "report_type": "business_integrity",
                        "received_on": "2021-12-01",
                        "decision": "investigate",
                    },
                    {
                        "report_type": "question",
                        "received_on": "2021-06-01",
                        "closed_on": "2021-06-03",
                    },
                ],
            }
        ],
    }
    result = importing.import_apply(actor=coordinator, organisation=org, data=data)
    assert result.created == {
        "cases": 4,
        "cases_closed": 3,
        "conversations": 0,
        "activities": 0,
        "register_totals": 0,
    }
    cases = list(Case.objects.filter(organisation=org).order_by("received_on"))
    closed = {c.received_on.isoformat(): c.closed_at for c in cases}
    assert closed["2021-03-01"].date().isoformat() == "2021-05-20"
    assert closed["2021-11-02"].date().isoformat() == "2021-12-31"
    assert closed["2021-06-01"].date().isoformat() == "2021-06-03"
    assert closed["2021-12-01"] is None
    assert all(c.status == "closed" for c in cases if c.closed_at)
    assert all(c.retention_due for c in cases if c.closed_at)
    rep = selectors.report_build(org, 2021, edition="internal")
    outcomes = {r[0]: r[1] for r in _table(rep, "cases_by_outcome").rows}
    assert outcomes["Nog in behandeling"] == 1
    assert outcomes["Gegrond"] == 1
    assert outcomes["Geen onderzoek"] == 2
    assert rep.figures["raw"]["cases"]["closed"] == 3


def test_closing_day_before_receipt_is_named(org, coordinator):
    data = _data()
    data["years"][0]["cases"][1]["received_on"] = "2019-04-01"
    data["years"][0]["cases"][1]["closed_on"] = "2019-03-01"
    result = importing.import_validate(organisation=org, data=data)
    assert [str(i) for i in result.errors] == [
        "years[0].cases[1].closed_on: date is before the case was received"
    ]


def test_an_error_names_record_and_field_and_imports_nothing(org, coordinator):
    data = _data()
    data["years"][0]["cases"][3]["measures"] = ["no_such_measure"]
    data["years"][0]["counsellor_conversations"][1]["count"] = -1
    with pytest.raises(importing.ImportFailed) as exc:
        importing.import_apply(actor=coordinator, organisation=org, data=data)
    messages = [str(i) for i in exc.value.result.errors]
    assert any(m.startswith("years[0].counsellor_conversations[1].count") for m in messages), (
        messages
    )
    assert Case.objects.filter(organisation=org).count() == 0


def test_reference_errors_are_named(org, coordinator):
    data = _data()
    data["years"][0]["cases"][2]["categories"] = ["nonsense"]
    result = importing.import_validate(organisation=org, data=data)
    assert [str(i) for i in result.errors] == [
        "years[0].cases[2].categories: unknown category 'nonsense'"
    ]


def test_missing_field_is_named(org, coordinator):
    data = copy.deepcopy(_data())
    del data["years"][0]["cases"][0]["report_type"]
    result = importing.import_validate(organisation=org, data=data)
    assert any(i.record == "years[0].cases[0]" and i.field == "report_type" for i in result.errors)


def test_command_imports_and_refuses_bad_files(org, coordinator, tmp_path):
    bad = tmp_path / "bad.json"
    data = _data()
    data["years"][0]["activities"][0]["type"] = "party"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError):
        call_command("import", "--org", org.slug, str(bad))
    assert Case.objects.filter(organisation=org).count() == 0
    call_command("import", "--org", org.slug, str(FIXTURE))
    assert Case.objects.filter(organisation=org).count() == 6


def test_schema_copy_in_docs_is_the_same():
    docs = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "import.schema.json"
    assert json.loads(docs.read_text()) == importing.schema()


def test_imported_closed_cases_survive_the_retention_run(org, coordinator):
    """Closed in 2019, their retention term has passed: anonymised, and the report is unchanged."""
    from intact.cases import retention

    importing.import_apply(actor=coordinator, organisation=org, data=_data())
    before = selectors.report_build(org, 2019, edition="public")
    retention.retention_run()
    assert Case.objects.filter(organisation=org, anonymised_at__isnull=False).count() == 6
    after = selectors.report_build(org, 2019, edition="public")
    for key in ("investigated_cases", "cases_by_outcome", "cases_by_type", "cases_by_measure"):
        assert _table(after, key).rows == _table(before, key).rows, key
