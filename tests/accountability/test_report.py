"""The annual report: figures from data made in the test, editions, and every format read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from intact.accountability import documents, selectors, services
from intact.cases import selectors as case_selectors
from intact.cases import services as case_services
from intact.learning import services as learning_services
from intact.learning.models import ConversationTopic
from intact.reporting.models import ReportType
from tests.cases.factories import register_case
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "annual-report.schema.json"
YEAR = dt.date.today().year - 1


@pytest.fixture
def data(org, coordinator):
    """Last year: 7 behaviour cases and 2 business cases (1 with a reviewed summary); 12 conversations."""
    cats = {c.code: c for c in case_selectors.categories_for(org)}
    for i in range(7):
        case = register_case(org, coordinator, received_on=dt.date(YEAR, 3, 1 + i))
        case_services.case_update(case=case, user=coordinator, categories=[cats["bullying"]])
    for i in range(2):
        case = register_case(
            org,
            coordinator,
            received_on=dt.date(YEAR, 5, 1 + i),
            report_type=ReportType.BUSINESS,
            commissioning_authority="Directeur",
            description="Vertrouwelijk: Piet de Vries nam geld mee.",
        )
        case_services.case_update(case=case, user=coordinator, categories=[cats["financial"]])
    case_services.summary_update(
        case=case,
        user=coordinator,
        description="Mogelijke diefstal van geld.",
        object_of_investigation="Kasverschillen",
        findings="Niet vast te stellen.",
        consequence="Geen.",
        reviewed=True,
    )
    learning_services.organisation_defaults_ensure(organisation=org)
    topics = {t.code: t for t in ConversationTopic.objects.filter(organisation=org)}
    for code, n in (("integrity", 2), ("work_conflict", 10)):
        for _ in range(n):
            learning_services.conversation_create(
                actor=coordinator,
                organisation=org,
                date=dt.date(YEAR, 6, 1),
                topic=topics[code],
                contact_form="in_person",
                follow_up="advice",
                imported=True,
            )
    return org


def _t(rep, key):
    return {r[0]: r[1] for r in next(t for t in rep.tables if t.key == key).rows}


def test_internal_edition_has_every_figure(data, coordinator):
    rep = selectors.report_for(coordinator, data, YEAR, edition="internal")
    by_type = _t(rep, "cases_by_type")
    assert by_type["Ongewenst gedrag"] == 7 and by_type["Integriteitsschending"] == 2
    assert by_type["Totaal"] == 9
    topics = _t(rep, "conversations_by_topic")
    assert topics["Integriteit"] == 2 and topics["Arbeidsconflict"] == 10 and topics["Totaal"] == 12
    table = next(t for t in rep.tables if t.key == "investigated_cases")
    assert len(table.rows) == 1 and table.rows[0][0].startswith(str(YEAR)[:2]) or table.rows[0][0]
    assert rep.figures["figures"]["cases_total"] == 9
    assert rep.suppression_log == []


def test_public_edition_suppresses_small_counts_and_keeps_confidential_text_out(data, coordinator):
    rep = selectors.report_for(coordinator, data, YEAR, edition="public")
    by_type = _t(rep, "cases_by_type")
    assert by_type["Ongewenst gedrag"] != 7  # hidden too: else 9 - 7 gives the small cell
    assert by_type["Integriteitsschending"] == "minder dan 5"
    assert by_type["Totaal"] == 9
    topics = _t(rep, "conversations_by_topic")
    assert topics["Integriteit"] == "minder dan 5" and topics["Arbeidsconflict"] != 10
    assert topics["Totaal"] == 12
    assert any("Integriteit" in e["where"] for e in rep.suppression_log)
    html = documents.to_html(rep)
    assert "Piet de Vries" not in html and "Mogelijke diefstal van geld." in html
    assert "Kenmerk" not in html  # no case references in the public edition
    # dates no finer than the year
    assert f"{YEAR}-" not in html


def test_threshold_is_configurable(data, coordinator):
    services.settings_save(user=coordinator, organisation=data, threshold=3)
    rep = selectors.report_for(coordinator, data, YEAR, edition="public")
    assert _t(rep, "conversations_by_topic")["Integriteit"] == "minder dan 3"
    by_type = _t(rep, "cases_by_type")
    assert by_type["Integriteitsschending"] == "minder dan 3"
    assert by_type["Ongewenst gedrag"] == "x (afgeschermd)"  # 9 - 7 would give the 2


def test_narrative_is_versioned_and_shown(data, coordinator):
    services.chapter_text_save(
        user=coordinator, organisation=data, year=YEAR, chapter="actions", text="Eerste versie."
    )
    services.chapter_text_save(
        user=coordinator, organisation=data, year=YEAR, chapter="actions", text="Tweede versie."
    )
    assert [c.version for c in selectors.chapter_history(data, YEAR, "actions")] == [2, 1]
    html = documents.to_html(selectors.report_build(data, YEAR, edition="public"))
    assert "Tweede versie." in html and "Eerste versie." not in html


def test_auditor_gets_public_only_and_outsiders_nothing(data, make_user, other_org):
    from django.http import Http404

    auditor = make_user(data, "auditor", username="acc-aud")
    assert selectors.editions_for(auditor, data) == ("public",)
    with pytest.raises(Http404):
        selectors.report_for(auditor, data, YEAR, edition="internal")
    stranger = make_user(other_org, "coordinator", username="acc-stranger")
    with pytest.raises(Http404):
        selectors.report_for(stranger, data, YEAR, edition="public")


def test_json_validates_against_schema(data, coordinator):
    schema = json.loads(SCHEMA.read_text())
    for edition in ("public", "internal"):
        out = json.loads(
            documents.render(selectors.report_build(data, YEAR, edition=edition), "json")
        )
        jsonschema.Draft202012Validator(schema).validate(out)
    assert out["figures"]["cases_total"] == 9


def test_pdf_is_pdfa_tagged_with_embedded_fonts(data, coordinator):
    import pikepdf

    pdf = documents.render(selectors.report_build(data, YEAR, edition="public"), "pdf")
    doc = pikepdf.open(io.BytesIO(pdf))
    meta = doc.open_metadata()
    assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
    assert "/StructTreeRoot" in doc.Root and doc.Root.MarkInfo.Marked
    fonts = []
    for page in doc.pages:
        for _name, font in (page.Resources.get("/Font") or {}).items():
            desc = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            fonts.append(any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)


def test_odt_and_docx_tables_read_back(data, coordinator):
    import docx
    from odf import table as odf_table
    from odf import teletype
    from odf.opendocument import load

    rep = selectors.report_build(data, YEAR, edition="internal")
    word = docx.Document(io.BytesIO(documents.render(rep, "docx")))
    rows = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
    assert ["Arbeidsconflict", "10"] in rows and ["Totaal", "12"] in rows
    assert any(
        p.style.name.startswith("Heading") and p.text == "Verantwoording over meldingen"
        for p in word.paragraphs
    )
    odt = load(io.BytesIO(documents.render(rep, "odt")))
    cells = []
    for tr in odt.getElementsByType(odf_table.TableRow):
        cells.append([teletype.extractText(c) for c in tr.getElementsByType(odf_table.TableCell)])
    assert ["Arbeidsconflict", "10"] in cells


def test_xlsx_and_csv_hold_every_table(data, coordinator):
    from openpyxl import load_workbook

    rep = selectors.report_build(data, YEAR, edition="internal")
    wb = load_workbook(io.BytesIO(documents.render(rep, "xlsx")))
    assert len(wb.sheetnames) == len(rep.tables)
    ws = wb["Gesprekken met vertrouwensperso"]
    assert ["Arbeidsconflict", 10] in [list(r) for r in ws.iter_rows(values_only=True)]
    zf = zipfile.ZipFile(io.BytesIO(documents.render(rep, "csv")))
    assert "conversations_by_topic.csv" in zf.namelist()
    assert "Arbeidsconflict,10" in zf.read("conversations_by_topic.csv").decode("utf-8-sig")


def test_command_writes_each_format(data, coordinator, tmp_path):
    for fmt in ("html", "json", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "report_annual",
            "--org",
            data.slug,
            "--year",
            str(YEAR),
            "--format",
            fmt,
            "--edition",
            "public",
            "-o",
            str(out),
        )
        assert out.stat().st_size > 100
    assert json.loads((tmp_path / "r.json").read_text())["edition"] == "public"


def test_interim_report_counts_the_first_half_only(data, coordinator):
    make_report(data)  # this year's report, not in last year's figures
    rep = selectors.report_build(
        data, YEAR, edition="internal", interim=True, period_end=dt.date(YEAR, 6, 30)
    )
    assert rep.title.startswith("Halfjaarrapportage")
    assert rep.figures["interim"] is True
