"""The integrity plan as a document (PDF/A, ODT, DOCX), built with :mod:`intact.policy.documents`."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from intact.policy import data, documents
from intact.policy.documents import BulletList, Document, Heading, Meta, Paragraph
from intact.policy.models import PlanVersion

FORMATS = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _date(value: object) -> str:
    return value.strftime("%d-%m-%Y") if value else "–"


def plan_document(version: PlanVersion) -> Document:
    """The version in the VNG format: metadata block, then the seven numbered sections."""
    plan = version.plan
    adopted = (
        _("%(body)s, op %(date)s")
        % {"body": version.adopting_body or "–", "date": _date(version.adopted_on)}
        if version.adopted_on
        else _("%(body)s (concept, nog niet vastgesteld)") % {"body": version.adopting_body or "–"}
    )
    blocks: list[documents.Block] = [
        Meta(
            [
                (_("Organisatie"), plan.unit.name if plan.unit else str(plan.organisation)),
                (_("Steller"), version.author or "–"),
                (_("Versie"), str(version.number)),
                (_("Vastgesteld door"), adopted),
                (_("Datum"), _date(version.adopted_on or version.updated_at.date())),
                (_("Looptijd"), f"{_date(version.term_start)} – {_date(version.term_end)}"),
            ]
        )
    ]
    for number, section in enumerate(data.plan_format()["sections"], 1):
        blocks.append(Heading(f"{number}. {data.section_title(section)}", level=1))
        text = (version.sections.get(section["code"]) or "").strip()
        if text:
            blocks.append(Paragraph(text))
        else:
            blocks.append(Paragraph(_("(Nog niet ingevuld.) Denk aan:")))
            blocks.append(BulletList(data.section_guidance(section)))
    return Document(
        title=plan.title,
        blocks=blocks,
        author=version.author,
        subject=_("Integriteitsplan, versie %(n)s") % {"n": version.number},
    )


def plan_export(version: PlanVersion, fmt: str) -> tuple[bytes, str]:
    """The bytes and content type of the version in ``fmt`` (pdf, odt, docx)."""
    doc = plan_document(version)
    builder = {
        "pdf": documents.build_pdf,
        "odt": documents.build_odt,
        "docx": documents.build_docx,
    }[fmt]
    return builder(doc), FORMATS[fmt]


def filename(version: PlanVersion, fmt: str) -> str:
    return f"{slugify(version.plan.title) or 'integriteitsplan'}-v{version.number}.{fmt}"
