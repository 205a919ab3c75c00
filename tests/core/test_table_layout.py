"""Wide tables must not widen the page on a 390px phone.

QA found the people, roles, organs, audit, register and report tables pushing
the whole page sideways on a phone. Every table in the templates of these apps
sits in an ``intact-table-scroll`` box (it scrolls by itself), or is an
``intact-table-stack`` table (its rows stack), or is a partial that its
including template wraps.
"""

from __future__ import annotations

import re
from pathlib import Path

import intact

SRC = Path(intact.__file__).parent
TEMPLATE_DIRS = [
    *(SRC / app / "templates" for app in ("security", "organisations", "core", "registers", "learning", "cases")),
    SRC / "reporting" / "templates" / "reporting" / "staff",
]
# Partials whose including template provides the scroll box.
WRAPPED_BY_INCLUDER = {"reporting/includes/terms_table.html": "reporting/staff/detail.html"}


def _tables_outside_a_box(text: str) -> int:
    bad = 0
    for match in re.finditer(r"<table\b[^>]*>", text):
        if "intact-table-stack" in match.group(0):
            continue
        before = text[: match.start()]
        opened = before.rfind('<div class="intact-table-scroll">')
        if opened == -1 or before.rfind("</table>") > opened or before.count("</div>", opened) > 0:
            bad += 1
    return bad


def test_every_table_scrolls_in_its_own_box():
    offenders = [
        str(path.relative_to(SRC))
        for directory in TEMPLATE_DIRS
        for path in directory.rglob("*.html")
        if _tables_outside_a_box(path.read_text())
    ]
    assert offenders == []


def test_included_partials_are_wrapped_by_their_includer():
    for partial, includer in WRAPPED_BY_INCLUDER.items():
        app = includer.split("/", 1)[0]
        text = (SRC / app / "templates" / includer).read_text()
        assert re.search(
            r'<div class="intact-table-scroll">\s*\{% include "' + re.escape(partial) + r'" %\}\s*</div>', text
        )


def test_the_check_finds_a_bare_table():
    assert _tables_outside_a_box('<table class="utrecht-table"></table>') == 1
    assert _tables_outside_a_box('<div class="intact-table-scroll"><table class="utrecht-table"></table></div>') == 0
    assert _tables_outside_a_box(
        '<div class="intact-table-scroll"><table></table></div><table class="utrecht-table"></table>'
    ) == 1
