"""The document helpers: PDF/A-3b tagged (read back with pikepdf), ODT and DOCX read back as text."""

import io

import pikepdf
import pytest

from intact.policy import documents, exports
from tests.policy.factories import SECTIONS, PlanVersionFactory

pytestmark = pytest.mark.django_db


def _doc():
    return documents.Document(
        title="Testdocument",
        blocks=[
            documents.Heading("Hoofdstuk één"),
            documents.Paragraph("Eerste alinea.\n\nTweede alinea."),
            documents.BulletList(["punt a", "punt b"]),
            documents.Table(
                header=["Maatregel", "Doel"], rows=[["Dilemmaspel", "12"]], caption="Tabel"
            ),
            documents.Meta([("Steller", "Coördinator")]),
        ],
    )


def test_pdf_is_pdfa_3b_and_tagged():
    data = documents.build_pdf(_doc())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        assert fonts
        for font in fonts:
            descriptor = (
                font.DescendantFonts[0].FontDescriptor
                if "/DescendantFonts" in font
                else font.FontDescriptor
            )
            assert any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )  # embedded


def test_odt_and_docx_read_back():
    odt = documents.odt_text(documents.build_odt(_doc()))
    docx = documents.docx_text(documents.build_docx(_doc()))
    for text in (odt, docx):
        assert "Testdocument" in text and "Hoofdstuk één" in text and "Tweede alinea." in text
        assert "punt b" in text and "Dilemmaspel" in text and "Coördinator" in text


def test_fetcher_refuses_remote_resources():
    with pytest.raises(ValueError):
        documents.check_local_url("https://example.org/font.woff2")
    with pytest.raises(ValueError):
        documents.check_local_url("file:///etc/passwd")


def test_render_pdf_from_template():
    data = documents.render_pdf(
        "policy/includes/status.html", {"row": {"status": "done", "status_label": "Gereed"}}
    )
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "3"


def test_plan_export_has_metadata_and_sections(org):
    version = PlanVersionFactory(plan__organisation=org, sections={**SECTIONS, "resources": ""})
    for fmt in ("odt", "docx"):
        content, _type = exports.plan_export(version, fmt)
        text = documents.odt_text(content) if fmt == "odt" else documents.docx_text(content)
        assert "Integriteitsplan 2025-2028" in text
        assert (
            "Steller" in text and "Looptijd" in text and "College van Gedeputeerde Staten" in text
        )
        assert "1. Missie en visie" in text and "7. Samenhang en middelen" in text
        assert SECTIONS["values"] in text
        assert "Financiën en beschikbare fte" in text  # an empty section shows its guidance
    pdf, content_type = exports.plan_export(version, "pdf")
    assert content_type == "application/pdf"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.open_metadata()["pdfaid:part"] == "3"
