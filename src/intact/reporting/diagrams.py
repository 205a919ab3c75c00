"""Procedure diagrams: accessible SVG generated on the server from the configuration.

Each procedure is drawn top to bottom: the report, then each position of the
ladder as a row of boxes (solid: receives or escalates to; dashed, and
labelled as such: is informed), joined by arrows. The SVG carries a
``<title>`` and ``<desc>`` and is labelled by them; the page shows a text
list of the same steps next to it (``procedure_text``), so nothing depends
on seeing the drawing or on colour. No script, no style attributes (CSP).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from intact.reporting.procedures import steps_by_position

WIDTH = 640
BOX_H = 48
ROW_GAP = 40
MARGIN = 16
MAX_CHARS = 34


def _wrap(text: str, limit: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) > limit and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines[:2] or [""]


def _box(x: float, y: float, w: float, label: str, *, dashed: bool, note: str = "") -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    fill = "#ffffff" if dashed else "#e8f0fb"
    parts = [
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{BOX_H}" rx="6" '
        f'fill="{fill}" stroke="#1a1a1a" stroke-width="1.5"{dash}/>'
    ]
    lines = _wrap(label, max(8, int(w / 8)))
    if note:
        lines = lines[:1] + [note]
    top = y + BOX_H / 2 - (len(lines) - 1) * 8 + 5
    for i, line in enumerate(lines):
        parts.append(
            f'<text x="{x + w / 2:.0f}" y="{top + i * 16:.0f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="14" fill="#1a1a1a">{escape(line)}</text>'
        )
    return "".join(parts)


def _arrow(x: float, y1: float, y2: float) -> str:
    return (
        f'<line x1="{x:.0f}" y1="{y1:.0f}" x2="{x:.0f}" y2="{y2 - 8:.0f}" stroke="#1a1a1a" stroke-width="2"/>'
        f'<polygon points="{x - 6:.0f},{y2 - 10:.0f} {x + 6:.0f},{y2 - 10:.0f} {x:.0f},{y2:.0f}" fill="#1a1a1a"/>'
    )


def procedure_text(procedure: Any) -> list[str]:
    """The procedure as sentences, one per position (the diagram's text alternative)."""
    out = []
    for row in steps_by_position(procedure):
        receivers = [s.label for s in row["receive"]]
        escalates = [s.label for s in row["escalate"]]
        informed = [s.label for s in row["inform"]]
        if receivers:
            sentence = _("Trede %(n)s: de melding komt binnen bij %(who)s.") % {
                "n": row["position"],
                "who": _(" of ").join(receivers),
            }
        elif escalates:
            sentence = _("Trede %(n)s: zo nodig verder naar %(who)s.") % {
                "n": row["position"],
                "who": _(" of ").join(escalates),
            }
        else:
            sentence = _("Trede %(n)s.") % {"n": row["position"]}
        if informed:
            sentence += " " + _("Geïnformeerd: %(who)s.") % {"who": ", ".join(informed)}
        out.append(sentence)
    return out


def procedure_svg(procedure: Any, *, id_prefix: str | None = None) -> str:
    """The procedure as an accessible SVG string (safe to mark safe: all text is escaped)."""
    prefix = id_prefix or f"proc-{procedure.pk}"
    rows = steps_by_position(procedure)
    inner_w = WIDTH - 2 * MARGIN
    y = MARGIN
    body: list[str] = []
    body.append(_box(MARGIN + inner_w / 4, y, inner_w / 2, _("Melding"), dashed=False))
    prev_bottom = y + BOX_H
    y += BOX_H + ROW_GAP
    for row in rows:
        main = row["receive"] + row["escalate"]
        informed = row["inform"]
        boxes = [(s.label, False, "") for s in main] + [
            (s.label, True, _("(wordt geïnformeerd)")) for s in informed
        ]
        if not boxes:
            continue
        body.append(_arrow(WIDTH / 2, prev_bottom, y))
        gap = 12
        w = (inner_w - gap * (len(boxes) - 1)) / len(boxes)
        for i, (label, dashed, note) in enumerate(boxes):
            body.append(_box(MARGIN + i * (w + gap), y, w, label, dashed=dashed, note=note))
        prev_bottom = y + BOX_H
        y += BOX_H + ROW_GAP
    height = y - ROW_GAP + MARGIN
    title = escape(procedure.name)
    desc = escape(" ".join(procedure_text(procedure)))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'class="intact-diagram" role="img" aria-labelledby="{prefix}-title {prefix}-desc" focusable="false">'
        f'<title id="{prefix}-title">{title}</title><desc id="{prefix}-desc">{desc}</desc>'
        + "".join(body)
        + "</svg>"
    )
