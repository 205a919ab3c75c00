"""NGO incident notification, sector overview, demo data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.http import Http404

from intact.accountability import demo, incident, sector
from intact.accountability.models import ChapterText, ReportSettings
from intact.cases import selectors as case_selectors
from intact.cases import services as case_services
from tests.cases.factories import register_case
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1


def test_incident_notification_has_the_donor_fields_and_no_names(
    org, coordinator, make_user, login
):
    case = register_case(
        org,
        coordinator,
        received_on=dt.date(YEAR, 4, 1),
        parties=[
            {"role": "victim", "name": "Anna Geheim"},
            {"role": "accused", "name": "Bert Geheim"},
        ],
    )
    cats = {c.code: c for c in case_selectors.categories_for(org)}
    case_services.case_update(case=case, user=coordinator, categories=[cats["financial"]])
    case_services.notification_add(
        case=case, user=coordinator, kind="police_report", sent_on=dt.date(YEAR, 4, 3)
    )
    fields = incident.notification_fields(
        user=coordinator, organisation=org, reference=case.reference
    )
    assert fields["police_informed"] == "ja" and fields["persons_affected"] == "1 × slachtoffer"
    assert fields["date_of_report"] == f"{YEAR}-04-01"
    import docx

    data, name = incident.notification_export(
        user=coordinator, organisation=org, reference=case.reference, fmt="docx"
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    text += "\n".join(
        c.text for t in docx.Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells
    )
    assert "Geheim" not in text and "Financ" in text
    # page: PDF for the coordinator; 404 for a coordinator outside the case team and others
    r = login(coordinator).get(
        f"/app/{org.slug}/verantwoording/incidentmelding/{case.reference}.pdf"
    )
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    employee = make_user(org, "employee", username="acc-e3")
    assert (
        login(employee)
        .get(f"/app/{org.slug}/verantwoording/incidentmelding/{case.reference}.pdf")
        .status_code
        == 404
    )
    with pytest.raises(Http404):
        incident.notification_fields(user=coordinator, organisation=org, reference="NOPE")


def _org_with_cases(slug, coordinator_factory, n, participate=True):
    o = OrganisationFactory(slug=slug, name=slug)
    ReportSettings.objects.create(organisation=o, sector_participation=participate)
    if n:
        coord = coordinator_factory(o)
        cats = {c.code: c for c in case_selectors.categories_for(o)}
        for i in range(n):
            case = register_case(o, coord, received_on=dt.date(YEAR, 1, 1 + i))
            case_services.case_update(case=case, user=coord, categories=[cats["bullying"]])
    return o


def test_sector_overview_needs_three_organisations_and_hides_small_cells(make_user):
    def coord(o):
        case_services.categories_ensure_defaults(o)
        case_services.measure_types_ensure_defaults(o)
        return make_user(o, "coordinator", username=f"c-{o.slug}")

    _org_with_cases("s1", coord, 4)
    _org_with_cases("s2", coord, 3)
    assert sector.overview(YEAR)["enough"] is False
    _org_with_cases("s3", coord, 0, participate=True)
    assert sector.overview(YEAR)["enough"] is False  # no figures: does not count
    _org_with_cases("s4", coord, 2)
    _org_with_cases("s5", coord, 9, participate=False)  # not taking part: never counted
    result = sector.overview(YEAR)
    assert result["enough"] and result["participants"] == 3
    rows = {r["code"]: r["count"] for r in result["rows"]}
    assert rows["undesirable_behaviour"] == 9  # 4 + 3 + 2, the 9 of s5 left out
    assert rows["financial"] == 0


def test_sector_page_only_for_auditor_of_sector_body(org, make_user, login):
    auditor = make_user(org, "auditor", username="acc-sa")
    assert login(auditor).get(f"/app/{org.slug}/verantwoording/sector/").status_code == 404
    ReportSettings.objects.create(organisation=org, is_sector_body=True)
    r = login(auditor).get(f"/app/{org.slug}/verantwoording/sector/")
    assert r.status_code == 200 and "minder dan 3" in r.content.decode()


def test_demo_is_idempotent(org):
    demo.demo_load(org, [])
    demo.demo_load(org, [])
    assert ChapterText.objects.filter(organisation=org).count() == 5
