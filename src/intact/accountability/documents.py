"""Render a :class:`report.Report` to HTML, PDF/A, ODT, DOCX, XLSX, CSV (zip) and JSON.

PDF, ODT and DOCX reuse the policy app's document helpers (one place for
fonts, PDF/A-3b and tagging). Charts and procedure diagrams are SVG in HTML
and PDF; in ODT and DOCX the same SVG is rendered to a PNG (CairoSVG,
``policy.documents.image_from_svg``) and embedded as a picture whose
alternative text is the SVG's title and description (for a chart: every
value). Every chart keeps its data table right above it, in every format.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from typing import Any
from xml.etree import ElementTree

from django.utils.html import escape
from django.utils.safestring import mark_safe

from intact.accountability.report import Report, Svg
from intact.policy import documents as docs

FORMATS = ("html", "pdf", "odt", "docx", "xlsx", "csv", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "json": "application/json",
}
EXTENSIONS = {f: ("zip" if f == "csv" else f) for f in FORMATS}


def _figure_html(block: Svg, *, svg_as_img: bool) -> str:
    """A chart or diagram: the SVG inline, or (for the PDF) as an image whose alt says it all.

    WeasyPrint tags an inline SVG as a Figure whose alternative text is only
    the SVG's ``<title>``; an ``<img>`` of the same SVG (still drawn as
    vectors) gets its ``alt`` — the title and the desc that states every
    value — as the Figure's alternative text in the tagged PDF.
    """
    if not svg_as_img:
        return f'<figure class="intact-figure">{block.markup}</figure>'
    _title, alt = svg_alt_text(block)
    src = "data:image/svg+xml;base64," + base64.b64encode(block.markup.encode()).decode("ascii")
    return f'<figure class="intact-figure"><img src="{src}" alt="{escape(alt)}"></figure>'


def body_html(report: Report, *, svg_as_img: bool = False) -> str:
    """The report's body as HTML (headings start at h2; the page has the h1)."""
    parts: list[str] = []
    plain: list[Any] = []

    def flush() -> None:
        if plain:
            html = docs.blocks_to_html(docs.Document(title="", blocks=list(plain)))
            parts.append(html.split("<body><h1></h1>", 1)[1].rsplit("</body>", 1)[0])
            plain.clear()

    for block in report.blocks:
        if isinstance(block, Svg):
            flush()
            parts.append(_figure_html(block, svg_as_img=svg_as_img))
        else:
            plain.append(block)
    flush()
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts and our own SVG


# Tables in 9pt with tighter cells: a long table (the investigated cases) takes
# less than half the pages, and WeasyPrint's time and memory grow with pages.
REPORT_CSS = (
    " figure { margin: 6pt 0; } th, td { font-size: 9pt; line-height: 1.25; padding: 2pt 4pt; }"
)


def to_html(report: Report, *, svg_as_img: bool = False) -> str:
    return (
        f'<!DOCTYPE html><html lang="{report.language}"><head><meta charset="utf-8">'
        f"<title>{escape(report.title)}</title><style>{docs.PDF_CSS}{REPORT_CSS}</style>"
        f"</head><body><main><h1>{escape(report.title)}</h1>{body_html(report, svg_as_img=svg_as_img)}</main></body></html>"
    )


def to_pdf(report: Report) -> bytes:
    return docs.html_to_pdf(to_html(report, svg_as_img=True))


SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_alt_text(svg: Svg) -> tuple[str, str]:
    """The title and the alternative text of a chart or diagram, from its SVG.

    Both :mod:`charts` and ``reporting.diagrams`` put a ``<title>`` and a
    ``<desc>`` in the SVG (the desc of a chart states every value, that of a
    diagram every step); the picture in ODT/DOCX gets the same words, so
    there is one source for what a screen reader says.
    """
    title, desc = svg.title, ""
    try:
        root = ElementTree.fromstring(svg.markup)  # noqa: S314 - our own generated SVG
    except ElementTree.ParseError:
        return title, title
    title = (root.findtext(f"{SVG_NS}title") or title).strip()
    desc = (root.findtext(f"{SVG_NS}desc") or "").strip()
    return title, f"{title}. {desc}" if desc else title


def _picture(block: Svg) -> docs.Image | None:
    title, alt = svg_alt_text(block)
    return docs.image_from_svg(block.markup, alt=alt, title=title)


def _plain_doc(report: Report) -> docs.Document:
    """The report as the policy app's document model: each SVG becomes a picture.

    A chart follows its data table and a procedure diagram follows the list
    of its steps, so if a picture cannot be rendered the text is still there.
    """
    blocks: list[Any] = []
    for block in report.blocks:
        if isinstance(block, Svg):
            picture = _picture(block)
            if picture is not None:
                blocks.append(picture)
            continue
        blocks.append(block)
    return docs.Document(title=report.title, blocks=blocks, subject=report.title)


def to_odt(report: Report) -> bytes:
    return docs.build_odt(_plain_doc(report))


def to_docx(report: Report) -> bytes:
    return docs.build_docx(_plain_doc(report))


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Tabel"
    base, i = name, 2
    while name in used:
        name = f"{base[:28]} {i}"
        i += 1
    used.add(name)
    return name


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in report.tables:
        ws = wb.create_sheet(_sheet_name(table.title, used))
        ws.append([str(h) for h in table.header])
        for row in table.rows:
            ws.append([c if isinstance(c, (int, float)) else str(c) for c in row])
    if not report.tables:
        wb.create_sheet("Leeg")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_csv_zip(report: Report) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in report.tables:
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow([str(h) for h in table.header])
            writer.writerows([[str(c) for c in row] for row in table.rows])
            zf.writestr(f"{table.key}.csv", buf.getvalue().encode("utf-8-sig"))
    return out.getvalue()


def to_json(report: Report) -> bytes:
    return json.dumps(report.figures, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def render(report: Report, fmt: str) -> bytes:
    """``report`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "html":
        return to_html(report).encode("utf-8")
    return {
        "pdf": to_pdf,
        "odt": to_odt,
        "docx": to_docx,
        "xlsx": to_xlsx,
        "csv": to_csv_zip,
        "json": to_json,
    }[fmt](report)
