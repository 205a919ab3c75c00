"""Charts and procedure diagrams of the annual report as pictures in ODT and DOCX.

The report is generated from data made in the test, so that its charts
exist; the ODT is opened as a zip (content.xml, manifest) and with odfpy,
the DOCX with python-docx; the PNGs are checked with Pillow.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image as PILImage

from intact.accountability import charts, documents, selectors
from intact.accountability.report import Svg
from intact.cases import selectors as case_selectors
from intact.cases import services as case_services
from intact.learning import services as learning_services
from intact.learning.models import ConversationTopic
from intact.policy import documents as docs
from tests.cases.factories import register_case

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1
ODF_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
ODF_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
ODF_XLINK = "{http://www.w3.org/1999/xlink}"
ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
CONVERSATIONS = (("integrity", 6), ("work_conflict", 9))


@pytest.fixture
def data(org, coordinator):
    """Last year: 8 bullying cases and 6 financial ones; 6 + 9 counsellor conversations."""
    cats = {c.code: c for c in case_selectors.categories_for(org)}
    for code, n in (("bullying", 8), ("financial", 6)):
        for i in range(n):
            case = register_case(org, coordinator, received_on=dt.date(YEAR, 3, 1 + i))
            case_services.case_update(case=case, user=coordinator, categories=[cats[code]])
    learning_services.organisation_defaults_ensure(organisation=org)
    topics = {t.code: t for t in ConversationTopic.objects.filter(organisation=org)}
    for code, n in CONVERSATIONS:
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


def _svgs(rep):
    return [b for b in rep.blocks if isinstance(b, Svg)]


def _chart(rep, key):
    return next(b for b in _svgs(rep) if b.fallback == key)


def _topic_rows(rep):
    table = next(t for t in rep.tables if t.key == "conversations_by_topic")
    return {r[0]: r[1] for r in table.rows}


def _png(data: bytes) -> PILImage.Image:
    img = PILImage.open(io.BytesIO(data))
    img.load()
    assert img.format == "PNG"
    return img


def _expected_png_size(svg: Svg) -> tuple[int, int]:
    root = ElementTree.fromstring(svg.markup)
    _x, _y, w, h = (float(v) for v in root.get("viewBox").split())
    return round(w * docs.SVG_SCALE), round(h * docs.SVG_SCALE)


def test_report_has_charts_whose_desc_states_every_value(data, coordinator):
    rep = selectors.report_build(data, YEAR, edition="internal")
    chart = _chart(rep, "conversations_by_topic")
    title, alt = documents.svg_alt_text(chart)
    assert title == "Gesprekken met vertrouwenspersonen per onderwerp"
    rows = _topic_rows(rep)
    for label, count in rows.items():
        if label != "Totaal":
            assert f"{label}: {count}" in alt
    assert "Arbeidsconflict: 9" in alt


def test_odt_embeds_every_chart_and_diagram_as_png_with_alt_text(data, coordinator):
    from odf import table as odf_table
    from odf import teletype
    from odf.opendocument import load

    rep = selectors.report_build(data, YEAR, edition="internal")
    svgs = _svgs(rep)
    assert any(s.fallback for s in svgs)  # there are charts
    data_odt = documents.render(rep, "odt")
    with zipfile.ZipFile(io.BytesIO(data_odt)) as zf:
        content = ElementTree.fromstring(zf.read("content.xml"))
        manifest = zf.read("META-INF/manifest.xml").decode()
        frames = list(content.iter(f"{ODF_DRAW}frame"))
        assert len(frames) == len(svgs)
        for svg, frame in zip(svgs, frames, strict=True):
            title, alt = documents.svg_alt_text(svg)
            assert frame.findtext(f"{ODF_SVG}title") == title
            assert frame.findtext(f"{ODF_SVG}desc") == alt
            href = frame.find(f"{ODF_DRAW}image").get(f"{ODF_XLINK}href")
            assert f'manifest:full-path="{href}"' in manifest
            img = _png(zf.read(href))
            assert img.size == _expected_png_size(svg)
            assert frame.get(f"{ODF_SVG}width") == "16.00cm"
            height = float(frame.get(f"{ODF_SVG}height").removesuffix("cm"))
            assert height == pytest.approx(16 * img.height / img.width, abs=0.01)
        topic_frame = frames[svgs.index(_chart(rep, "conversations_by_topic"))]
        assert "Arbeidsconflict: 9" in topic_frame.findtext(f"{ODF_SVG}desc")
    # the data tables are still there and read back
    odt = load(io.BytesIO(data_odt))
    cells = [
        [teletype.extractText(c) for c in tr.getElementsByType(odf_table.TableCell)]
        for tr in odt.getElementsByType(odf_table.TableRow)
    ]
    assert ["Arbeidsconflict", "9"] in cells and ["Totaal", "15"] in cells


def test_docx_embeds_every_chart_and_diagram_as_picture_with_alt_text(data, coordinator):
    import docx
    from docx.shared import Cm

    rep = selectors.report_build(data, YEAR, edition="internal")
    svgs = _svgs(rep)
    word = docx.Document(io.BytesIO(documents.render(rep, "docx")))
    shapes = list(word.inline_shapes)
    assert len(shapes) == len(svgs)
    for svg, shape in zip(svgs, shapes, strict=True):
        title, alt = documents.svg_alt_text(svg)
        doc_pr = shape._inline.find(f"{WP}docPr")
        assert doc_pr.get("title") == title
        assert doc_pr.get("descr") == alt
        blob = word.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
        img = _png(blob.blob)
        assert img.size == _expected_png_size(svg)
        assert abs(shape.width - Cm(16)) < Cm(0.01)
        assert shape.height == pytest.approx(shape.width * img.height / img.width, rel=0.01)
    topic_shape = shapes[svgs.index(_chart(rep, "conversations_by_topic"))]
    assert "Integriteit: 6" in topic_shape._inline.find(f"{WP}docPr").get("descr")
    rows = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
    assert ["Arbeidsconflict", "9"] in rows and ["Totaal", "15"] in rows


def test_public_edition_alt_text_says_fewer_than_not_the_number(org, coordinator):
    """A suppressed value is not in the picture's alt text either."""
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
    rep = selectors.report_build(org, YEAR, edition="public")
    _title, alt = documents.svg_alt_text(_chart(rep, "conversations_by_topic"))
    assert "Integriteit: minder dan 5" in alt and "Integriteit: 2" not in alt


def test_chart_png_is_not_blank_bars_are_drawn():
    svg = Svg(
        charts.bar_chart(
            chart_id="c", title="Proef", rows=[("Groot", 10), ("Klein", 5), ("Verborgen", None)]
        ),
        title="Proef",
        fallback="proef",
    )
    img = _png(docs.svg_to_png(svg.markup)).convert("RGB")
    scale = docs.SVG_SCALE
    bar_colour = tuple(int(charts.BAR[i : i + 2], 16) for i in (1, 3, 5))

    def px(x, y):
        return img.getpixel((round(x * scale), round(y * scale)))

    # rows start at y=34 and are 24 high; bars start at x=260 and are at most 300 wide
    assert px(260 + 150, 34 + 12) == bar_colour  # middle of the longest bar
    assert px(260 + 100, 34 + 24 + 12) == bar_colour  # inside the half-length bar
    assert px(260 + 200, 34 + 24 + 12) == (255, 255, 255)  # past its end: background
    assert px(260 + 150, 34 + 48 + 12) != bar_colour  # the suppressed row has no bar
    dark = sum(img.convert("L").histogram()[:100])  # pixels darker than 100 of 255
    assert dark > img.width * img.height * 0.02


def _struct_alts(pdf):
    """(structure type, alternative text) of every structure element of a tagged PDF."""
    import pikepdf

    out = []

    def walk(node):
        if not isinstance(node, pikepdf.Dictionary):
            return
        if "/S" in node:
            out.append((str(node.S), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                walk(kid)
        else:
            walk(kids)

    walk(pdf.Root.StructTreeRoot)
    return out


def test_pdf_figures_are_tagged_with_alt_text_stating_the_values(data, coordinator):
    import pikepdf

    rep = selectors.report_build(data, YEAR, edition="internal")
    svgs = _svgs(rep)
    with pikepdf.open(io.BytesIO(documents.render(rep, "pdf"))) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "3"
        figures = [alt for kind, alt in _struct_alts(pdf) if kind == "/Figure"]
    assert figures == [documents.svg_alt_text(s)[1] for s in svgs]
    assert any("Arbeidsconflict: 9" in alt for alt in figures)
    # the HTML file keeps the SVG inline (labelled by its title and desc)
    html = documents.to_html(rep)
    assert html.count("<svg") == len(svgs) and "data:image/svg+xml" not in html
