"""Accessible SVG charts generated on the server (no JavaScript, no external resources).

Each chart carries ``role="img"``, a ``<title>`` and a ``<desc>`` that states
every value, so a screen reader gets the same information; the same figures
are always in a table next to the chart. HTML and PDF carry the SVG; ODT and
DOCX a PNG rendered from it (``policy.documents.svg_to_png``) whose
alternative text is this title and desc. Text is set in DejaVu Sans, the
font of the PDF, which cairo finds through fontconfig.
"""

from __future__ import annotations

from django.utils.html import escape

BAR = "#1f4e79"


def bar_chart(
    *, chart_id: str, title: str, rows: list[tuple[str, int | None]], note_suppressed: str = ""
) -> str:
    """A horizontal bar chart; a row with value None (suppressed) gets no bar but ``note_suppressed``."""
    width, label_w, bar_w, row_h = 640, 260, 300, 24
    height = 40 + row_h * max(len(rows), 1)
    top = max([v for _label, v in rows if v is not None] + [1])
    desc = "; ".join(
        f"{label}: {value if value is not None else note_suppressed}" for label, value in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-t {chart_id}-d" class="intact-chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        f'<text x="0" y="18" font-family="DejaVu Sans, sans-serif" font-size="14" font-weight="bold" fill="#111">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(rows):
        y = 34 + i * row_h
        parts.append(
            f'<text x="0" y="{y + 15}" font-family="DejaVu Sans, sans-serif" font-size="12" fill="#111">{escape(label[:40])}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w}" y="{y + 15}" font-family="DejaVu Sans, sans-serif" font-size="12" fill="#111">{escape(note_suppressed)}</text>'
            )
            continue
        w = round(bar_w * value / top) if top else 0
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 8}" fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{label_w + w + 6}" y="{y + 15}" font-family="DejaVu Sans, sans-serif" font-size="12" fill="#111">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
