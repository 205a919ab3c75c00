"""The policy app's data files: the plan format and the built-in norm frameworks."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data"


@cache
def plan_format() -> dict[str, Any]:
    """The VNG plan format (Annex I): metadata and the seven sections with guidance."""
    return yaml.safe_load((DATA / "plan_format.yaml").read_text(encoding="utf-8"))


def section_title(section: dict[str, Any]) -> str:
    """The section's title in the active language (the data file holds Dutch and English)."""
    from django.utils.translation import get_language

    if (get_language() or "nl").startswith("en") and section.get("title_en"):
        return section["title_en"]
    return section["title"]


def section_guidance(section: dict[str, Any]) -> list[str]:
    """The section's guidance points in the active language (``guidance_en`` holds the English)."""
    from django.utils.translation import get_language

    if (get_language() or "nl").startswith("en") and section.get("guidance_en"):
        return list(section["guidance_en"])
    return list(section["guidance"])


def section_titles() -> dict[str, str]:
    return {s["code"]: section_title(s) for s in plan_format()["sections"]}


@cache
def builtin_frameworks() -> list[dict[str, Any]]:
    """The framework files under ``data/frameworks/``, checked."""
    specs = []
    for path in sorted((DATA / "frameworks").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = framework_errors(spec)
        if errors:
            raise ValueError(f"{path.name}: {errors}")
        specs.append(spec)
    return specs


@cache
def _builtin_english() -> dict[tuple[str, str, str | None], dict[str, str]]:
    """(code, version, ref_id or None for the framework) -> its English texts from the data files."""
    out: dict[tuple[str, str, str | None], dict[str, str]] = {}

    def walk(code: str, version: str, items: list[dict[str, Any]]) -> None:
        for item in items:
            out[(code, version, str(item["ref_id"]))] = {
                k[:-3]: v for k, v in item.items() if k.endswith("_en") and v
            }
            walk(code, version, item.get("children") or [])

    for spec in builtin_frameworks():
        code, version = str(spec["code"]), str(spec["version"])
        out[(code, version, None)] = {k[:-3]: v for k, v in spec.items() if k.endswith("_en") and v}
        walk(code, version, spec["requirements"])
    return out


def builtin_text(code: str, version: str, ref_id: str | None, field: str, dutch: str) -> str:
    """A built-in framework's (or norm's) ``field`` in the active language; ``dutch`` otherwise.

    The framework files carry ``name_en`` / ``description_en`` next to the
    Dutch; an organisation's own frameworks are shown as they were written.
    """
    from django.utils.translation import get_language

    if not (get_language() or "nl").startswith("en"):
        return dutch
    return _builtin_english().get((code, version, ref_id), {}).get(field) or dutch


def framework_errors(spec: Any) -> list[str]:
    """What is wrong with a framework definition (empty when it is fine)."""
    if not isinstance(spec, dict):
        return [
            _("Het bestand moet een normenkader beschrijven (code, version, name, requirements).")
        ]
    errors = []
    for key in ("code", "version", "name"):
        if not str(spec.get(key) or "").strip():
            errors.append(_("Het veld '%(k)s' ontbreekt.") % {"k": key})
    requirements = spec.get("requirements")
    if not isinstance(requirements, list) or not requirements:
        errors.append(_("Er staan geen normen in (requirements)."))
        return errors
    seen: set[str] = set()

    def walk(items: list[Any], path: str) -> None:
        for i, item in enumerate(items, 1):
            where = f"{path}{i}"
            if (
                not isinstance(item, dict)
                or not str(item.get("name") or "").strip()
                or not str(item.get("ref_id") or "").strip()
            ):
                errors.append(_("Norm %(w)s heeft geen ref_id of name.") % {"w": where})
                continue
            ref = str(item["ref_id"])
            if ref in seen:
                errors.append(_("Nummer %(r)s komt twee keer voor.") % {"r": ref})
            seen.add(ref)
            children = item.get("children") or []
            if not isinstance(children, list):
                errors.append(_("Norm %(w)s: children moet een lijst zijn.") % {"w": where})
            else:
                walk(children, f"{where}.")

    walk(requirements, "")
    return errors
