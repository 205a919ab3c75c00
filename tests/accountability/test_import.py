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
