"""The per-organisation start page, assembled from what each app contributes.

Each domain app may define ``start_sections(user, organisation) -> list[dict]``
in its ``selectors`` module. A section is a dict with ``title``, ``template``
and ``context``; the function applies the access policy itself and returns
nothing for roles that may not see it. The start page never needs to know
the apps' internals.
"""

from __future__ import annotations

import importlib
from typing import Any

APPS = (
    "organisations",
    "security",
    "reporting",
    "cases",
    "registers",
    "learning",
    "policy",
    "accountability",
)


def sections_for(user: Any, organisation: Any) -> list[dict]:
    sections: list[dict] = []
    for app in APPS:
        try:
            module = importlib.import_module(f"intact.{app}.selectors")
        except ModuleNotFoundError:
            continue
        contribute = getattr(module, "start_sections", None)
        if contribute is not None:
            sections.extend(contribute(user, organisation))
    return sorted(sections, key=lambda s: s.get("order", 100))
