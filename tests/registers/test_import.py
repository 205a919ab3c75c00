"""Import from CSV and XLSX: a report naming row and column of every error, and all rows or none."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intact.registers import importing
from intact.registers.models import (
    Commitment,
    GiftDeclaration,
    OutsideActivity,
    ScreeningCheck,
    VulnerablePosition,
)
from tests.organisations.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(org):
    return [
        PersonFactory(
            organisation=org,
            employee_number=f"P{i}",
            email=f"p{i}@example.test",
            contract_type="external" if i == 3 else "employee",
        )
        for i in range(1, 5)
    ]


def csv_bytes(rows, sep=";"):
    return "\n".join(sep.join(r) for r in rows).encode("utf-8")


def test_oath_import_succeeds_and_is_audited(org, staff):
    data = csv_bytes(
        [
            ["personeelsnummer", "vorm", "datum", "getuige", "ten_overstaan_van"],
            ["P1", "eed", "2025-03-01", "J. de Vries", "Provinciesecretaris"],
            ["P2", "belofte", "01-03-2025", "J. de Vries", "Provinciesecretaris"],
            ["p3@example.test", "verklaring", "2025-03-02", "", ""],
        ]
    )
    report = importing.import_apply(
        actor=None, organisation=org, register="oath", filename="eden.csv", data=data
    )
    assert report.imported == 3
    assert Commitment.objects.filter(organisation=org).count() == 3
    assert Commitment.objects.get(person=staff[1]).form == "affirmation"


def test_report_names_row_and_column_and_nothing_is_imported(org, staff):
    data = csv_bytes(
        [
            ["personeelsnummer", "vorm", "datum"],
            ["P1", "eed", "2025-03-01"],
            ["P2", "zweren", "2025-03-01"],
            ["P9", "eed", "31-02-2025"],
            ["P3", "eed", "2025-03-01"],
        ]
    )
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_apply(
            actor=None, organisation=org, register="oath", filename="eden.csv", data=data
        )
    errors = {(e.row, e.column) for e in failed.value.report.errors}
    assert (3, "B (vorm)") in errors
    assert (4, "A (personeelsnummer)") in errors and (4, "C (datum)") in errors
    assert (5, "B (vorm)") in errors  # external owes a declaration
    assert Commitment.objects.count() == 0


def test_missing_and_unknown_columns(org, staff):
    report = importing.import_validate(
        organisation=org,
        register="gifts",
        filename="g.csv",
        data=csv_bytes([["personeelsnummer", "gever", "kleur"], ["P1", "X", "rood"]]),
    )
    messages = " ".join(e.message for e in report.errors)
    assert "kleur" in messages and "soort" in messages and "waarde" in messages
    assert all(e.row == 1 for e in report.errors)


def test_xlsx_import_of_outside_activities(org, staff):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "Personeelsnummer",
            "Omschrijving",
            "Voor wie",
            "Uren per maand",
            "Betaald",
            "Gemeld op",
            "Status",
            "Motivering",
            "Beoordeeld op",
        ]
    )
    sheet.append(
        [
            "P1",
            "Voorzitter",
            "Sportclub",
            4,
            "nee",
            dt.date(2025, 1, 5),
            "toegestaan",
            "Geen raakvlak",
            dt.date(2025, 1, 20),
        ]
    )
    sheet.append(["P2", "Docent", "Hogeschool", "8,5", "ja", "2025-02-01", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    report = importing.import_apply(
        actor=None,
        organisation=org,
        register="outside_activities",
        filename="n.xlsx",
        data=buffer.getvalue(),
    )
    assert report.imported == 2
    first = OutsideActivity.objects.get(person=staff[0])
    assert first.status == "allowed" and first.assessed_on == dt.date(2025, 1, 20)
    assert str(OutsideActivity.objects.get(person=staff[1]).hours_per_month) == "8.5"


def test_unreadable_file_is_reported(org):
    report = importing.import_validate(
        organisation=org, register="gifts", filename="x.xlsx", data=b"not a zip"
    )
    assert not report.ok and report.errors[0].row == 0


def test_every_register_imports(org, staff):
    from tests.organisations.factories import UnitFactory
    from tests.registers.factories import CodeVersionFactory

    CodeVersionFactory(organisation=org, version="2024.1")
    UnitFactory(organisation=org, name="Inkoop")
    files = {
        "code_acknowledgements": [
            ["personeelsnummer", "versie", "datum"],
            ["P1", "2024.1", "2025-01-02"],
        ],
        "gifts": [
            ["personeelsnummer", "soort", "gever", "aanleiding", "waarde", "datum", "besluit"],
            ["P1", "geschenk", "X", "Kerst", "€ 75,00", "2024-12-20", "inleveren"],
        ],
        "financial_interests": [
            ["personeelsnummer", "soort", "omschrijving", "gemeld_op"],
            ["P2", "nihil", "", "2025-01-03"],
        ],
        "vulnerable_positions": [
            ["onderdeel", "functie", "risico", "maatregelen", "geinventariseerd_op"],
            ["Inkoop", "Inkoper", "Leveranciers", "vier_ogen, functiescheiding", "2025-01-01"],
        ],
        "screening": [
            ["personeelsnummer", "controle", "status", "uitgevoerd_op"],
            ["P4", "vog", "in_orde", "2024-11-01"],
        ],
    }
    for register, rows in files.items():
        report = importing.import_apply(
            actor=None, organisation=org, register=register, filename="f.csv", data=csv_bytes(rows)
        )
        assert report.imported == 1, (register, [e.as_dict() for e in report.errors])
    assert GiftDeclaration.objects.get().decision == "hand_in"
    assert VulnerablePosition.objects.get().measures == ["four_eyes", "segregation_of_duties"]
    assert ScreeningCheck.objects.get().status == "passed"


# --- property: any bad row means nothing is imported ------------------------------------------------

GOOD = ["P1", "geschenk", "Leverancier", "Kerst", "40", "2025-01-10"]
BAD_CELLS = {
    0: st.sampled_from(["", "P999", "onbekend"]),
    1: st.sampled_from(["", "cadeau", "?"]),
    4: st.sampled_from(["", "veel", "-5", "1e99"]),
    5: st.sampled_from(["", "2025-13-01", "gisteren", "2999-01-01"]),
}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    good_rows=st.integers(min_value=0, max_value=6),
    bad_at=st.integers(min_value=0, max_value=6),
    column=st.sampled_from(sorted(BAD_CELLS)),
    data=st.data(),
)
def test_any_bad_row_means_nothing_imported(org, staff, good_rows, bad_at, column, data):
    bad = list(GOOD)
    bad[column] = data.draw(BAD_CELLS[column])
    rows = [list(GOOD) for _ in range(good_rows)]
    position = min(bad_at, len(rows))
    rows.insert(position, bad)
    header = ["personeelsnummer", "soort", "gever", "aanleiding", "waarde", "datum"]
    before = GiftDeclaration.objects.count()
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_apply(
            actor=None,
            organisation=org,
            register="gifts",
            filename="g.csv",
            data=csv_bytes([header, *rows]),
        )
    assert GiftDeclaration.objects.count() == before
    assert any(e.row == position + 2 for e in failed.value.report.errors)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.lists(
        st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False), min_size=1, max_size=5
    )
)
def test_valid_files_import_every_row(org, staff, values):
    header = ["personeelsnummer", "soort", "gever", "aanleiding", "waarde", "datum"]
    rows = [["P2", "geschenk", "X", "Y", str(v), "2025-01-10"] for v in values]
    before = GiftDeclaration.objects.count()
    report = importing.import_apply(
        actor=None,
        organisation=org,
        register="gifts",
        filename="g.csv",
        data=csv_bytes([header, *rows], sep=","),
    )
    assert report.imported == len(values)
    assert GiftDeclaration.objects.count() == before + len(values)


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=30))
def test_parsers_never_crash_only_refuse(text):
    for parse in (importing.parse_date, importing.parse_decimal, importing.parse_bool):
        try:
            parse(text)
        except ValueError:
            pass


# --- the page and the command -----------------------------------------------------------------------


def test_import_page_upload_report_confirm(org, staff, fast_user, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    coordinator = fast_user(org, "coordinator")
    c = login(coordinator)
    page = reverse("registers:import", kwargs={"org": org.slug})
    wrong = c.post(
        page,
        {
            "register": "oath",
            "file": SimpleUploadedFile(
                "e.csv", csv_bytes([["personeelsnummer", "vorm", "datum"], ["P1", "eed", "nooit"]])
            ),
        },
    )
    body = wrong.content.decode()
    assert "C (datum)" in body and 'role="alert"' in body
    good = c.post(
        page,
        {
            "register": "oath",
            "file": SimpleUploadedFile(
                "e.csv",
                csv_bytes([["personeelsnummer", "vorm", "datum"], ["P1", "eed", "2025-03-01"]]),
            ),
        },
    )
    assert Commitment.objects.count() == 0  # validated, not yet imported
    staged = good.context["staged"]
    done = c.post(
        reverse("registers:import_confirm", kwargs={"org": org.slug, "file_id": staged.pk}),
        {"register": "oath"},
    )
    assert done.status_code == 302
    assert Commitment.objects.count() == 1


def test_import_api_reports_problems(org, staff, fast_user, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(fast_user(org, "coordinator"))
    api = reverse("registers_api:register-imports", kwargs={"slug": org.slug})
    response = c.post(
        api,
        {
            "register": "gifts",
            "file": SimpleUploadedFile(
                "g.csv",
                csv_bytes(
                    [
                        ["personeelsnummer", "soort", "gever", "aanleiding", "waarde", "datum"],
                        ["P1", "geschenk", "X", "Y", "veel", "2025-01-01"],
                    ]
                ),
            ),
        },
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["invalid_params"][0]["row"] == 2


def test_management_command(org, staff, tmp_path):
    good = tmp_path / "gifts.csv"
    good.write_bytes(
        csv_bytes(
            [
                ["personeelsnummer", "soort", "gever", "aanleiding", "waarde", "datum"],
                ["P1", "uitnodiging", "X", "Congres", "300", "2025-01-01"],
            ]
        )
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["personeelsnummer", "soort"], ["P1", "geschenk"]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "registers_import",
            "--org",
            org.slug,
            "--register",
            "gifts",
            str(bad),
            stdout=out,
            stderr=out,
        )
    assert GiftDeclaration.objects.count() == 0
    call_command(
        "registers_import", "--org", org.slug, "--register", "gifts", str(good), stdout=out
    )
    assert GiftDeclaration.objects.get().needs_approval
