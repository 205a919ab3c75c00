"""The registers' API: writes through the same services, with the same rules as the pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intact.registers.models import CodeAcknowledgement, Commitment, OutsideActivity
from tests.registers.factories import CodeVersionFactory

pytestmark = pytest.mark.django_db


def api(name, world, **kw):
    return reverse(f"registers_api:{name}", kwargs={"slug": world.org.slug, **kw})


def test_declare_assess_and_reconfirm_through_the_api(world, login):
    c = login(world.employee)
    r = c.post(
        api("outside-activities", world),
        {
            "description": "Trainer",
            "for_whom": "Club",
            "hours_per_month": "4.0",
            "paid": False,
            "conflict_possible": False,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["person"]["id"] == world.employee_p.pk
    # the employee cannot assess, not even their own
    assert (
        c.post(
            api("outside-activity-assessment", world, pk=pk),
            {"outcome": "allowed", "reasons": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    # the manager of another unit's coordinator... the colleague's manager scope does not include it
    m = login(world.manager)
    bad = m.post(
        api("outside-activity-assessment", world, pk=pk),
        {"outcome": "allowed_with_conditions", "reasons": "ok"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    ok = m.post(
        api("outside-activity-assessment", world, pk=pk),
        {"outcome": "allowed", "reasons": "Geen raakvlak"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "allowed"
    c = login(world.employee)
    assert c.post(api("outside-activity-confirmation", world, pk=pk)).status_code == 200
    assert OutsideActivity.objects.get(pk=pk).last_confirmed_on == dt.date.today()
    mine = c.get(api("my-integrity", world)).json()
    assert mine["outside_activities"][0]["status"] == "allowed"
    assert mine["report_url"] == f"/o/{world.org.slug}/melden/"


def test_gift_decision_and_financial_review_roles(world, login):
    c = login(world.colleague)
    gift = c.post(
        api("gifts", world),
        {
            "kind": "gift",
            "giver": "X",
            "occasion": "Y",
            "estimated_value": "75.00",
            "received_on": "2025-12-01",
        },
        content_type="application/json",
    ).json()
    assert gift["needs_approval"] and gift["decision"] == "pending"
    # the colleague is in unit B: not the manager of unit A's business
    assert (
        login(world.manager)
        .post(
            api("gift-decision", world, pk=gift["id"]),
            {"decision": "keep"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert (
        login(world.coordinator)
        .post(
            api("gift-decision", world, pk=gift["id"]),
            {"decision": "hand_in"},
            content_type="application/json",
        )
        .json()["decision"]
        == "hand_in"
    )

    fin = (
        login(world.employee)
        .post(
            api("financial-declarations", world),
            {"kind": "interest", "details": "Aandelen"},
            content_type="application/json",
        )
        .json()
    )
    assert (
        login(world.manager)
        .post(
            api("financial-declaration-review", world, pk=fin["id"]),
            {"status": "no_objection"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert (
        login(world.coordinator)
        .post(
            api("financial-declaration-review", world, pk=fin["id"]),
            {"status": "no_objection"},
            content_type="application/json",
        )
        .status_code
        == 200
    )


def test_oaths_ceremony_code_and_counts(world, login):
    k = login(world.coordinator)
    rows = k.get(api("oaths", world) + "?state=overdue").json()
    assert world.employee_p.pk in {r["person"]["id"] for r in rows}
    r = k.post(
        api("oath-ceremonies", world),
        {
            "people": [world.employee_p.pk, world.colleague_p.pk],
            "taken_on": "2025-03-04",
            "witness": "W",
            "sworn_before": "S",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json() == {"registered": 2}
    assert Commitment.objects.count() == 2
    # a manager cannot hold ceremonies
    assert (
        login(world.manager)
        .post(
            api("oath-ceremonies", world),
            {"people": [world.manager_p.pk], "taken_on": "2025-03-04"},
            content_type="application/json",
        )
        .status_code
        == 404
    )

    code = CodeVersionFactory(organisation=world.org, adopted_on=dt.date(2025, 1, 1))
    old = CodeVersionFactory(organisation=world.org, adopted_on=dt.date(2020, 1, 1))
    e = login(world.employee)
    assert e.post(api("code-acknowledgements", world, pk=old.pk)).status_code == 409
    assert e.post(api("code-acknowledgements", world, pk=code.pk)).status_code == 201
    assert CodeAcknowledgement.objects.filter(version=code).count() == 1
    counts = login(world.auditor).get(api("register-counts", world) + "?year=2025").json()
    assert counts["oaths_taken"] == 2
    rates = login(world.auditor).get(api("code-rates", world)).json()
    assert sum(u["acknowledged"] for u in rates) == 1


def test_code_version_with_a_file_is_stored_encrypted(world, login):
    from django.core.files.storage import default_storage

    k = login(world.coordinator)
    pdf = b"%PDF-1.4 GEDRAGSCODE-MARKER"
    r = k.post(
        reverse("registers:code_new", kwargs={"org": world.org.slug}),
        {
            "title": "Gedragscode",
            "version": "2026.1",
            "adopted_on": "2026-01-01",
            "text": "",
            "file": SimpleUploadedFile("code.pdf", pdf, "application/pdf"),
        },
    )
    assert r.status_code == 302
    from intact.registers.models import CodeVersion

    code = CodeVersion.objects.get(version="2026.1")
    with default_storage.open(code.file.storage_name, "rb") as fh:
        assert b"GEDRAGSCODE-MARKER" not in fh.read()
    download = login(world.employee).get(
        reverse("registers:code_file", kwargs={"org": world.org.slug, "pk": code.pk})
    )
    assert download.status_code == 200 and download.content == pdf
    assert (
        login(world.outsider)
        .get(reverse("registers:code_file", kwargs={"org": world.org.slug, "pk": code.pk}))
        .status_code
        == 404
    )
