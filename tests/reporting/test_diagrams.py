"""Procedure diagrams: valid, accessible SVG generated from the configuration."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from intact.organisations.models import Role
from intact.reporting import diagrams, procedures
from intact.reporting.models import ReportType
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
NS = "{http://www.w3.org/2000/svg}"


def _svg(proc):
    return ET.fromstring(diagrams.procedure_svg(proc))


def test_every_default_procedure_is_valid_accessible_svg(org):
    for proc in procedures.procedure_list_current(organisation=org):
        root = _svg(proc)
        assert root.tag == f"{NS}svg" and root.get("role") == "img"
        ids = {el.get("id") for el in root.iter() if el.get("id")}
        assert set(root.get("aria-labelledby").split()) <= ids
        assert root.find(f"{NS}title").text == proc.name
        assert root.find(f"{NS}desc").text
        assert not [el for el in root.iter() if el.get("style") is not None or el.tag == f"{NS}script"]


def test_diagram_and_text_follow_the_steps(org):
    proc = procedures.procedure_current(organisation=org, report_type=ReportType.BUSINESS)
    texts = [t.text for t in _svg(proc).iter(f"{NS}text")]
    joined = " ".join(texts)
    assert "Leidinggevende" in joined and "Bevoegd gezag" in joined and "(wordt geïnformeerd)" in joined
    lines = diagrams.procedure_text(proc)
    assert len(lines) == 3
    assert "Leidinggevende" in lines[0] and "Geïnformeerd: Integriteitscoördinator" in lines[0]
    assert "Bevoegd gezag" in lines[1]
    # Three rungs plus the report box: one arrow per rung.
    assert len(list(_svg(proc).iter(f"{NS}polygon"))) == 3


def test_labels_are_escaped_and_edits_change_the_drawing(make_user):
    org = OrganisationFactory(slug="org-x")
    coordinator = make_user(org, Role.COORDINATOR)
    proc = procedures.procedure_current(organisation=org, report_type=ReportType.QUESTION)
    new = procedures.procedure_update(actor=coordinator, procedure=proc, steps=[
        procedures.StepSpec(position=1, kind="receive", role=Role.COUNSELLOR),
        procedures.StepSpec(position=2, kind="escalate", label_nl="<script>alert(1)</script> & Co"),
    ])
    svg = diagrams.procedure_svg(new)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    assert any("& Co" in (t.text or "") for t in root.iter(f"{NS}text"))
    assert len(list(root.iter(f"{NS}rect"))) == 3
