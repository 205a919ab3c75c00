"""Chapter "Integriteitsplan en normen": plan targets and the norm self-assessment, from data made here."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from intact.accountability import documents, selectors, services
from intact.learning import services as learning_services
from intact.learning.models import ConversationTopic
from intact.policy import selectors as policy_selectors
from intact.policy.models import (
    Assessment,
    Framework,
    ProgressEntry,
    Requirement,
    RequirementAssessment,
)
from tests.organisations.factories import UnitFactory
from tests.policy.factories import ActionPointFactory, AnnualPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1
UNIT = "Afdeling Vergunningen"


@pytest.fixture
def plan_data(org, coordinator):
    """Last year's central plan (2 measures) and a unit's work plan (1 measure); a self-assessment."""
    central = AnnualPlanFactory(organisation=org, year=YEAR, title=f"Jaarplan {YEAR}")
    sessions = MeasureFactory(annual_plan=central, title="Dilemmasessies", order=1)
    ProgressEntry.objects.create(measure=sessions, on=dt.date(YEAR, 11, 1), value=Decimal("12"))
    MeasureFactory(
        annual_plan=central,
        title="Gesprekken vertrouwenspersonen",
        target_value=Decimal("10"),
        target_unit="gesprekken",
        indicator="counsellor:conversations",
        order=2,
    )
    learning_services.organisation_defaults_ensure(organisation=org)
    topic = ConversationTopic.objects.filter(organisation=org, code="integrity").get()
    for _n in range(3):
        learning_services.conversation_create(
            actor=coordinator,
            organisation=org,
            date=dt.date(YEAR, 4, 1),
            topic=topic,
            contact_form="in_person",
            follow_up="advice",
            imported=True,
        )
    unit = UnitFactory(organisation=org, name=UNIT)
    work = AnnualPlanFactory(
        organisation=org, year=YEAR, unit=unit, parent=central, title="Werkplan Vergunningen"
    )
    risk = MeasureFactory(
        annual_plan=work,
        title="Risicoanalyse kwetsbare functies",
        target_value=Decimal("1"),
        target_unit="analyse",
    )
    ProgressEntry.objects.create(measure=risk, on=dt.date(YEAR, 6, 1), value=Decimal("0.5"))

    framework = Framework.objects.create(
        organisation=org, code="eigen", version="1", name="Eigen normen"
    )
    reqs = [
        Requirement.objects.create(framework=framework, ref_id=str(i), name=f"Norm {i}", order=i)
        for i in range(1, 6)
    ]
    assessment = Assessment.objects.create(
        organisation=org,
        framework=framework,
        name=f"Zelfevaluatie {YEAR}",
        status="done",
        started_on=dt.date(YEAR, 2, 1),
    )
    judged = timezone.make_aware(dt.datetime(YEAR, 9, 15, 10, 0))
    for req, status in zip(
        reqs, ["met", "met", "partly", "not_met", "not_applicable"], strict=True
    ):
        RequirementAssessment.objects.create(
            assessment=assessment, requirement=req, status=status, assessed_at=judged
        )
    return org


def _table(rep, key):
    return next(t for t in rep.tables if t.key == key)


def test_selectors_give_targets_and_scores(plan_data):
    targets = policy_selectors.targets_for_report(plan_data, YEAR)
    json.dumps(targets)  # plain JSON values only
    assert targets["judged_on"] == f"{YEAR}-12-31"
    assert [p["unit"] for p in targets["plans"]] == [None, UNIT]
    central = targets["plans"][0]["measures"]
    assert [
        (m["title"], m["target"], m["realised"], m["status"], m["source"]) for m in central
    ] == [
        ("Dilemmasessies", 12, 12, "done", "manual"),
        ("Gesprekken vertrouwenspersonen", 10, 3, "behind", "computed"),
    ]
    # A half-year report judges on the end of its period: the unit's measure is on track then.
    half = policy_selectors.targets_for_report(plan_data, YEAR, on=dt.date(YEAR, 6, 30))
    assert half["judged_on"] == f"{YEAR}-06-30"
    assert [m["status"] for p in half["plans"] for m in p["measures"]] == [
        "done",
        "behind",
        "on_track",
    ]
    unit_measure = targets["plans"][1]["measures"][0]
    assert unit_measure["realised"] == 0.5 and unit_measure["status"] == "behind"
    assert targets["summary"] == {
        "measures": 3,
        "done": 1,
        "on_track": 0,
        "behind": 2,
        "not_started": 0,
        "percent": round((100 + 30 + 50) / 3),
    }

    assessment = policy_selectors.self_assessment_for_report(plan_data, YEAR)
    json.dumps(assessment)
    (row,) = assessment["assessments"]
    assert row["assessment"] == f"Zelfevaluatie {YEAR}"
    assert (row["norms"], row["assessed"], row["met"], row["partly"], row["not_met"]) == (
        5,
        5,
        2,
        1,
        1,
    )
    assert row["not_applicable"] == 1 and row["percent_met"] == 50  # 2 of 4 applicable
    assert row["score"] == round(100 * 2.5 / 4)
    assert row["assessed_on"] == f"{YEAR}-09-15" and row["status"] == "done"
    # An assessment started after YEAR does not count for YEAR; without a year the newest counts.
    Assessment.objects.create(
        organisation=plan_data,
        framework=Framework.objects.get(code="eigen"),
        name="Volgend jaar",
        started_on=dt.date(YEAR + 1, 2, 1),
    )
    assert (
        policy_selectors.self_assessment_for_report(plan_data, YEAR)["assessments"][0]["assessment"]
        == f"Zelfevaluatie {YEAR}"
    )
    newest = policy_selectors.self_assessment_for_report(plan_data)["assessments"][0]
    assert newest["assessment"] == "Volgend jaar" and newest["assessed"] == 0


def test_internal_report_tables_and_json(plan_data, coordinator):
    rep = selectors.report_for(coordinator, plan_data, YEAR, edition="internal")
    rows = _table(rep, "plan_targets").rows
    assert rows == [
        ["Dilemmasessies", "Centraal jaarplan", "12 sessies", "12 sessies", "100%", "Gereed"],
        [
            "Gesprekken vertrouwenspersonen",
            "Centraal jaarplan",
            "10 gesprekken",
            "3 gesprekken",
            "30%",
            "Achter op schema",
        ],
        [
            "Risicoanalyse kwetsbare functies",
            UNIT,
            "1 analyse",
            "0,5 analyse",
            "50%",
            "Achter op schema",
        ],
    ]
    norms = _table(rep, "self_assessment").rows
    assert norms == [
        ["Eigen normen", "5 van 5", 2, 1, 1, 1, "62%", "afgerond", f"{YEAR}-09-15"],
    ]
    out = json.loads(documents.render(rep, "json"))
    figures = out["figures"]
    assert figures["plan_targets"]["summary"]["behind"] == 2
    assert [m["realised"] for m in figures["plan_targets"]["measures"]] == [12, 3, 0.5]
    assert figures["self_assessment"][0]["met"] == 2
    assert figures["self_assessment"][0]["score"] == 62
    html = documents.to_html(rep)
    assert "niet beschikbaar in de gegevens" not in html
    assert "Doelen uit het jaarplan" in html and "Zelfevaluatie van de normen" in html


def test_targets_and_norms_reach_xlsx_and_csv(plan_data, coordinator):
    import zipfile

    from openpyxl import load_workbook

    rep = selectors.report_build(plan_data, YEAR, edition="internal")
    wb = load_workbook(io.BytesIO(documents.render(rep, "xlsx")))
    values = [list(r) for ws in wb.worksheets for r in ws.iter_rows(values_only=True)]
    assert ["Eigen normen", "5 van 5", 2, 1, 1, 1, "62%", "afgerond", f"{YEAR}-09-15"] in values
    zf = zipfile.ZipFile(io.BytesIO(documents.render(rep, "csv")))
    assert "plan_targets.csv" in zf.namelist() and "self_assessment.csv" in zf.namelist()
    assert "Dilemmasessies" in zf.read("plan_targets.csv").decode("utf-8-sig")


def test_public_edition_hides_units_small_realisations_and_fine_dates(plan_data, coordinator):
    ActionPointFactory(organisation=plan_data, year=YEAR, due_on=dt.date(YEAR, 10, 1))
    rep = selectors.report_for(coordinator, plan_data, YEAR, edition="public")
    assert rep.figures["figures"]["action_points"][0]["due"] == str(YEAR)
    rows = _table(rep, "plan_targets").rows
    assert [r[1] for r in rows] == [
        "Centraal jaarplan",
        "Centraal jaarplan",
        "Een organisatieonderdeel",
    ]
    # 3 conversations is a count below the threshold: suppressed like elsewhere.
    assert rows[1][3] == "minder dan 5"
    assert any("Gesprekken vertrouwenspersonen" in e["where"] for e in rep.suppression_log)
    assert _table(rep, "self_assessment").rows[0][-1] == str(YEAR)
    html = documents.to_html(rep)
    out = documents.render(rep, "json").decode()
    for text in (html, out):
        assert UNIT not in text
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), re.findall(r"\d{4}-\d{2}-\d{2}", text)
    assert json.loads(out)["figures"]["plan_targets"]["measures"][1]["realised"] is None


def test_chosen_units_and_dates_appear_in_the_public_edition(plan_data, coordinator):
    services.settings_save(
        user=coordinator, organisation=plan_data, show_units=True, show_dates=True
    )
    ActionPointFactory(organisation=plan_data, year=YEAR, due_on=dt.date(YEAR, 10, 1))
    rep = selectors.report_for(coordinator, plan_data, YEAR, edition="public")
    assert rep.figures["figures"]["action_points"][0]["due"] == f"{YEAR}-10-01"
    assert _table(rep, "plan_targets").rows[2][1] == UNIT
    assert _table(rep, "self_assessment").rows[0][-1] == f"{YEAR}-09-15"
    assert UNIT in documents.to_html(rep)


def test_without_plan_or_assessment_the_chapter_says_so(org, coordinator):
    rep = selectors.report_build(org, YEAR, edition="public")
    html = documents.to_html(rep)
    assert f"Er is voor {YEAR} geen jaarplan met maatregelen en doelen vastgelegd." in html
    assert "Er is nog geen zelfevaluatie aan de hand van een normenkader gedaan." in html
    assert "niet beschikbaar in de gegevens" not in html
    assert not any(t.key in ("plan_targets", "self_assessment") for t in rep.tables)
    figures = json.loads(documents.render(rep, "json"))["figures"]
    assert figures["plan_targets"]["measures"] == [] and figures["self_assessment"] == []


def test_plan_and_norm_tables_in_the_documents(plan_data, coordinator):
    import docx
    from odf import table as odf_table
    from odf import teletype
    from odf.opendocument import load

    rep = selectors.report_build(plan_data, YEAR, edition="internal")
    word = docx.Document(io.BytesIO(documents.render(rep, "docx")))
    rows = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
    assert [
        "Eigen normen",
        "5 van 5",
        "2",
        "1",
        "1",
        "1",
        "62%",
        "afgerond",
        f"{YEAR}-09-15",
    ] in rows
    odt = load(io.BytesIO(documents.render(rep, "odt")))
    cells = [
        [teletype.extractText(c) for c in tr.getElementsByType(odf_table.TableCell)]
        for tr in odt.getElementsByType(odf_table.TableRow)
    ]
    assert any(r and r[0] == "Dilemmasessies" and r[-1] == "Gereed" for r in cells)
    assert documents.render(rep, "pdf").startswith(b"%PDF")
