"""Document helpers: PDF/A (WeasyPrint), ODT (odfpy) and DOCX (python-docx).

Written for reuse (the accountability app can import them). Two ways in:

* :func:`render_pdf` ``(template_name, context) -> bytes`` renders a Django
  template to a tagged PDF/A-3b. Only local resources load: the URL fetcher
  refuses everything that is not a ``data:`` URL or a file under the static
  folders, and the fonts are the machine's own (DejaVu / Liberation via
  fontconfig), embedded in the PDF.
* A small document model — a list of blocks — rendered by :func:`build_odt`
  and :func:`build_docx` (and :func:`blocks_to_html` for the PDF and the
  preview)::

      doc = Document(title="Integriteitsplan", blocks=[
          Heading("Missie en visie", level=1),
          Paragraph("…"),
          BulletList(["…", "…"]),
          Table(header=["Maatregel", "Doel"], rows=[["Dilemmaspel", "12"]]),
          Meta([("Steller", "…"), ("Versie", "2")]),
          image_from_svg(svg_markup, alt="…", title="…"),  # a chart or diagram
      ])
      build_odt(doc) -> bytes ; build_docx(doc) -> bytes

  An :class:`Image` is a PNG with its text alternative: in ODT a
  ``draw:frame``/``draw:image`` with ``svg:title``/``svg:desc``, in DOCX an
  inline picture whose ``wp:docPr`` carries ``title`` and ``descr``, in HTML
  an ``<img alt>``. :func:`svg_to_png` renders our own SVG (CairoSVG, i.e.
  Debian's ``libcairo2``) so the SVG stays the one source of a drawing.

  ``html_to_odt(doc)`` is an alias of ``build_odt`` for callers that think in
  those terms.
"""

from __future__ import annotations

import base64
import io
import logging
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape

# --- the document model --------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str


@dataclass
class BulletList:
    items: list[str]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Meta:
    """Label–value pairs (a document's metadata block)."""

    pairs: list[tuple[str, str]]


@dataclass
class Image:
    """A picture (PNG) with its text alternative.

    ``alt`` states everything the picture shows (for a chart: every value);
    ``title`` is its short name. ``width_cm`` is the printed width; the
    height follows from the PNG's aspect ratio.
    """

    png: bytes
    alt: str
    title: str = ""
    width_cm: float = 16.0

    @property
    def pixel_size(self) -> tuple[int, int]:
        return png_size(self.png)

    @property
    def height_cm(self) -> float:
        w, h = self.pixel_size
        return round(self.width_cm * h / w, 2) if w else 0.0


Block = Heading | Paragraph | BulletList | Table | Meta | Image


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    language: str = "nl"
    subject: str = ""
    author: str = ""


logger = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Our SVGs are drawn for a 640 px wide column, i.e. 16.9 cm at CSS's 96 px per
# inch; rendered at 3x they print at about 300 dpi on a 16 cm wide image (A4
# with 2 cm margins leaves 17 cm).
SVG_SCALE = 3.0


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG (read from its IHDR chunk)."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("Not a PNG image.")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def svg_to_png(svg: str, *, scale: float = SVG_SCALE) -> bytes:
    """Render SVG markup to a PNG on a white background (CairoSVG).

    CairoSVG (>= 2.7) loads no external resource and resolves no XML entity
    unless asked (``unsafe=False``), so only what is in the markup is drawn.
    Text is drawn with the machine's fonts through cairo (DejaVu Sans, as in
    the PDF). The white background keeps dark text readable in viewers with a
    dark page colour.
    """
    import cairosvg

    return cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), scale=scale, background_color="white", unsafe=False
    )


def image_from_svg(svg: str, *, alt: str, title: str = "", width_cm: float = 16.0) -> Image | None:
    """An :class:`Image` of ``svg``, or None (logged) when the SVG cannot be rendered.

    A document must not fail because a drawing cannot be rendered (e.g. the
    cairo library is missing): callers keep the same information as text or a
    table next to the picture, so the document stays complete without it.
    """
    try:
        png = svg_to_png(svg)
    except Exception:  # OSError without libcairo, XML errors, cairo errors
        logger.exception("Could not render an SVG to PNG; the document goes without the picture.")
        return None
    return Image(png=png, alt=alt, title=title, width_cm=width_cm)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


# --- PDF ----------------------------------------------------------------------------------------


def _static_roots() -> list[Path]:
    roots = [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    roots.append(Path(__file__).resolve().parent.parent / "static")
    return [r.resolve() for r in roots]


def check_local_url(url: str) -> None:
    """Raise ValueError unless ``url`` is a data: URL or a file under the static folders."""
    if url.startswith("data:"):
        return
    if url.startswith("file://"):
        path = Path(url[len("file://") :].split("?", 1)[0]).resolve()
        if any(root == path or root in path.parents for root in _static_roots()):
            return
    raise ValueError(f"Refused to load {url!r}: documents use local resources only.")


def local_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that loads only data: URLs and files under the static folders."""
    from weasyprint.urls import URLFetcher

    class LocalURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            check_local_url(url)
            return super().fetch(url, headers)

    return LocalURLFetcher(allowed_protocols=("data", "file"))


_LEAN_HTML: Any = None


def _lean_html() -> Any:
    """WeasyPrint's ``HTML`` with a leaner user-agent stylesheet (same output for our documents).

    WeasyPrint's stylesheet styles ``::marker`` and five footnote/note
    pseudo-elements of *every* element, so each table cell carries six extra
    computed styles: for a report with a 2,000-row table that was a third of
    the layout time and ~90 MB. Markers are scoped to ``li``/``summary`` and
    the notes to a class nothing uses (documents use no footnotes). If a
    WeasyPrint upgrade changes those rules, the stock stylesheet is used.
    """
    global _LEAN_HTML
    if _LEAN_HTML is None:
        from weasyprint import CSS, HTML
        from weasyprint.css.counters import CounterStyle
        from weasyprint.html import UA

        ua = UA.replace("\n::marker {", "\nli::marker, summary::marker {")
        for name in (
            "footnote-call",
            "footnote-marker",
            "note-call",
            "note-marker",
            "note-callback",
        ):
            ua = ua.replace(f"\n::{name} {{", f"\n.intact-no-notes::{name} {{")
        # Its @counter-style rules are already in WeasyPrint's own UA counter styles
        # (which rendering uses); a fresh store keeps them from being "redefined".
        sheet = CSS(string=ua, counter_style=CounterStyle())

        class LeanHTML(HTML):
            def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
                return [sheet, *super()._ua_stylesheets(forms)[1:]]

        _LEAN_HTML = LeanHTML if hasattr(HTML, "_ua_stylesheets") else HTML
    return _LEAN_HTML


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """A tagged PDF/A-3b from an HTML string (local resources only).

    The cyclic garbage collector is paused meanwhile: WeasyPrint makes
    millions of small objects that all live until the PDF is written, and
    the collector rescanning them took a quarter of the time (2,000-row
    table: 4.2 → 3.1 s CPU, +5 MB). Reference counting frees as usual.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        document = _lean_html()(string=html, base_url=base_url, url_fetcher=local_url_fetcher())
        return document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Django template to a tagged PDF/A-3b (the one place for fonts and PDF/A)."""
    return html_to_pdf(render_to_string(template_name, context))


PDF_CSS = """
@page { size: A4; margin: 2cm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #111; }
h1 { font-size: 20pt; margin: 0 0 12pt; } h2 { font-size: 14pt; margin: 18pt 0 6pt; } h3 { font-size: 12pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 12pt; }
th, td { border: 0.5pt solid #777; padding: 3pt 5pt; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: bold; margin-bottom: 4pt; }
dl.meta { display: grid; } dl.meta dt { font-weight: bold; float: left; width: 9em; clear: left; } dl.meta dd { margin-left: 10em; }
"""


def _css_px(cm: float) -> int:
    return round(cm / 2.54 * 96)


def blocks_to_html(doc: Document) -> str:
    """The document as a complete, accessible HTML page (for the PDF)."""
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level + 1, 2), 6)
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.extend(f"<p>{escape(p)}</p>" for p in _paragraphs(block.text))
        elif isinstance(block, BulletList):
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
            parts.append(
                f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            )
        elif isinstance(block, Image):
            src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
            parts.append(
                f'<figure><img src="{src}" alt="{escape(block.alt)}" '
                f'width="{_css_px(block.width_cm)}" height="{_css_px(block.height_cm)}"></figure>'
            )
        elif isinstance(block, Meta):
            parts.append(
                '<dl class="meta">'
                + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in block.pairs)
                + "</dl>"
            )
    return (
        f'<!DOCTYPE html><html lang="{escape(doc.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(doc.title)}</title>"
        f'<meta name="author" content="{escape(doc.author)}">'
        f'<meta name="description" content="{escape(doc.subject)}">'
        f"<style>{PDF_CSS}</style></head><body><h1>{escape(doc.title)}</h1>"
        + "".join(parts)
        + "</body></html>"
    )


def build_pdf(doc: Document) -> bytes:
    return html_to_pdf(blocks_to_html(doc))


# --- ODT ----------------------------------------------------------------------------------------


def build_odt(doc: Document) -> bytes:
    """The document as OpenDocument Text (odfpy), with real headings, lists and tables."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P, Span

    odt = OpenDocumentText()
    odt.meta.addElement(_odf_meta_title(doc.title))
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    odt.automaticstyles.addElement(bold)
    heading_styles = {}
    for level, size in ((1, "20pt"), (2, "15pt"), (3, "12pt")):
        style = Style(
            name=f"Heading_20_{level}", displayname=f"Heading {level}", family="paragraph"
        )
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm"))
        odt.styles.addElement(style)
        heading_styles[level] = style
    col = Style(name="Col", family="table-column")
    col.addElement(TableColumnProperties(columnwidth="4cm"))
    odt.automaticstyles.addElement(col)
    pictures = 0

    def heading(text: str, level: int) -> None:
        level = min(max(level, 1), 3)
        odt.text.addElement(H(outlinelevel=level, stylename=heading_styles[level], text=text))

    heading(doc.title, 1)
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading(block.text, block.level + 1)
        elif isinstance(block, Paragraph):
            for p in _paragraphs(block.text):
                odt.text.addElement(P(text=p))
        elif isinstance(block, BulletList):
            items = List()
            for item in block.items:
                li = ListItem()
                li.addElement(P(text=item))
                items.addElement(li)
            odt.text.addElement(items)
        elif isinstance(block, Image):
            pictures += 1
            odt.text.addElement(_odf_picture(odt, block, pictures))
        elif isinstance(block, (Table, Meta)):
            header, rows = (
                (block.header, block.rows)
                if isinstance(block, Table)
                else ([], [[k, v] for k, v in block.pairs])
            )
            if isinstance(block, Table) and block.caption:
                odt.text.addElement(P(text=block.caption))
            width = max([len(header)] + [len(r) for r in rows] + [1])
            table = OdfTable()
            for _i in range(width):
                table.addElement(TableColumn(stylename=col))
            for index, row in enumerate(([header] if header else []) + rows):
                tr = TableRow()
                for cell in row:
                    tc = TableCell()
                    para = P()
                    if index == 0 and header:
                        para.addElement(Span(stylename=bold, text=str(cell)))
                    else:
                        para.addText(str(cell))
                    tc.addElement(para)
                    tr.addElement(tc)
                table.addElement(tr)
            odt.text.addElement(table)
    out = io.BytesIO()
    odt.write(out)
    return out.getvalue()


def _odf_picture(odt: Any, image: Image, number: int) -> Any:
    """A paragraph holding the picture as a frame, stored in the package under Pictures/.

    Only the PNG goes into the package, not the SVG beside it (ODF 1.2+
    allows several ``draw:image`` in one frame, the first the reader supports
    being used). One raster at ~300 dpi looks and prints the same in
    LibreOffice, Word and every other reader, and matches the DOCX; an SVG
    first with the PNG as fallback would give LibreOffice sharper lines, but
    readers that take the first image without checking its type show
    nothing. The SVG stays the source: the PNG is rendered from it.
    """
    from odf.draw import Frame
    from odf.draw import Image as DrawImage
    from odf.svg import Desc, Title
    from odf.text import P

    href = odt.addPicture(f"Pictures/image{number}.png", mediatype="image/png", content=image.png)
    frame = Frame(
        name=f"Afbeelding{number}",
        anchortype="as-char",
        width=f"{image.width_cm:.2f}cm",
        height=f"{image.height_cm:.2f}cm",
    )
    frame.addElement(DrawImage(href=href, type="simple", show="embed", actuate="onLoad"))
    # svg:title and svg:desc of the frame are the picture's alternative text
    # (LibreOffice: Properties > Options > Text Alternative; read out by screen readers).
    if image.title:
        frame.addElement(Title(text=image.title))
    frame.addElement(Desc(text=image.alt))
    para = P()
    para.addElement(frame)
    return para


def _odf_meta_title(title: str) -> Any:
    from odf.dc import Title

    return Title(text=title)


html_to_odt = build_odt


def odt_text(data: bytes) -> str:
    """All text of an ODT file (for tests and checks)."""
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    document = load(io.BytesIO(data))
    lines = [teletype.extractText(e) for e in document.getElementsByType(H)]
    lines += [teletype.extractText(e) for e in document.getElementsByType(P)]
    return "\n".join(lines)


# --- DOCX ---------------------------------------------------------------------------------------


def build_docx(doc: Document) -> bytes:
    """The document as Office Open XML (python-docx) with built-in heading and list styles."""
    import docx

    word = docx.Document()
    word.core_properties.title = doc.title
    word.core_properties.author = doc.author
    word.core_properties.subject = doc.subject
    word.core_properties.language = doc.language
    word.add_heading(doc.title, level=0)
    for block in doc.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(max(block.level, 1), 4))
        elif isinstance(block, Paragraph):
            for p in _paragraphs(block.text):
                word.add_paragraph(p)
        elif isinstance(block, BulletList):
            for item in block.items:
                word.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Image):
            _docx_picture(word, block)
        elif isinstance(block, (Table, Meta)):
            header, rows = (
                (block.header, block.rows)
                if isinstance(block, Table)
                else ([], [[k, v] for k, v in block.pairs])
            )
            if isinstance(block, Table) and block.caption:
                word.add_paragraph(block.caption, style="Caption")
            width = max([len(header)] + [len(r) for r in rows] + [1])
            table = word.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for index, row in enumerate(([header] if header else []) + rows):
                cells = table.add_row().cells
                for i, value in enumerate(row):
                    cells[i].text = str(value)
                    if index == 0 and header:
                        for run in cells[i].paragraphs[0].runs:
                            run.bold = True
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _docx_picture(word: Any, image: Image) -> None:
    """An inline picture in its own paragraph, with its alternative text on ``wp:docPr``."""
    from docx.shared import Cm

    shape = word.add_picture(io.BytesIO(image.png), width=Cm(image.width_cm))
    # Word shows and reads out docPr/@descr as the alt text; @title is its short name.
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", image.alt)
    if image.title:
        doc_pr.set("title", image.title)


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a DOCX file (for tests and checks)."""
    import docx

    word = docx.Document(io.BytesIO(data))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)
