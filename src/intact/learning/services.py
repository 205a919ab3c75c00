"""Writes of the learning app: conversation log, activities, facilitators, moral case law.

Every function is keyword-only, runs in one transaction and writes its audit
entry inside it. ``actor`` is the acting user (None for system work such as
the demo). The views and API have already found the object through the
selectors (which apply the access policy); these functions enforce the
invariants that hold whoever calls them: everything belongs to one
organisation, a conversation is changed only by the counsellor who wrote it,
published case law is confirmed to be anonymised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from intact.learning import defaults
from intact.learning.models import (
    Activity,
    CaseLawTag,
    CaseStatus,
    ConversationTopic,
    CounsellorConversation,
    Facilitator,
    MoralCase,
)
from intact.organisations.models import Organisation, Role
from intact.security import audit, policy

ACTIVITY_FIELDS = (
    "type",
    "title",
    "date",
    "unit",
    "audience",
    "audience_detail",
    "participants",
    "notes",
)
CONVERSATION_FIELDS = ("date", "topic", "contact_form", "follow_up", "note")
CASE_FIELDS = (
    "title",
    "dilemma",
    "considerations",
    "conclusion",
    "discussed_on",
    "activity",
    "anonymised_confirmed",
)


def _same_org(organisation: Organisation | int, obj: Any, field: str) -> None:
    org_id = getattr(organisation, "pk", organisation)
    if obj is not None and obj.organisation_id != org_id:
        raise ValidationError({field: _("Hoort niet bij deze organisatie.")})


def _not_future(value: dt.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("De datum ligt in de toekomst.")})


def _unique_code(model: type, organisation: Organisation, name: str) -> str:
    base = slugify(name).replace("-", "_")[:50] or "item"
    code, n = base, 2
    while model.objects.filter(organisation=organisation, code=code).exists():
        code, n = f"{base}_{n}", n + 1
    return code


# --- defaults -----------------------------------------------------------------


def organisation_defaults_ensure(*, organisation: Organisation) -> None:
    """Give the organisation the default topics and tags it does not have yet (by code).

    Idempotent; an organisation's own changes (names, switched-off topics) stay.
    """
    with transaction.atomic():
        have = set(
            ConversationTopic.objects.filter(organisation=organisation).values_list(
                "code", flat=True
            )
        )
        for order, item in enumerate(defaults.conversation_topics(), start=1):
            parent = ConversationTopic.objects.filter(
                organisation=organisation, code=item["code"]
            ).first()
            if parent is None:
                parent = ConversationTopic.objects.create(
                    organisation=organisation,
                    code=item["code"],
                    name=item["name_nl"],
                    name_en=item.get("name_en", ""),
                    order=order * 10,
                )
                have.add(item["code"])
            for sub_order, sub in enumerate(item.get("subtopics", []), start=1):
                if sub["code"] in have:
                    continue
                ConversationTopic.objects.create(
                    organisation=organisation,
                    parent=parent,
                    code=sub["code"],
                    name=sub["name_nl"],
                    name_en=sub.get("name_en", ""),
                    order=order * 10 + sub_order,
                )
                have.add(sub["code"])
        tag_codes = set(
            CaseLawTag.objects.filter(organisation=organisation).values_list("code", flat=True)
        )
        for kind, items in defaults.case_law_tags().items():
            for order, item in enumerate(items, start=1):
                if item["code"] in tag_codes:
                    continue
                CaseLawTag.objects.create(
                    organisation=organisation,
                    kind=kind,
                    code=item["code"],
                    name=item["name_nl"],
                    name_en=item.get("name_en", ""),
                    order=order,
                )
                tag_codes.add(item["code"])


# --- topics and tags ------------------------------------------------------------


def topic_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    name_en: str = "",
    parent: ConversationTopic | None = None,
    order: int = 100,
) -> ConversationTopic:
    """Add a topic to the organisation's list (a sub-topic when ``parent`` is given)."""
    _same_org(organisation, parent, "parent")
    if parent is not None and parent.parent_id is not None:
        raise ValidationError(
            {"parent": _("Een subonderwerp kan geen eigen subonderwerpen hebben.")}
        )
    with transaction.atomic():
        topic = ConversationTopic(
            organisation=organisation,
            parent=parent,
            name=name,
            name_en=name_en,
            order=order,
            code=_unique_code(ConversationTopic, organisation, name),
        )
        topic.full_clean()
        topic.save()
        audit.record(actor, "learning.topic.create", organisation=organisation, obj=topic)
    return topic


def topic_update(*, actor: Any, topic: ConversationTopic, **changes: Any) -> ConversationTopic:
    """Rename, reorder or switch a topic on/off (a topic in use is never deleted)."""
    allowed = {"name", "name_en", "order", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"topic_update does not change {sorted(unknown)}")
    with transaction.atomic():
        changed = [f for f, v in changes.items() if getattr(topic, f) != v]
        for field in changed:
            setattr(topic, field, changes[field])
        if changed:
            topic.full_clean()
            topic.save(update_fields=changed)
            audit.record(
                actor,
                "learning.topic.update",
                organisation=topic.organisation_id,
                obj=topic,
                detail={"fields": sorted(changed)},
            )
    return topic


def tag_create(
    *, actor: Any, organisation: Organisation, kind: str, name: str, name_en: str = ""
) -> CaseLawTag:
    """Add a core value or topic tag for moral case law."""
    with transaction.atomic():
        tag = CaseLawTag(
            organisation=organisation,
            kind=kind,
            name=name,
            name_en=name_en,
            order=100,
            code=_unique_code(CaseLawTag, organisation, name),
        )
        tag.full_clean()
        tag.save()
        audit.record(actor, "learning.tag.create", organisation=organisation, obj=tag)
    return tag


# --- conversation log -------------------------------------------------------------


def _check_counsellor(actor: Any, organisation: Organisation | int) -> None:
    if actor is not None and not policy.has_role(actor, organisation, Role.COUNSELLOR):
        raise Http404


def _check_topic(organisation: Organisation | int, topic: ConversationTopic) -> None:
    _same_org(organisation, topic, "topic")
    if not topic.is_active:
        raise ValidationError({"topic": _("Dit onderwerp is niet meer in gebruik.")})


def conversation_create(
    *,
    actor: Any,
    organisation: Organisation,
    date: dt.date,
    topic: ConversationTopic,
    contact_form: str,
    follow_up: str,
    note: str = "",
    counsellor: Any = None,
    imported: bool = False,
) -> CounsellorConversation:
    """Register one conversation, without names. The row belongs to the acting counsellor.

    ``counsellor`` defaults to ``actor``; an import of earlier years may leave
    it empty (the rows then only count). The note is encrypted at rest.
    """
    owner = actor if counsellor is None and not imported else counsellor
    if owner is not None:
        _check_counsellor(owner, organisation)
    _check_topic(organisation, topic)
    _not_future(date, "date")
    with transaction.atomic():
        conversation = CounsellorConversation(
            organisation=organisation,
            counsellor=owner,
            date=date,
            topic=topic,
            contact_form=contact_form,
            follow_up=follow_up,
            note=note.strip() or None,
            imported=imported,
        )
        conversation.full_clean(exclude=["note"])
        conversation.save()
        audit.record(
            actor,
            "learning.conversation.create",
            organisation=organisation,
            obj=conversation,
            detail={"topic": topic.code, "has_note": bool(conversation.note), "imported": imported},
        )
    return conversation


def conversation_update(
    *, actor: Any, conversation: CounsellorConversation, **changes: Any
) -> CounsellorConversation:
    """Change a conversation; only the counsellor who registered it may."""
    unknown = set(changes) - set(CONVERSATION_FIELDS)
    if unknown:
        raise TypeError(f"conversation_update does not change {sorted(unknown)}")
    if conversation.counsellor_id is None or conversation.counsellor_id != getattr(
        actor, "pk", None
    ):
        raise Http404
    if "topic" in changes and changes["topic"].pk != conversation.topic_id:
        _check_topic(conversation.organisation_id, changes["topic"])
    if "date" in changes:
        _not_future(changes["date"], "date")
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip() or None
    with transaction.atomic():
        changed = [f for f, v in changes.items() if getattr(conversation, f) != v]
        for field in changed:
            setattr(conversation, field, changes[field])
        if changed:
            conversation.full_clean(exclude=["note"])
            conversation.save()
            audit.record(
                actor,
                "learning.conversation.update",
                organisation=conversation.organisation_id,
                obj=conversation,
                detail={"fields": sorted(changed)},
            )
    return conversation


def conversation_delete(*, actor: Any, conversation: CounsellorConversation) -> None:
    """Remove a conversation registered by mistake; only its counsellor may."""
    if conversation.counsellor_id is None or conversation.counsellor_id != getattr(
        actor, "pk", None
    ):
        raise Http404
    with transaction.atomic():
        audit.record(
            actor,
            "learning.conversation.delete",
            organisation=conversation.organisation_id,
            obj=conversation,
        )
        conversation.delete()


# --- facilitators -------------------------------------------------------------------


def facilitator_create(
    *,
    actor: Any,
    organisation: Organisation,
    person: Any = None,
    external_name: str = "",
    affiliation: str = "",
) -> Facilitator:
    """Add someone to the facilitator pool: a person of the organisation or an external name."""
    _same_org(organisation, person, "person")
    external_name = external_name.strip()
    if person is None and not external_name:
        raise ValidationError(
            {
                "external_name": _(
                    "Kies een medewerker of vul de naam van een externe begeleider in."
                )
            }
        )
    if person is not None and external_name:
        raise ValidationError(
            {"external_name": _("Kies een medewerker óf vul een externe naam in, niet allebei.")}
        )
    if (
        person is not None
        and Facilitator.objects.filter(organisation=organisation, person=person).exists()
    ):
        raise ValidationError({"person": _("Deze medewerker zit al in de pool.")})
    with transaction.atomic():
        facilitator = Facilitator(
            organisation=organisation,
            person=person,
            external_name=external_name,
            affiliation=affiliation.strip(),
        )
        facilitator.full_clean()
        facilitator.save()
        audit.record(
            actor, "learning.facilitator.create", organisation=organisation, obj=facilitator
        )
    return facilitator


def facilitator_update(*, actor: Any, facilitator: Facilitator, **changes: Any) -> Facilitator:
    """Change a pool member's affiliation, external name or active flag."""
    allowed = {"external_name", "affiliation", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"facilitator_update does not change {sorted(unknown)}")
    with transaction.atomic():
        changed = [f for f, v in changes.items() if getattr(facilitator, f) != v]
        for field in changed:
            setattr(facilitator, field, changes[field])
        if changed:
            facilitator.full_clean()
            facilitator.save(update_fields=changed)
            audit.record(
                actor,
                "learning.facilitator.update",
                organisation=facilitator.organisation_id,
                obj=facilitator,
                detail={"fields": sorted(changed)},
            )
    return facilitator


# --- activities ---------------------------------------------------------------------


def _check_facilitators(
    organisation: Organisation | int, facilitators: Iterable[Facilitator]
) -> list[Facilitator]:
    result = list(facilitators)
    for facilitator in result:
        _same_org(organisation, facilitator, "facilitators")
    return result


def activity_create(
    *,
    actor: Any,
    organisation: Organisation,
    type: str,  # noqa: A002 - the domain's word
    title: str,
    date: dt.date,
    audience: str,
    unit: Any = None,
    audience_detail: str = "",
    facilitators: Iterable[Facilitator] = (),
    participants: int = 0,
    notes: str = "",
) -> Activity:
    """Register a preventive activity (training, dilemma game, moral deliberation …)."""
    _same_org(organisation, unit, "unit")
    pool = _check_facilitators(organisation, facilitators)
    _not_future(date, "date")
    with transaction.atomic():
        activity = Activity(
            organisation=organisation,
            type=type,
            title=title,
            date=date,
            unit=unit,
            audience=audience,
            audience_detail=audience_detail,
            participants=participants,
            notes=notes,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        activity.full_clean()
        activity.save()
        activity.facilitators.set(pool)
        audit.record(
            actor,
            "learning.activity.create",
            organisation=organisation,
            obj=activity,
            detail={"type": type, "participants": participants},
        )
    return activity


def activity_update(
    *,
    actor: Any,
    activity: Activity,
    facilitators: Iterable[Facilitator] | None = None,
    **changes: Any,
) -> Activity:
    """Change an activity; the audit entry names the changed fields."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update does not change {sorted(unknown)}")
    if "unit" in changes:
        _same_org(activity.organisation_id, changes["unit"], "unit")
    if "date" in changes:
        _not_future(changes["date"], "date")
    pool = (
        _check_facilitators(activity.organisation_id, facilitators)
        if facilitators is not None
        else None
    )
    with transaction.atomic():
        changed = [f for f, v in changes.items() if getattr(activity, f) != v]
        for field in changed:
            setattr(activity, field, changes[field])
        if changed:
            activity.full_clean()
            activity.save()
        if pool is not None and {f.pk for f in pool} != set(
            activity.facilitators.values_list("pk", flat=True)
        ):
            activity.facilitators.set(pool)
            changed.append("facilitators")
        if changed:
            audit.record(
                actor,
                "learning.activity.update",
                organisation=activity.organisation_id,
                obj=activity,
                detail={"fields": sorted(changed)},
            )
    return activity


def activity_delete(*, actor: Any, activity: Activity) -> None:
    """Remove an activity registered by mistake."""
    with transaction.atomic():
        audit.record(
            actor,
            "learning.activity.delete",
            organisation=activity.organisation_id,
            obj=activity,
            detail={"type": activity.type, "date": activity.date.isoformat()},
        )
        activity.delete()


# --- moral case law -------------------------------------------------------------------

# Words that usually introduce a person's name in Dutch (and English) prose.
_TITLE_RE = re.compile(
    r"\b(?:dhr|mevr|mw|mr|mrs|ms|drs|ir|ing|dr)\.?\s+[A-Z][\w'-]+|"
    r"\b(?:de heer|meneer|mevrouw|collega)\s+[A-Z][\w'-]+",
    re.UNICODE,
)


def moral_case_name_hits(
    *, actor: Any, organisation: Organisation, texts: Iterable[str]
) -> list[str]:
    """Words in ``texts`` that look like a personal name: a title followed by a name,
    or the full name or the surname of someone working for the organisation.

    The organisation's names are read through the organisations selector with
    the author's own access (a coordinator keeps the personnel overview); an
    author without it gets the title check only. A warning, not a proof: case
    law must be anonymised by its author.
    """
    from intact.organisations import selectors as org_selectors

    joined = "\n".join(t for t in texts if t)
    hits: list[str] = []
    for match in _TITLE_RE.finditer(joined):
        if match.group(0) not in hits:
            hits.append(match.group(0))
    lowered = joined.lower()
    names: Iterable[tuple[str, str]] = ()
    if actor is not None and policy.has_role(actor, organisation, *policy.PEOPLE_ROLES):
        names = org_selectors.person_list(user=actor, organisation=organisation).values_list(
            "first_name", "last_name"
        )
    for first, last in names:
        for candidate in (f"{first} {last}".strip(), last):
            if len(candidate) < 4:
                continue
            if re.search(rf"\b{re.escape(candidate.lower())}\b", lowered) and candidate not in hits:
                hits.append(candidate)
                break
    return hits


def _check_tags(organisation: Organisation | int, tags: Iterable[CaseLawTag]) -> list[CaseLawTag]:
    result = list(tags)
    for tag in result:
        _same_org(organisation, tag, "tags")
    return result


def moral_case_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    dilemma: str,
    considerations: str,
    conclusion: str,
    anonymised_confirmed: bool,
    tags: Iterable[CaseLawTag] = (),
    discussed_on: dt.date | None = None,
    activity: Activity | None = None,
    publish: bool = False,
) -> MoralCase:
    """Write down a dilemma from moral deliberation as case law (draft, or published at once)."""
    if not anonymised_confirmed:
        raise ValidationError(
            {"anonymised_confirmed": _("Bevestig dat de casus geanonimiseerd is.")}
        )
    _same_org(organisation, activity, "activity")
    chosen = _check_tags(organisation, tags)
    _not_future(discussed_on, "discussed_on")
    with transaction.atomic():
        case = MoralCase(
            organisation=organisation,
            title=title,
            dilemma=dilemma,
            considerations=considerations,
            conclusion=conclusion,
            discussed_on=discussed_on,
            activity=activity,
            anonymised_confirmed=True,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if publish:
            case.status = CaseStatus.PUBLISHED
            case.published_at = timezone.now()
        case.full_clean()
        case.save()
        case.tags.set(chosen)
        audit.record(
            actor,
            "learning.case.create",
            organisation=organisation,
            obj=case,
            detail={"status": case.status},
        )
    return case


def moral_case_update(
    *, actor: Any, case: MoralCase, tags: Iterable[CaseLawTag] | None = None, **changes: Any
) -> MoralCase:
    """Edit case law. Any change of the text needs the anonymity confirmation again."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"moral_case_update does not change {sorted(unknown)}")
    text_changed = any(
        field in changes and changes[field] != getattr(case, field)
        for field in ("title", "dilemma", "considerations", "conclusion")
    )
    if changes.get("anonymised_confirmed") is False or (
        text_changed and changes.get("anonymised_confirmed") is not True
    ):
        raise ValidationError(
            {"anonymised_confirmed": _("Bevestig dat de casus geanonimiseerd is.")}
        )
    if "activity" in changes:
        _same_org(case.organisation_id, changes["activity"], "activity")
    if "discussed_on" in changes:
        _not_future(changes["discussed_on"], "discussed_on")
    chosen = _check_tags(case.organisation_id, tags) if tags is not None else None
    with transaction.atomic():
        changed = [f for f, v in changes.items() if getattr(case, f) != v]
        for field in changed:
            setattr(case, field, changes[field])
        if changed:
            case.full_clean()
            case.save()
        if chosen is not None and {t.pk for t in chosen} != set(
            case.tags.values_list("pk", flat=True)
        ):
            case.tags.set(chosen)
            changed.append("tags")
        if changed:
            audit.record(
                actor,
                "learning.case.update",
                organisation=case.organisation_id,
                obj=case,
                detail={"fields": sorted(changed)},
            )
    return case


def moral_case_publish(*, actor: Any, case: MoralCase, publish: bool = True) -> MoralCase:
    """Publish case law in the moral manifesto (or take it back to draft)."""
    if publish and not case.anonymised_confirmed:
        raise ValidationError(
            {"anonymised_confirmed": _("Bevestig dat de casus geanonimiseerd is.")}
        )
    with transaction.atomic():
        case.status = CaseStatus.PUBLISHED if publish else CaseStatus.DRAFT
        case.published_at = timezone.now() if publish else None
        case.full_clean()
        case.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(
            actor,
            "learning.case.publish" if publish else "learning.case.unpublish",
            organisation=case.organisation_id,
            obj=case,
        )
    return case


def moral_case_delete(*, actor: Any, case: MoralCase) -> None:
    """Remove case law (drafts and published alike)."""
    with transaction.atomic():
        audit.record(actor, "learning.case.delete", organisation=case.organisation_id, obj=case)
        case.delete()
