"""Import from CSV/XLSX: row and column of every error, nothing imported when any row is wrong."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from intact.learning import imports, selectors
from intact.learning.models import Activity, CounsellorConversation, Facilitator
from intact.security.models import AuditEntry
from tests.organisations.factories import UnitFactory

pytestmark = pytest.mark.django_db

ACTIVITIES_CSV = (
    "datum;soort;titel;onderdeel;doelgroep;toelichting_doelgroep;begeleiders;deelnemers;opmerkingen\n"
    "14-03-2019;Dilemmaspel;Dilemmaspel nieuwe medewerkers;;new_employees;;Anna Appel, Bert Boom;18;\n"
    "2019-04-02;dilemma_game;Dilemmaspel Inkoop;Inkoop;Afdeling of team;Inkoop;Anna Appel;15;\n"
    "2019-06-11;works_council;Overleg OR;;works_council;;;4;opgaveteam integriteit\n"
)


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_activities_from_csv(org):
    UnitFactory(organisation=org, name="Inkoop")
    result = imports.learning_import(
        actor=None,
        organisation=org,
        kind="activities",
        filename="a.csv",
        data=ACTIVITIES_CSV.encode(),
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 3
    assert sorted(result.facilitators_added) == ["Anna Appel", "Bert Boom"]
    assert Facilitator.objects.filter(organisation=org).count() == 2
    totals = selectors.activity_totals(org, 2019)["by_type_code"]
    assert (totals["dilemma_game"]["sessions"], totals["dilemma_game"]["participants"]) == (2, 33)
    assert Activity.objects.get(title="Dilemmaspel Inkoop").unit.name == "Inkoop"
    assert AuditEntry.objects.filter(action="learning.import").count() == 1


def test_any_error_imports_nothing_and_names_row_and_column(org):
    data = (
        "datum;soort;titel;doelgroep;deelnemers;onderdeel\n"
        "14-03-2019;dilemma_game;Goed;new_employees;18;\n"
        "31-02-2019;dilemma_game;Foute datum;new_employees;12;\n"
        "2019-05-01;kaartspel;Foute soort;new_employees;veel;Bestaat niet\n"
        "2019-05-02;training;;all_staff;3;\n"
    )
    result = imports.learning_import(
        actor=None, organisation=org, kind="activities", filename="a.csv", data=data.encode()
    )
    assert not result.ok
    where = {(e.row, e.column.split(" ")[0]) for e in result.errors}
    assert where == {(3, "A"), (4, "B"), (4, "E"), (4, "F"), (5, "C")}
    assert "rij 4, kolom E (deelnemers)" in [str(e).split(":")[0] for e in result.errors]
    assert not Activity.objects.exists() and not Facilitator.objects.exists()


def test_header_problems(org):
    result = imports.learning_import(
        actor=None,
        organisation=org,
        kind="conversations",
        filename="c.csv",
        data=b"datum,onderwerpen\n2019-01-01,integrity\n",
    )
    messages = {(e.row, e.column, e.message) for e in result.errors}
    assert (1, "B (onderwerpen)", "Onbekende kolom.") in messages
    assert (1, "onderwerp", "Verplichte kolom ontbreekt.") in messages


def test_conversations_from_xlsx_count_without_owner(org):
    data = xlsx(
        [
            ["Datum", "Onderwerp", "Contactvorm", "Vervolg"],
            [dt.datetime(2019, 2, 4), "Integriteit", "Telefonisch", "advice"],
            [dt.date(2019, 3, 5), "Pesten", None, None],
            [
                dt.date(2019, 3, 6),
                "Ongewenste omgangsvormen - Seksuele intimidatie",
                "in_person",
                "Doorverwezen",
            ],
            [None, None, None, None],
            ["2019-11-30", "work_conflict", "video", "report"],
        ]
    )
    result = imports.learning_import(
        actor=None, organisation=org, kind="conversations", filename="c.xlsx", data=data
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 4
    assert set(CounsellorConversation.objects.values_list("counsellor", flat=True)) == {None}
    counts = {t["code"]: t["count"] for t in selectors.counsellor_topic_counts(org, 2019)["topics"]}
    assert (
        counts["undesirable_behaviour"] == 2
        and counts["integrity"] == 1
        and counts["work_conflict"] == 1
    )


def test_xlsx_error_names_cell(org):
    data = xlsx(
        [
            ["datum", "onderwerp"],
            [dt.date(2019, 1, 1), "integrity"],
            [dt.date(2019, 1, 2), "onbekend"],
        ]
    )
    result = imports.learning_import(
        actor=None, organisation=org, kind="conversations", filename="c.xlsx", data=data
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "B (onderwerp)")]
    assert not CounsellorConversation.objects.exists()


def test_unreadable_files(org):
    result = imports.learning_import(
        actor=None, organisation=org, kind="activities", filename="x.pdf", data=b"%PDF"
    )
    assert not result.ok
    result = imports.learning_import(
        actor=None,
        organisation=org,
        kind="activities",
        filename="x.xlsx",
        data=b"PK\x03\x04rubbish",
    )
    assert not result.ok


def test_command(org, make_user, tmp_path):
    path = tmp_path / "activiteiten.csv"
    path.write_text(ACTIVITIES_CSV.replace(";Inkoop;Afdeling", ";;Afdeling"), encoding="utf-8")
    call_command(
        "learning_import", "--org", org.slug, "--kind", "activities", "--dry-run", str(path)
    )
    assert not Activity.objects.exists() and not Facilitator.objects.exists()
    call_command("learning_import", "--org", org.slug, "--kind", "activities", str(path))
    assert Activity.objects.filter(organisation=org).count() == 3
    bad = tmp_path / "gesprekken.csv"
    bad.write_text(
        "datum;onderwerp\n2019-01-01;integrity\n2019-01-02;bestaat-niet\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("learning_import", "--org", org.slug, "--kind", "conversations", str(bad))
    assert not CounsellorConversation.objects.exists()
    counsellor = make_user(org, "counsellor")
    good = tmp_path / "goed.csv"
    good.write_text("datum;onderwerp\n2019-01-01;integrity\n", encoding="utf-8")
    call_command(
        "learning_import",
        "--org",
        org.slug,
        "--kind",
        "conversations",
        "--counsellor",
        counsellor.username,
        str(good),
    )
    assert CounsellorConversation.objects.get().counsellor == counsellor


def test_import_page(org, make_user, login):
    counsellor = make_user(org, "counsellor")
    c = login(counsellor)
    url = reverse("learning:import", kwargs={"org": org.slug})
    page = c.get(url).content.decode()
    assert 'value="activities"' not in page  # counsellors import only their conversations
    upload = io.BytesIO(b"datum;onderwerp\n2019-01-01;integrity\n2019-01-02;nope\n")
    upload.name = "gesprekken.csv"
    response = c.post(url, {"kind": "conversations", "file": upload})
    body = response.content.decode()
    assert "B (onderwerp)" in body and 'role="alert"' in body
    assert not CounsellorConversation.objects.exists()
    upload = io.BytesIO(b"datum;onderwerp\n2019-01-01;integrity\n")
    upload.name = "gesprekken.csv"
    c.post(url, {"kind": "conversations", "file": upload})
    assert CounsellorConversation.objects.get().counsellor == counsellor


def test_english_headers_and_labels(org):
    data = (
        "date,type,title,audience,participants\n2019-09-09,Dilemma game,English,New employees,11\n"
    )
    result = imports.learning_import(
        actor=None, organisation=org, kind="activities", filename="a.csv", data=data.encode()
    )
    assert result.ok, [str(e) for e in result.errors]
    activity = Activity.objects.get()
    assert (activity.type, activity.audience) == ("dilemma_game", "new_employees")


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-5, 300),
    st.dates(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["dilemma_game", "new_employees", "2019-03-14", "14-03-2019", "12"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=6))
def test_arbitrary_cells_never_crash_and_never_half_import(org, rows):
    header = ["datum", "soort", "titel", "doelgroep", "deelnemers"]
    before = Activity.objects.count()
    result = imports.learning_import(
        actor=None,
        organisation=org,
        kind="activities",
        filename="f.xlsx",
        data=xlsx([header, *rows]),
    )
    if result.ok:
        assert Activity.objects.count() == before + result.created
    else:
        assert Activity.objects.count() == before
        assert all(e.row >= 1 and e.message for e in result.errors)
