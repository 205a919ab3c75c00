"""Pages of the organisations app."""

from __future__ import annotations

import importlib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from intact.organisations import selectors


def integrity_page(request: HttpRequest, org: str) -> HttpResponse:
    """The public integrity page: routes, organs, and (from other apps) what must be published.

    Other apps contribute blocks with ``public_integrity_sections(organisation)``
    in their selectors module, e.g. the procedure diagrams (reporting) and the
    published outside activities (registers).
    """
    organisation = selectors.organisation_get_public(slug=org)
    sections: list[dict] = []
    for app in ("reporting", "registers", "policy"):
        try:
            module = importlib.import_module(f"intact.{app}.selectors")
        except ModuleNotFoundError:
            continue
        contribute = getattr(module, "public_integrity_sections", None)
        if contribute is not None:
            sections.extend(contribute(organisation))
    return render(
        request,
        "organisations/integrity_page.html",
        {
            "organisation": organisation,
            "organs": selectors.organ_list_public(organisation=organisation),
            "sections": sorted(sections, key=lambda s: s.get("order", 100)),
        },
    )
