"""Reads of the learning app, through the access policy.

Who sees what:

* conversation rows (and their encrypted notes): only the counsellor who
  registered them. Every opening of one is written to the audit log.
* conversation counts per topic, quarter and year: counsellors, coordinators,
  competent authority and auditors / works council. Never rows.
* activities and their totals, the facilitator pool: coordinators (who keep
  them), competent authority and auditors (who read them).
* moral case law: every member of the organisation reads the published
  entries (the moral manifesto); coordinators also see and write drafts.

``activity_totals(organisation, year)`` and ``counsellor_topic_counts(organisation, year)``
take no user: they are the aggregate figures that the annual report and the
policy monitoring (issues 6 and 7) compute for an organisation, and hold no
row-level data. Callers apply their own policy for who may see the result.
Everything a user may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.learning.models import (
    Activity,
    ActivityType,
    Audience,
    CaseLawTag,
    CaseStatus,
    ContactForm,
    ConversationTopic,
    CounsellorConversation,
    Facilitator,
    FollowUp,
    MoralCase,
    TagKind,
)
from intact.organisations.models import Organisation, Role
from intact.security import audit, policy

COUNT_ROLES = frozenset({Role.COUNSELLOR, Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.AUDITOR})
ACTIVITY_READ_ROLES = frozenset({Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.AUDITOR})
ACTIVITY_WRITE_ROLES = frozenset({Role.COORDINATOR})
CASE_LAW_WRITE_ROLES = frozenset({Role.COORDINATOR})


def _require(user: Any, organisation: Organisation, roles: frozenset[str] | tuple = ()) -> None:
    if not policy.has_role(user, organisation, *roles):
        raise Http404


# --- topics and tags -----------------------------------------------------------------


def topic_list(
    *, user: Any, organisation: Organisation, active_only: bool = False
) -> QuerySet[ConversationTopic]:
    """The organisation's conversation topics (not confidential; for the log's users)."""
    _require(user, organisation, COUNT_ROLES)
    qs = ConversationTopic.objects.filter(organisation=organisation).select_related("parent")
    if active_only:
        qs = qs.filter(is_active=True).filter(Q(parent__isnull=True) | Q(parent__is_active=True))
    return qs.order_by("order", "name")


def topic_get(*, user: Any, organisation: Organisation, pk: int) -> ConversationTopic:
    """One topic, for the coordinator who keeps the list."""
    _require(user, organisation, (Role.COORDINATOR,))
    topic = ConversationTopic.objects.filter(organisation=organisation, pk=pk).first()
    if topic is None:
        raise Http404
    return topic


def tag_list(*, user: Any, organisation: Organisation) -> QuerySet[CaseLawTag]:
    """Core-value and topic tags of the moral case law; every member may read them."""
    _require(user, organisation)
    return CaseLawTag.objects.filter(organisation=organisation).order_by("kind", "order", "name")


# --- conversation log --------------------------------------------------------------------


def conversation_list(*, user: Any, organisation: Organisation) -> QuerySet[CounsellorConversation]:
    """The conversations the acting counsellor registered; nobody sees another's rows."""
    _require(user, organisation, (Role.COUNSELLOR,))
    return CounsellorConversation.objects.filter(
        organisation=organisation, counsellor=user
    ).select_related("topic", "topic__parent")


def conversation_get(
    *, user: Any, organisation: Organisation, pk: int, purpose: str = "view"
) -> CounsellorConversation:
    """One of the acting counsellor's own conversations, note included; the opening is audited.

    ``purpose`` goes into the audit entry (``view``, ``edit``, ``delete``, ``api``).
    """
    conversation = conversation_list(user=user, organisation=organisation).filter(pk=pk).first()
    if conversation is None:
        raise Http404
    audit.record(
        user,
        "learning.conversation.view",
        organisation=organisation,
        obj=conversation,
        detail={"purpose": purpose},
    )
    return conversation


def _quarter(month: int) -> int:
    return (month - 1) // 3 + 1


def counsellor_topic_counts(organisation: Organisation | int, year: int) -> dict[str, Any]:
    """Conversations of ``year`` counted per top-level topic (sub-topics rolled up and
    listed beneath), per quarter, per follow-up and per contact form.

    No user, no rows: the aggregate the annual report's table "conversations
    with counsellors by topic" is built from. Every configured top-level topic
    appears, also with 0, in the organisation's order; a switched-off topic
    appears only when it was used that year. Result::

        {"year": 2019, "total": 25,
         "topics": [{"code": "integrity", "name": "Integriteit", "count": 2,
                     "subtopics": [{"code": ..., "name": ..., "count": ...}]}, ...],
         "by_quarter": {1: 6, 2: 7, 3: 5, 4: 7},
         "by_follow_up": {"advice": 12, ...}, "by_contact_form": {"in_person": 20, ...}}
    """
    org_id = getattr(organisation, "pk", organisation)
    rows = CounsellorConversation.objects.filter(organisation_id=org_id, date__year=year)
    per_topic = dict(rows.values_list("topic_id").annotate(n=Count("id")).order_by())
    topics = list(
        ConversationTopic.objects.filter(organisation_id=org_id).order_by("order", "name")
    )
    children: dict[int, list[ConversationTopic]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    result_topics = []
    for topic in topics:
        if topic.parent_id:
            continue
        subs = [
            {"code": s.code, "name": s.label, "count": per_topic.get(s.pk, 0)}
            for s in children.get(topic.pk, [])
            if s.is_active or per_topic.get(s.pk, 0)
        ]
        count = per_topic.get(topic.pk, 0) + sum(s["count"] for s in subs)
        if not topic.is_active and not count:
            continue
        result_topics.append(
            {
                "code": topic.code,
                "name": topic.label,
                "count": count,
                "direct": per_topic.get(topic.pk, 0),
                "subtopics": subs,
            }
        )
    by_quarter = {q: 0 for q in (1, 2, 3, 4)}
    for month, n in (
        rows.annotate(m=ExtractMonth("date")).values_list("m").annotate(n=Count("id")).order_by()
    ):
        by_quarter[_quarter(month)] += n
    by_follow_up = {value: 0 for value in FollowUp.values}
    by_follow_up.update(dict(rows.values_list("follow_up").annotate(n=Count("id")).order_by()))
    by_contact_form = {value: 0 for value in ContactForm.values}
    by_contact_form.update(
        dict(rows.values_list("contact_form").annotate(n=Count("id")).order_by())
    )
    return {
        "year": year,
        "total": sum(per_topic.values()),
        "topics": result_topics,
        "by_quarter": by_quarter,
        "by_follow_up": by_follow_up,
        "by_contact_form": by_contact_form,
    }


def conversation_counts(*, user: Any, organisation: Organisation, year: int) -> dict[str, Any]:
    """The counts of :func:`counsellor_topic_counts` for a user allowed to see counts."""
    _require(user, organisation, COUNT_ROLES)
    return counsellor_topic_counts(organisation, year)


def conversation_years(*, user: Any, organisation: Organisation) -> list[int]:
    """The years that have conversations, newest first (always including this year)."""
    _require(user, organisation, COUNT_ROLES)
    years = {
        d.year
        for d in CounsellorConversation.objects.filter(organisation=organisation).dates(
            "date", "year"
        )
    }
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- facilitators and activities --------------------------------------------------------


def facilitator_list(
    *, user: Any, organisation: Organisation, active_only: bool = False
) -> QuerySet[Facilitator]:
    """The facilitator pool, for those who keep or read the activities."""
    _require(user, organisation, ACTIVITY_READ_ROLES)
    qs = Facilitator.objects.filter(organisation=organisation).select_related("person")
    if active_only:
        qs = qs.filter(is_active=True)
    # An aggregate drops Meta.ordering: order explicitly (stable pages in the API).
    return qs.annotate(sessions=Count("activities")).order_by(
        "person__last_name", "external_name", "id"
    )


def facilitator_get(*, user: Any, organisation: Organisation, pk: int) -> Facilitator:
    _require(user, organisation, ACTIVITY_WRITE_ROLES)
    facilitator = Facilitator.objects.filter(organisation=organisation, pk=pk).first()
    if facilitator is None:
        raise Http404
    return facilitator


def activity_list(
    *,
    user: Any,
    organisation: Organisation,
    year: int | None = None,
    type: str | None = None,  # noqa: A002
) -> QuerySet[Activity]:
    """Registered activities, optionally for one year and type."""
    _require(user, organisation, ACTIVITY_READ_ROLES)
    qs = Activity.objects.filter(organisation=organisation).select_related("unit")
    if year:
        qs = qs.filter(date__year=year)
    if type:
        qs = qs.filter(type=type)
    return qs.prefetch_related("facilitators__person")


def activity_get(*, user: Any, organisation: Organisation, pk: int) -> Activity:
    activity = activity_list(user=user, organisation=organisation).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def activity_years(*, user: Any, organisation: Organisation) -> list[int]:
    """Years with activities, newest first (always including this year)."""
    _require(user, organisation, ACTIVITY_READ_ROLES)
    years = {
        d.year for d in Activity.objects.filter(organisation=organisation).dates("date", "year")
    }
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def activity_totals(organisation: Organisation | int, year: int) -> dict[str, Any]:
    """Sessions and participants of ``year`` per activity type, with the audience split.

    No user: the aggregate the annual report ("the dilemma game was played 14
    times, 6 for new employees …, 233 employees reached") and the policy
    monitoring ("12 dilemma sessions" as a target) read. Every type appears,
    also with 0, in a fixed order; ``by_type_code`` gives the same rows by code.
    Result::

        {"year": 2019, "sessions": 30, "participants": 290,
         "by_type": [{"type": "dilemma_game", "label": "Dilemmaspel", "sessions": 14,
                      "participants": 233, "by_audience": {"new_employees": 6, ...}}, ...],
         "by_type_code": {"dilemma_game": {...}, ...}}
    """
    org_id = getattr(organisation, "pk", organisation)
    rows = Activity.objects.filter(organisation_id=org_id, date__year=year)
    per_type = {
        t: (n, p or 0)
        for t, n, p in rows.values_list("type")
        .annotate(n=Count("id"), p=Sum("participants"))
        .order_by()
    }
    audience: dict[str, Counter] = {}
    for t, a, n in rows.values_list("type", "audience").annotate(n=Count("id")).order_by():
        audience.setdefault(t, Counter())[a] = n
    labels = dict(ActivityType.choices)
    by_type = []
    for code in ActivityType.values:
        sessions, participants = per_type.get(code, (0, 0))
        by_type.append(
            {
                "type": code,
                "label": str(labels[code]),
                "sessions": sessions,
                "participants": participants,
                "by_audience": {
                    a: audience.get(code, Counter())[a]
                    for a in Audience.values
                    if audience.get(code, Counter())[a]
                },
            }
        )
    return {
        "year": year,
        "sessions": sum(r["sessions"] for r in by_type),
        "participants": sum(r["participants"] for r in by_type),
        "by_type": by_type,
        "by_type_code": {r["type"]: r for r in by_type},
    }


def activity_totals_for(*, user: Any, organisation: Organisation, year: int) -> dict[str, Any]:
    """:func:`activity_totals` for a user who may read the activities."""
    _require(user, organisation, ACTIVITY_READ_ROLES)
    return activity_totals(organisation, year)


# --- moral case law ------------------------------------------------------------------------


def may_write_case_law(user: Any, organisation: Organisation) -> bool:
    return policy.has_role(user, organisation, *CASE_LAW_WRITE_ROLES)


def moral_case_list(
    *,
    user: Any,
    organisation: Organisation,
    query: str = "",
    tag: CaseLawTag | None = None,
    status: str | None = None,
) -> QuerySet[MoralCase]:
    """Case law the user may read: published for every member, drafts for the coordinators.

    ``query`` searches title, dilemma, considerations and conclusion (these
    texts are anonymised and internal, so not encrypted and searchable).
    """
    _require(user, organisation)
    qs = MoralCase.objects.filter(organisation=organisation)
    if not may_write_case_law(user, organisation):
        qs = qs.filter(status=CaseStatus.PUBLISHED)
    elif status:
        qs = qs.filter(status=status)
    for word in query.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(dilemma__icontains=word)
            | Q(considerations__icontains=word)
            | Q(conclusion__icontains=word)
        )
    if tag is not None:
        qs = qs.filter(tags=tag)
    return qs.prefetch_related("tags").distinct()


def moral_case_get(*, user: Any, organisation: Organisation, pk: int) -> MoralCase:
    case = moral_case_list(user=user, organisation=organisation).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def moral_manifesto(*, user: Any, organisation: Organisation) -> list[dict[str, Any]]:
    """The published case law grouped by core value (the organisation's moral manifesto).

    A case tagged with two core values appears under both; cases without a
    core value come last under "other".
    """
    _require(user, organisation)
    cases = list(
        MoralCase.objects.filter(organisation=organisation, status=CaseStatus.PUBLISHED)
        .prefetch_related("tags")
        .order_by("-discussed_on", "-id")
    )
    values = list(
        CaseLawTag.objects.filter(organisation=organisation, kind=TagKind.CORE_VALUE).order_by(
            "order", "name"
        )
    )
    groups: list[dict[str, Any]] = []
    for value in values:
        members = [c for c in cases if any(t.pk == value.pk for t in c.tags.all())]
        if members:
            groups.append({"value": value, "cases": members})
    rest = [c for c in cases if not any(t.kind == TagKind.CORE_VALUE for t in c.tags.all())]
    if rest:
        groups.append({"value": None, "cases": rest})
    return groups


def activity_choices_for_cases(*, user: Any, organisation: Organisation) -> QuerySet[Activity]:
    """Moral deliberation sessions a case can be linked to."""
    _require(user, organisation, CASE_LAW_WRITE_ROLES)
    return Activity.objects.filter(organisation=organisation, type=ActivityType.MORAL_DELIBERATION)


# --- start page ---------------------------------------------------------------------------


def start_sections(user: Any, organisation: Organisation) -> list[dict]:
    """Start-page sections: counsellors register conversations, coordinators see the
    activity totals, every member finds the moral manifesto once it has entries."""
    sections: list[dict] = []
    year = timezone.localdate().year
    slug = organisation.slug
    if policy.has_role(user, organisation, Role.COUNSELLOR):
        own = CounsellorConversation.objects.filter(
            organisation=organisation, counsellor=user, date__year=year
        ).count()
        counts = counsellor_topic_counts(organisation, year)
        sections.append(
            {
                "title": _("Gesprekken als vertrouwenspersoon"),
                "template": "learning/start/counsellor.html",
                "context": {
                    "year": year,
                    "own": own,
                    "total": counts["total"],
                    "topics": [t for t in counts["topics"] if t["count"]],
                    "create_url": reverse("learning:conversation_create", kwargs={"org": slug}),
                    "list_url": reverse("learning:conversation_list", kwargs={"org": slug}),
                },
                "order": 30,
            }
        )
    if policy.has_role(user, organisation, *ACTIVITY_READ_ROLES):
        totals = activity_totals(organisation, year)
        sections.append(
            {
                "title": _("Activiteiten dit jaar"),
                "template": "learning/start/activities.html",
                "context": {
                    "year": year,
                    "totals": totals,
                    "rows": [r for r in totals["by_type"] if r["sessions"]],
                    "may_write": policy.has_role(user, organisation, *ACTIVITY_WRITE_ROLES),
                    "create_url": reverse("learning:activity_create", kwargs={"org": slug}),
                    "totals_url": reverse("learning:activity_totals", kwargs={"org": slug}),
                },
                "order": 60,
            }
        )
    if policy.has_role(user, organisation):
        published = MoralCase.objects.filter(
            organisation=organisation, status=CaseStatus.PUBLISHED
        ).count()
        if published or may_write_case_law(user, organisation):
            sections.append(
                {
                    "title": _("Ons moreel manifest"),
                    "template": "learning/start/manifesto.html",
                    "context": {
                        "published": published,
                        "manifesto_url": reverse("learning:manifesto", kwargs={"org": slug}),
                        "list_url": reverse("learning:case_list", kwargs={"org": slug}),
                    },
                    "order": 90,
                }
            )
    return sections


def default_year(value: Any) -> int:
    """A year from a query parameter, or this year when absent or invalid."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    if 1990 <= year <= dt.date.today().year + 1:
        return year
    return timezone.localdate().year


def topic_codes_for_import(organisation: Organisation) -> set[str]:
    """Codes of the organisation's active conversation topics; user-free: only codes leave it."""
    return set(
        ConversationTopic.objects.filter(organisation=organisation, is_active=True).values_list(
            "code", flat=True
        )
    )


def topics_for_import(organisation: Organisation) -> dict[str, ConversationTopic]:
    """Every conversation topic of the organisation (active or not), by code; no user involved."""
    return {t.code: t for t in ConversationTopic.objects.filter(organisation=organisation)}
