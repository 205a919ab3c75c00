"""Staff pages of the learning app under ``/app/<org>/learning/``.

Thin: each view finds the organisation and objects through the selectors
(which apply the access policy and answer 404 for what may not be seen),
validates with a form and calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intact.core.access import ALL_ROLES, for_roles
from intact.learning import forms, imports, selectors, services
from intact.learning.models import ActivityType, Audience, ContactForm, FollowUp
from intact.organisations import selectors as org_selectors
from intact.organisations.models import Organisation, Role
from intact.security import policy

COUNSELLOR = (Role.COUNSELLOR,)
COORDINATOR = (Role.COORDINATOR,)
COUNT_ROLES = tuple(selectors.COUNT_ROLES)
ACTIVITY_READ = tuple(selectors.ACTIVITY_READ_ROLES)
IMPORT_ROLES = (Role.COORDINATOR, Role.COUNSELLOR)


def _org(request: HttpRequest, slug: str, roles: tuple = ()) -> Organisation:
    return policy.organisation_for(request.user, slug, roles)


def _nav(user: Any, organisation: Organisation) -> dict[str, bool]:
    """Which learning pages the user's roles open (for the menu)."""
    return {
        "conversations": policy.has_role(user, organisation, Role.COUNSELLOR),
        "counts": policy.has_role(user, organisation, *selectors.COUNT_ROLES),
        "activities": policy.has_role(user, organisation, *selectors.ACTIVITY_READ_ROLES),
        "coordinator": policy.has_role(user, organisation, Role.COORDINATOR),
        "import": policy.has_role(user, organisation, *IMPORT_ROLES),
    }


def _render(
    request: HttpRequest,
    template: str,
    organisation: Organisation,
    context: dict,
    status: int = 200,
) -> HttpResponse:
    context = {"organisation": organisation, "nav": _nav(request.user, organisation), **context}
    return render(request, f"learning/{template}", context, status=status)


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- conversation log --------------------------------------------------------------------


@for_roles(*COUNSELLOR)
@login_required
def conversation_list(request: HttpRequest, org: str) -> HttpResponse:
    """The counsellor's own log for a year."""
    organisation = _org(request, org, COUNSELLOR)
    year = selectors.default_year(request.GET.get("year"))
    rows = selectors.conversation_list(user=request.user, organisation=organisation).filter(
        date__year=year
    )
    return _render(
        request,
        "conversation_list.html",
        organisation,
        {
            "year": year,
            "years": selectors.conversation_years(user=request.user, organisation=organisation),
            "conversations": rows,
        },
    )


@for_roles(*COUNSELLOR)
@login_required
@require_http_methods(["GET", "POST"])
def conversation_create(request: HttpRequest, org: str) -> HttpResponse:
    """Register a conversation, without names."""
    organisation = _org(request, org, COUNSELLOR)
    topics = selectors.topic_list(user=request.user, organisation=organisation, active_only=True)
    form = forms.ConversationForm(request.POST or None, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Het gesprek is geregistreerd."))
            return redirect("learning:conversation_list", org=org)
    return _render(
        request, "conversation_form.html", organisation, {"form": form, "creating": True}
    )


@for_roles(*COUNSELLOR)
@login_required
def conversation_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """One of the counsellor's own conversations, with the note (the opening is audited)."""
    organisation = _org(request, org, COUNSELLOR)
    conversation = selectors.conversation_get(user=request.user, organisation=organisation, pk=pk)
    return _render(
        request, "conversation_detail.html", organisation, {"conversation": conversation}
    )


@for_roles(*COUNSELLOR)
@login_required
@require_http_methods(["GET", "POST"])
def conversation_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COUNSELLOR)
    conversation = selectors.conversation_get(
        user=request.user, organisation=organisation, pk=pk, purpose="edit"
    )
    topics = selectors.topic_list(user=request.user, organisation=organisation, active_only=True)
    if conversation.topic_id not in {t.pk for t in topics}:
        topics = selectors.topic_list(user=request.user, organisation=organisation)
    initial = {
        "date": conversation.date,
        "topic": conversation.topic_id,
        "contact_form": conversation.contact_form,
        "follow_up": conversation.follow_up,
        "note": conversation.note or "",
    }
    form = forms.ConversationForm(request.POST or None, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_update(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Het gesprek is bijgewerkt."))
            return redirect("learning:conversation_detail", org=org, pk=pk)
    return _render(
        request,
        "conversation_form.html",
        organisation,
        {"form": form, "conversation": conversation},
    )


@for_roles(*COUNSELLOR)
@login_required
@require_http_methods(["GET", "POST"])
def conversation_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COUNSELLOR)
    conversation = selectors.conversation_get(
        user=request.user, organisation=organisation, pk=pk, purpose="delete"
    )
    if request.method == "POST":
        services.conversation_delete(actor=request.user, conversation=conversation)
        messages.success(request, _("Het gesprek is verwijderd."))
        return redirect("learning:conversation_list", org=org)
    return _render(
        request,
        "confirm_delete.html",
        organisation,
        {"object_label": str(conversation), "cancel_url": "learning:conversation_detail", "pk": pk},
    )


@for_roles(*COUNT_ROLES)
@login_required
def conversation_counts(request: HttpRequest, org: str) -> HttpResponse:
    """Counts per topic, quarter and follow-up: all that leaves the log."""
    organisation = _org(request, org, COUNT_ROLES)
    year = selectors.default_year(request.GET.get("year"))
    counts = selectors.conversation_counts(user=request.user, organisation=organisation, year=year)
    return _render(
        request,
        "conversation_counts.html",
        organisation,
        {
            "year": year,
            "years": selectors.conversation_years(user=request.user, organisation=organisation),
            "counts": counts,
            "follow_up_rows": [
                (label, counts["by_follow_up"][code]) for code, label in FollowUp.choices
            ],
            "contact_rows": [
                (label, counts["by_contact_form"][code]) for code, label in ContactForm.choices
            ],
        },
    )


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def topic_list(request: HttpRequest, org: str) -> HttpResponse:
    """The coordinator keeps the organisation's list of conversation topics."""
    organisation = _org(request, org, COORDINATOR)
    topics = selectors.topic_list(user=request.user, organisation=organisation)
    form = forms.TopicForm(request.POST or None, parents=topics.filter(parent__isnull=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Het onderwerp is toegevoegd."))
            return redirect("learning:topic_list", org=org)
    return _render(request, "topic_list.html", organisation, {"topics": topics, "form": form})


@for_roles(*COORDINATOR)
@login_required
@require_POST
def topic_toggle(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    topic = selectors.topic_get(user=request.user, organisation=organisation, pk=pk)
    services.topic_update(actor=request.user, topic=topic, is_active=not topic.is_active)
    messages.success(request, _("Het onderwerp is bijgewerkt."))
    return redirect("learning:topic_list", org=org)


# --- activities -----------------------------------------------------------------------------


@for_roles(*ACTIVITY_READ)
@login_required
def activity_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, ACTIVITY_READ)
    year = selectors.default_year(request.GET.get("year"))
    kind = request.GET.get("type") or ""
    if kind not in ActivityType.values:
        kind = ""
    rows = selectors.activity_list(
        user=request.user, organisation=organisation, year=year, type=kind or None
    )
    return _render(
        request,
        "activity_list.html",
        organisation,
        {
            "year": year,
            "years": selectors.activity_years(user=request.user, organisation=organisation),
            "type": kind,
            "types": ActivityType.choices,
            "activities": rows,
        },
    )


def _activity_form(
    request: HttpRequest, organisation: Organisation, initial: dict | None = None
) -> forms.ActivityForm:
    return forms.ActivityForm(
        request.POST or None,
        units=org_selectors.unit_list(user=request.user, organisation=organisation),
        facilitators=selectors.facilitator_list(
            user=request.user, organisation=organisation, active_only=True
        )
        if initial is None
        else selectors.facilitator_list(user=request.user, organisation=organisation),
        initial=initial or {},
    )


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    form = _activity_form(request, organisation)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("De activiteit is geregistreerd."))
            return redirect("learning:activity_detail", org=org, pk=activity.pk)
    return _render(request, "activity_form.html", organisation, {"form": form, "creating": True})


@for_roles(*ACTIVITY_READ)
@login_required
def activity_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, ACTIVITY_READ)
    activity = selectors.activity_get(user=request.user, organisation=organisation, pk=pk)
    return _render(request, "activity_detail.html", organisation, {"activity": activity})


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    activity = selectors.activity_get(user=request.user, organisation=organisation, pk=pk)
    form = _activity_form(request, organisation, forms.ActivityForm.initial_from(activity))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        pool = data.pop("facilitators")
        try:
            services.activity_update(
                actor=request.user, activity=activity, facilitators=pool, **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("De activiteit is bijgewerkt."))
            return redirect("learning:activity_detail", org=org, pk=pk)
    return _render(
        request, "activity_form.html", organisation, {"form": form, "activity": activity}
    )


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    activity = selectors.activity_get(user=request.user, organisation=organisation, pk=pk)
    if request.method == "POST":
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("De activiteit is verwijderd."))
        return redirect("learning:activity_list", org=org)
    return _render(
        request,
        "confirm_delete.html",
        organisation,
        {"object_label": str(activity), "cancel_url": "learning:activity_detail", "pk": pk},
    )


@for_roles(*ACTIVITY_READ)
@login_required
def activity_totals(request: HttpRequest, org: str) -> HttpResponse:
    """Sessions and participants per type for a year ("14 sessions, 233 employees reached")."""
    organisation = _org(request, org, ACTIVITY_READ)
    year = selectors.default_year(request.GET.get("year"))
    totals = selectors.activity_totals_for(user=request.user, organisation=organisation, year=year)
    previous = selectors.activity_totals_for(
        user=request.user, organisation=organisation, year=year - 1
    )
    labels = dict(Audience.choices)
    return _render(
        request,
        "activity_totals.html",
        organisation,
        {
            "year": year,
            "years": selectors.activity_years(user=request.user, organisation=organisation),
            "totals": totals,
            "previous": previous,
            "rows": [
                {
                    **r,
                    "audiences": [(labels[a], n) for a, n in r["by_audience"].items()],
                    "previous": previous["by_type_code"][r["type"]],
                }
                for r in totals["by_type"]
                if r["sessions"] or previous["by_type_code"][r["type"]]["sessions"]
            ],
        },
    )


@for_roles(*ACTIVITY_READ)
@login_required
@require_http_methods(["GET", "POST"])
def facilitator_list(request: HttpRequest, org: str) -> HttpResponse:
    """The facilitator pool; the coordinator adds people and external names."""
    organisation = _org(request, org, ACTIVITY_READ)
    may_write = policy.has_role(request.user, organisation, Role.COORDINATOR)
    form = None
    if may_write:
        form = forms.FacilitatorForm(
            request.POST or None,
            people=org_selectors.person_list(user=request.user, organisation=organisation).filter(
                end_date__isnull=True
            ),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.facilitator_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("De begeleider is aan de pool toegevoegd."))
                return redirect("learning:facilitator_list", org=org)
    elif request.method == "POST":
        from django.http import Http404

        raise Http404
    pool = selectors.facilitator_list(user=request.user, organisation=organisation)
    return _render(
        request,
        "facilitator_list.html",
        organisation,
        {"pool": pool, "form": form, "may_write": may_write},
    )


@for_roles(*COORDINATOR)
@login_required
@require_POST
def facilitator_toggle(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    facilitator = selectors.facilitator_get(user=request.user, organisation=organisation, pk=pk)
    services.facilitator_update(
        actor=request.user, facilitator=facilitator, is_active=not facilitator.is_active
    )
    messages.success(request, _("De pool is bijgewerkt."))
    return redirect("learning:facilitator_list", org=org)


# --- moral case law --------------------------------------------------------------------------


@for_roles(ALL_ROLES)
@login_required
def case_list(request: HttpRequest, org: str) -> HttpResponse:
    """Search the moral case law (drafts only for coordinators)."""
    organisation = _org(request, org)
    tags = selectors.tag_list(user=request.user, organisation=organisation)
    search = forms.CaseSearchForm(request.GET or None, tags=tags)
    query, tag = "", None
    if search.is_valid():
        query, tag = search.cleaned_data["q"] or "", search.cleaned_data["tag"]
    cases = selectors.moral_case_list(
        user=request.user, organisation=organisation, query=query, tag=tag
    )
    return _render(
        request,
        "case_list.html",
        organisation,
        {
            "search": search,
            "cases": cases,
            "searched": bool(query or tag),
            "may_write": selectors.may_write_case_law(request.user, organisation),
        },
    )


def _case_form(
    request: HttpRequest, organisation: Organisation, initial: dict | None = None
) -> forms.MoralCaseForm:
    return forms.MoralCaseForm(
        request.POST or None,
        tags=selectors.tag_list(user=request.user, organisation=organisation),
        activities=selectors.activity_choices_for_cases(
            user=request.user, organisation=organisation
        ),
        name_check=lambda texts: services.moral_case_name_hits(
            actor=request.user, organisation=organisation, texts=texts
        ),
        initial=initial or {},
    )


def _case_data(form: forms.MoralCaseForm) -> tuple[dict, list, bool]:
    data = dict(form.cleaned_data)
    tags = list(data.pop("core_values")) + list(data.pop("topics"))
    data.pop("names_checked", None)
    publish = data.pop("publish")
    return data, tags, publish


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    form = _case_form(request, organisation)
    if request.method == "POST" and form.is_valid():
        data, tags, publish = _case_data(form)
        try:
            case = services.moral_case_create(
                actor=request.user, organisation=organisation, tags=tags, publish=publish, **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("De casus is opgeslagen."))
            return redirect("learning:case_detail", org=org, pk=case.pk)
    return _render(request, "case_form.html", organisation, {"form": form, "creating": True})


@for_roles(ALL_ROLES)
@login_required
def case_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org)
    case = selectors.moral_case_get(user=request.user, organisation=organisation, pk=pk)
    return _render(
        request,
        "case_detail.html",
        organisation,
        {"case": case, "may_write": selectors.may_write_case_law(request.user, organisation)},
    )


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    case = selectors.moral_case_get(user=request.user, organisation=organisation, pk=pk)
    form = _case_form(request, organisation, forms.MoralCaseForm.initial_from(case))
    if request.method == "POST" and form.is_valid():
        data, tags, publish = _case_data(form)
        try:
            services.moral_case_update(actor=request.user, case=case, tags=tags, **data)
            if publish != case.is_published:
                services.moral_case_publish(actor=request.user, case=case, publish=publish)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("De casus is bijgewerkt."))
            return redirect("learning:case_detail", org=org, pk=pk)
    return _render(request, "case_form.html", organisation, {"form": form, "case": case})


@for_roles(*COORDINATOR)
@login_required
@require_POST
def case_publish(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    case = selectors.moral_case_get(user=request.user, organisation=organisation, pk=pk)
    publish = request.POST.get("publish") == "1"
    services.moral_case_publish(actor=request.user, case=case, publish=publish)
    messages.success(
        request,
        _("De casus is gepubliceerd.") if publish else _("De casus is teruggezet naar concept."),
    )
    return redirect("learning:case_detail", org=org, pk=pk)


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, COORDINATOR)
    case = selectors.moral_case_get(user=request.user, organisation=organisation, pk=pk)
    if request.method == "POST":
        services.moral_case_delete(actor=request.user, case=case)
        messages.success(request, _("De casus is verwijderd."))
        return redirect("learning:case_list", org=org)
    return _render(
        request,
        "confirm_delete.html",
        organisation,
        {"object_label": case.title, "cancel_url": "learning:case_detail", "pk": pk},
    )


@for_roles(ALL_ROLES)
@login_required
def manifesto(request: HttpRequest, org: str) -> HttpResponse:
    """Our moral manifesto: the published case law grouped by core value, for every member."""
    organisation = _org(request, org)
    groups = selectors.moral_manifesto(user=request.user, organisation=organisation)
    return _render(request, "manifesto.html", organisation, {"groups": groups})


@for_roles(*COORDINATOR)
@login_required
@require_http_methods(["GET", "POST"])
def tag_list(request: HttpRequest, org: str) -> HttpResponse:
    """The coordinator keeps the core values and topics that case law is tagged with."""
    organisation = _org(request, org, COORDINATOR)
    form = forms.TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Het label is toegevoegd."))
            return redirect("learning:tag_list", org=org)
    tags = selectors.tag_list(user=request.user, organisation=organisation)
    return _render(request, "tag_list.html", organisation, {"tags": tags, "form": form})


# --- import --------------------------------------------------------------------------------------


@for_roles(*IMPORT_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, org: str) -> HttpResponse:
    """Import activities (coordinator) or conversations (counsellor: own rows;
    coordinator: rows of earlier years that only count) from CSV or XLSX."""
    organisation = _org(request, org, IMPORT_ROLES)
    is_counsellor = policy.has_role(request.user, organisation, Role.COUNSELLOR)
    is_coordinator = policy.has_role(request.user, organisation, Role.COORDINATOR)
    kinds = (["activities"] if is_coordinator else []) + ["conversations"]
    form = forms.ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", _("Het bestand is groter dan 5 MB."))
        else:
            kind = form.cleaned_data["kind"]
            result = imports.learning_import(
                actor=request.user,
                organisation=organisation,
                kind=kind,
                filename=upload.name,
                data=upload.read(),
                counsellor=request.user if kind == "conversations" and is_counsellor else None,
            )
            if result.ok:
                messages.success(
                    request,
                    _("%(n)s regels geïmporteerd.") % {"n": result.created},
                )
    return _render(
        request,
        "import.html",
        organisation,
        {
            "form": form,
            "result": result,
            "columns": imports.COLUMNS,
            "is_counsellor": is_counsellor,
            "activity_types": ActivityType.choices,
            "audiences": Audience.choices,
            "contact_forms": ContactForm.choices,
            "follow_ups": FollowUp.choices,
        },
    )
