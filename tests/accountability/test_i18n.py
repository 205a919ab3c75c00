"""The English translation of the accountability app is complete."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = (
    Path(__file__).resolve().parents[2]
    / "src/intact/accountability/locale/en/LC_MESSAGES/django.po"
)


def test_every_message_is_translated_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry
        assert not re.search(r'^msgstr ""\Z', entry.strip(), re.M), entry


def test_report_text_in_english():
    from intact.accountability.report import Options, _Builder

    with translation.override("en"):
        b = _Builder({}, Options(threshold=5))
        assert b.fewer() == "fewer than 5"
