"""Sector overview: cases by standard category across the organisations that take part.

Rules (docs/annual-report.md):

* an organisation takes part only when its coordinator switched
  ``sector_participation`` on;
* nothing is shown unless at least :data:`MIN_ORGANISATIONS` organisations
  take part and have figures for the year;
* a category cell is shown only when at least :data:`MIN_ORGANISATIONS`
  organisations contribute to it (otherwise it would be one organisation's
  figure), and it passes the same small-count suppression as the public edition;
* no figure per organisation is ever produced, only the count of participants.

Who sees it: the auditor role of an organisation marked ``is_sector_body``
(a sector association running the shared reporting point), or the
command line (``intact report sector``), which runs as the operator.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import Http404

from intact.accountability.models import ReportSettings
from intact.accountability.suppression import suppress
from intact.organisations.models import Organisation, Role
from intact.security import audit, policy

MIN_ORGANISATIONS = 3
THRESHOLD = 5


def _aggregates(year: int) -> tuple[int, Counter, Counter]:
    """Participants with cases, cases per standard category, organisations per standard category.

    Two queries whatever the number of organisations and cases; Python
    receives one number and one row per standard category.

    * Participants: organisations taking part for which a case received in
      ``year`` EXISTS. That stops at each organisation's first case in the year
      (an index probe on ``case_list_idx``: organisation, received_on) instead
      of reading every case: ≈ 20 ms instead of ≈ 1.3 s at 1,000,000 cases
      on PostgreSQL (benchmarks/notes/60-sector.md).
    * Per standard category: cases and organisations, grouped in SQL. A case
      with two categories under the same standard counts once for it
      (``COUNT(DISTINCT case)``), as in ``cases.selectors.case_statistics``.
    """
    from intact.cases import selectors as cases

    taking_part = ReportSettings.objects.filter(sector_participation=True)
    with_data = taking_part.filter(cases.cases_in_year_exist(year)).count()
    totals: Counter = Counter()
    contributors: Counter = Counter()
    if with_data < MIN_ORGANISATIONS:  # nothing will be shown: do not count further
        return with_data, totals, contributors
    rows = cases.standard_counts_for_sector(year, taking_part.values("organisation_id"))
    for standard, n, orgs in rows:
        totals[standard] = n
        contributors[standard] = orgs
    return with_data, totals, contributors


def overview(year: int, *, threshold: int = THRESHOLD) -> dict[str, Any]:
    """The aggregate over all participating organisations (no user: the caller checks access).

    Counted in SQL (two grouped queries; see :func:`_aggregates`): no case is
    loaded as a model instance and nothing is decrypted, so time and memory
    do not depend on the content of the cases, and the number of queries not
    on the number of organisations.
    """
    with_data, totals, contributors = _aggregates(year)
    return _publish(year, with_data, totals, contributors, threshold)


def _publish(
    year: int, with_data: int, totals: Counter, contributors: Counter, threshold: int
) -> dict[str, Any]:
    """The published overview from the counts: small cells and cells of too few organisations hidden."""
    from intact.cases import selectors as cases

    standards = cases.standard_categories()  # a deep copy of the category config: fetch it once
    labels = {s["code"]: s["nl"] for s in standards}
    result: dict[str, Any] = {
        "year": year,
        "participants": with_data,
        "enough": with_data >= MIN_ORGANISATIONS,
        "min_organisations": MIN_ORGANISATIONS,
        "threshold": threshold,
        "rows": [],
        "log": [],
    }
    if not result["enough"]:
        return result
    codes = [s["code"] for s in standards]
    values = [totals.get(c, 0) for c in codes]
    # Cells fed by fewer than MIN_ORGANISATIONS organisations are hidden like small cells.
    few = [0 < contributors.get(c, 0) < MIN_ORGANISATIONS for c in codes]
    published = suppress(
        [min(v, threshold - 1) if f and v else v for v, f in zip(values, few, strict=True)],
        threshold,
        additive=False,
    )
    for code, value, shown, f in zip(codes, values, published.cells, few, strict=True):
        hidden = shown is None or f
        result["rows"].append(
            {"code": code, "label": labels.get(code, code), "count": None if hidden else value}
        )
        if hidden and value:
            result["log"].append(
                {
                    "where": labels.get(code, code),
                    "why": "fewer than 3 organisations" if f else f"< {threshold}",
                }
            )
    return result


def overview_for(*, user: Any, organisation: Organisation, year: int) -> dict[str, Any]:
    """The overview for the auditor of a sector body; 404 for everyone else."""
    if not policy.has_role(user, organisation, Role.AUDITOR):
        raise Http404
    try:
        if not organisation.report_settings.is_sector_body:
            raise Http404
    except ReportSettings.DoesNotExist:
        raise Http404 from None
    result = overview(year)
    audit.record(
        user,
        "accountability.sector_viewed",
        organisation=organisation,
        object_type="accountability.sector",
        detail={"year": year, "participants": result["participants"]},
    )
    result.pop("log")
    return result
