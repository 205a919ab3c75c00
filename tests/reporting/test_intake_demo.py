"""The reporting demo data: realistic reports over two years, idempotent, a published receipt."""

from __future__ import annotations

import pytest

from intact.core.demo import build_organisation
from intact.core.demo_data import ORGANISATIONS
from intact.reporting import demo, services
from intact.reporting.models import Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("spec", ORGANISATIONS, ids=lambda s: s["slug"])
def test_demo_load(spec):
    result = build_organisation(spec, people=30, hooks=False)
    demo.demo_load(result.organisation, result.people)
    reports = list(Report.objects.filter(organisation=result.organisation))
    assert len(reports) >= 5
    years = {r.received_at.year for r in reports}
    assert len(years) == 2
    assert {r.status for r in reports} >= {"case_opened", "received"}
    # Idempotent.
    demo.demo_load(result.organisation, result.people)
    assert Report.objects.filter(organisation=result.organisation).count() == len(reports)
    # The published demo receipt opens the oldest report's mailbox.
    opened = services.mailbox_login(organisation=result.organisation, receipt=demo.DEMO_RECEIPTS[spec["slug"]])
    assert opened == min(reports, key=lambda r: r.received_at)
    assert opened.messages.exists()
