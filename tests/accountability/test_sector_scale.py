"""Sector overview at scale: counted in SQL, same result as counting case by case.

The overview used to call ``cases.selectors.case_statistics`` once per
organisation (model instances of every case). It now counts with two grouped
queries; these tests prove that the counts did not change (both are
published by ``sector._publish``, whose suppression rules
``test_ngo_sector_demo`` checks against expected values) and that the number
of queries does not grow with the number of organisations or cases.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter

import pytest
from django.core.management import call_command

from intact.accountability import sector
from intact.accountability.models import ReportSettings
from intact.cases import selectors as case_selectors
from intact.cases import services as case_services
from intact.cases.models import Case, Category
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1
_refs = itertools.count(1)


def _org(slug: str, *, participate: bool = True, kind: str = "government") -> object:
    o = OrganisationFactory(slug=slug, name=slug, kind=kind)
    ReportSettings.objects.create(organisation=o, sector_participation=participate)
    case_services.categories_ensure_defaults(o)
    return o


def _case(o: object, *codes: str, year: int = YEAR) -> Case:
    case = Case.objects.create(
        organisation=o,
        reference=f"S-{next(_refs):06d}",
        report_type="undesirable_behaviour",
        received_on=dt.date(year, 3, 1),
        description="vertrouwelijk",
    )
    if codes:
        case.categories.set(Category.objects.filter(organisation=o, code__in=codes))
    return case


def _reference_overview(year: int, threshold: int = sector.THRESHOLD) -> dict:
    """The counts as they were computed before (``case_statistics`` per organisation), published alike."""
    orgs = ReportSettings.objects.filter(sector_participation=True).order_by("organisation_id")
    totals: Counter = Counter()
    contributors: Counter = Counter()
    with_data = 0
    for rs in orgs:
        stats = case_selectors.case_statistics(rs.organisation, year)
        with_data += 1 if stats["total"] else 0
        for code, n in stats["by_standard_category"].items():
            totals[code] += n
            contributors[code] += 1 if n else 0
    return sector._publish(year, with_data, totals, contributors, threshold)


def _mixed_sector() -> None:
    a, b, c, d = _org("sa"), _org("sb"), _org("sc", kind="ngo"), _org("sd")
    for _ in range(6):
        _case(a, "bullying")
    # Two categories under the same standard: the case counts once for it.
    _case(a, "bullying", "intimidation")
    _case(a, "financial", "information")
    _case(a)  # no category: counts for participation only
    for _ in range(3):
        _case(b, "aggression", "financial")
    _case(b, "wrongdoing")
    _case(c, "seah", "fraud", "corruption")
    _case(c, "bullying_harassment")
    _case(c, "child_safeguarding", "harm_to_beneficiaries")
    _case(d, "wrongdoing", year=YEAR - 1)  # another year: d has no figures for YEAR
    outsider = _org("se", participate=False)
    for _ in range(7):
        _case(outsider, "financial")
    _org("sf")  # takes part, no cases at all


def test_overview_equals_counting_case_by_case():
    _mixed_sector()
    for threshold in (2, 3, 5, 10):
        assert sector.overview(YEAR, threshold=threshold) == _reference_overview(YEAR, threshold)
    result = sector.overview(YEAR)
    assert result["participants"] == 3
    rows = {r["code"]: r["count"] for r in result["rows"]}
    # 7 in sa (one case with two categories under this standard counts once), 3 in sb, 1 in sc
    assert rows["undesirable_behaviour"] == 11
    assert rows["financial"] == 5  # 1 + 3 + 1 (the NGO case with fraud and corruption counts once)
    assert rows["wrongdoing"] is None  # one organisation only (sd's case is from another year)
    assert rows["force"] == 0
    assert {e["where"] for e in result["log"]} >= {
        "Misstand (Wbk)",
        "Lekken en misbruik van informatie",
    }


def test_not_enough_participants_same_as_before():
    a, b = _org("na"), _org("nb")
    _case(a, "bullying")
    _case(b, "financial")
    assert sector.overview(YEAR) == _reference_overview(YEAR)
    assert sector.overview(YEAR)["enough"] is False


def _grow(n_orgs: int, cases_each: int, start: int) -> None:
    for i in range(start, start + n_orgs):
        o = _org(f"q{i}")
        for j in range(cases_each):
            _case(o, "bullying" if j % 2 else "financial", *(["information"] if j % 3 == 0 else []))


def test_queries_do_not_grow_with_organisations_or_cases(
    django_assert_num_queries, django_assert_max_num_queries
):
    _grow(3, 2, 0)
    with django_assert_max_num_queries(2):
        small = sector.overview(YEAR)
    _grow(12, 6, 3)
    # The same two grouped queries for 15 organisations and 78 cases.
    with django_assert_num_queries(2):
        large = sector.overview(YEAR)
    assert small["participants"] == 3 and large["participants"] == 15
    assert large == _reference_overview(YEAR)


def test_overview_never_decrypts(monkeypatch):
    _grow(4, 3, 0)

    def refuse(*args, **kwargs):
        raise AssertionError("the sector overview decrypted a field")

    monkeypatch.setattr("intact.security.crypto.decrypt", refuse)
    result = sector.overview(YEAR)
    assert result["enough"] and result["participants"] == 4


def test_command_writes_the_overview_without_the_suppression_log(tmp_path):
    _mixed_sector()
    out = tmp_path / "sector.json"
    call_command("report_sector", year=YEAR, output=str(out))
    written = json.loads(out.read_text())
    expected = _reference_overview(YEAR)
    expected.pop("log")
    assert written == expected
    assert '"sa"' not in out.read_text() and "organisation" not in written  # no organisation named
