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
      ])
      build_odt(doc) -> bytes ; build_docx(doc) -> bytes

  ``html_to_odt(doc)`` is an alias of ``build_odt`` for callers that think in
  those terms.
"""

from __future__ import annotations

import io
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


Block = Heading | Paragraph | BulletList | Table | Meta


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    language: str = "nl"
    subject: str = ""
    author: str = ""


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


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """A tagged PDF/A-3b from an HTML string (local resources only)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=local_url_fetcher()).write_pdf(
        pdf_variant="pdf/a-3b", pdf_tags=True
    )


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


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a DOCX file (for tests and checks)."""
    import docx

    word = docx.Document(io.BytesIO(data))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)
