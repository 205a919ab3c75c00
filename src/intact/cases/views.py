"""Staff pages of the cases app under /app/<org>/zaken/ (namespace ``cases``).

Thin views: the organisation comes from the access policy, a case from
``selectors.case_get_for`` (404 for everyone who may not see it, the
implicated included), every write from a service. Each action on a case
posts to ``actie/<action>/``; an error re-renders the case page with the
message (and the form's errors), so nothing needs JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intact.cases import access, config, forms, selectors, services
from intact.cases.models import CareMeasure, Hearing, MeasureType, Party, TeamMember, TriageAction
from intact.cases.workflow import TransitionRefused
from intact.core.access import for_roles
from intact.organisations.models import Membership, Person, Role, Unit
from intact.security import files, policy

CASE_ROLES = frozenset(policy.CASE_CONTENT_ROLES)
REGISTER_ROLES = frozenset({Role.COORDINATOR})
OPEN_ROLES = frozenset({Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER})


def _org(request: HttpRequest, slug: str, roles: frozenset[str] = CASE_ROLES) -> Any:
    return policy.organisation_for(request.user, slug, roles)


def _nav(request: HttpRequest, organisation: Any) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "may_register": policy.has_role(request.user, organisation, *REGISTER_ROLES),
    }


def _units(organisation: Any) -> list[Unit]:
    return list(Unit.objects.filter(organisation=organisation).order_by("name"))


# --- list -------------------------------------------------------------------------------------


@for_roles(CASE_ROLES)
@login_required
@never_cache
def case_list(request: HttpRequest, org: str) -> HttpResponse:
    """The overview: filters, search, one page of cases, and reports in handling that still need a case."""
    organisation = _org(request, org)
    categories = selectors.categories_for(organisation)
    form = forms.FilterForm(
        request.GET or None,
        organisation=organisation,
        categories=categories,
        units=_units(organisation),
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data.get("status") or "",
            "category": data.get("category") or "",
            "severity": data.get("severity") or "",
            "unit": data.get("unit"),
            "year": data.get("year"),
            "overdue": bool(data.get("overdue")),
            "query": (data.get("q") or "").strip(),
        }
    page = selectors.case_page_for(
        user=request.user, organisation=organisation, page=request.GET.get("page"), **filters
    )
    return render(
        request,
        "cases/list.html",
        {
            **_nav(request, organisation),
            "form": form,
            "page": page,
            "rows": page.rows,
            "awaiting": selectors.reports_awaiting_case(
                user=request.user, organisation=organisation
            ),
        },
    )


@for_roles(REGISTER_ROLES)
@login_required
@never_cache
def case_register(request: HttpRequest, org: str) -> HttpResponse:
    """Register a matter that came in outside Intact (periodic inquiry, before Intact)."""
    organisation = _org(request, org, REGISTER_ROLES)
    categories = selectors.categories_for(organisation)
    units = _units(organisation)
    form = forms.RegisterForm(request.POST or None, categories=categories, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next((u for u in units if u.pk == data.get("unit")), None)
        chosen = [c for c in categories if str(c.pk) in set(data.get("categories") or [])]
        parties = [{"role": "accused", "name": data["accused"]}] if data.get("accused") else []
        try:
            case = services.case_register(
                organisation=organisation,
                user=request.user,
                origin=data["origin"],
                report_type=data["report_type"],
                received_on=data["received_on"],
                channel=data.get("channel") or "",
                unit=unit,
                commissioning_authority=data.get("commissioning_authority") or "",
                description=data["description"],
                object_of_investigation=data.get("object_of_investigation") or "",
                categories=chosen,
                parties=parties,
            )
        except services.CaseInvalid as exc:
            _errors_to_form(form, exc.errors)
        else:
            messages.success(
                request,
                _(
                    "De zaak is geregistreerd. Leg eerst uw verklaring over belangenverstrengeling af."
                ),
            )
            return redirect("cases:detail", org=org, ref=case.reference)
    return render(request, "cases/register.html", {**_nav(request, organisation), "form": form})


@for_roles(OPEN_ROLES)
@login_required
@require_POST
def case_open(request: HttpRequest, org: str, report_ref: str) -> HttpResponse:
    """Open the case for a report the user may see."""
    organisation = _org(request, org, OPEN_ROLES)
    report = selectors.report_for_case_open(
        user=request.user, organisation=organisation, reference=report_ref
    )
    try:
        case = services.case_open(report=report, user=request.user)
    except services.CaseInvalid as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.errors.values() for m in msgs))
        return redirect("cases:list", org=org)
    messages.success(
        request, _("De zaak is geopend. Leg eerst uw verklaring over belangenverstrengeling af.")
    )
    return redirect("cases:detail", org=org, ref=case.reference)


# --- the case page ---------------------------------------------------------------------------------


def _errors_to_form(form: Any, errors: dict[str, list[str]]) -> None:
    for key, msgs in errors.items():
        for msg in msgs:
            form.add_error(key if key in form.fields else None, str(msg))


def _forms(
    organisation: Any, case: Any, ctx: dict[str, Any], bound: dict[str, Any]
) -> dict[str, Any]:
    parties = ctx.get("parties", [])
    categories = selectors.categories_for(organisation)
    initial_file = {
        "commissioning_authority": case.commissioning_authority,
        "description": case.description or "",
        "object_of_investigation": case.object_of_investigation or "",
        "unit": case.unit_id,
        "categories": [str(c.pk) for c in ctx.get("categories", [])],
    }
    users = [
        m.user
        for m in Membership.objects.filter(organisation=organisation, role__in=CASE_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    ]
    seen: set[int] = set()
    users = [u for u in users if not (u.pk in seen or seen.add(u.pk))]  # type: ignore[func-returns-value]
    made = {
        "file": forms.FileForm(
            initial=initial_file, categories=categories, units=_units(organisation)
        ),
        "party": forms.PartyForm(
            people=list(
                Person.objects.filter(organisation=organisation).order_by(
                    "last_name", "first_name"
                )[:500]
            )
        ),
        "decision": forms.DecisionForm(),
        "assignment": forms.AssignmentForm(
            initial={"assignment": case.assignment, "assignee_label": case.assignee_label}
        ),
        "plan": forms.AssignmentForm(),
        "hearing": forms.HearingForm(parties=parties),
        "response": forms.ResponseForm(),
        "findings": forms.FindingsForm(
            initial={"findings": case.findings or "", "conclusion": case.conclusion}
        ),
        "measure": forms.MeasureForm(
            measure_types=selectors.measure_types_for(organisation), parties=parties
        ),
        "care": forms.CareForm(parties=parties),
        "notification": forms.NotificationForm(),
        "feedback": forms.FeedbackForm(),
        "summary": forms.SummaryForm(
            initial={
                "description": case.summary_description or "",
                "object_of_investigation": case.summary_object or "",
                "findings": case.summary_findings or "",
                "consequence": case.summary_consequence or "",
                "reviewed": case.summary_reviewed,
            }
        ),
        "invite": forms.InviteForm(users=users),
        "document": forms.DocumentForm(),
    }
    made.update({k: v for k, v in bound.items() if v is not None})
    for key, form in made.items():
        if not form.is_bound:
            form.prefix = key
    return made


def _render_case(
    request: HttpRequest,
    organisation: Any,
    case: Any,
    level: str,
    *,
    status: int = 200,
    bound: dict[str, Any] | None = None,
    error: str = "",
) -> HttpResponse:
    ctx: dict[str, Any] = {
        **_nav(request, organisation),
        "case": case,
        "level": level,
        "error": error,
    }
    if level == access.CONTENT:
        ctx.update(selectors.case_file(case=case, user=request.user))
        # Link to the report only for team members who may open it too (need to know).
        if case.report_id is not None:
            from intact.reporting.selectors import report_list_for

            ctx["report_visible"] = (
                report_list_for(user=request.user, organisation=organisation)
                .filter(pk=case.report_id)
                .exists()
            )
        ctx["forms"] = _forms(organisation, case, ctx, bound or {})
        ctx["error_form"] = next(
            (f for f in (bound or {}).values() if f is not None and f.errors), None
        )
        return render(request, "cases/detail.html", ctx, status=status)
    ctx["declaration_form"] = (bound or {}).get("declaration") or forms.DeclarationForm()
    ctx["may_join"] = access.may_join(request.user, case)
    flow = config.workflow_for(organisation, case.report_type)
    from intact.cases.workflow import state_label

    ctx["status_label"] = state_label(flow, case.status)
    ctx["error_form"] = ctx["declaration_form"] if ctx["declaration_form"].errors else None
    return render(request, "cases/join.html", ctx, status=status)


@for_roles(CASE_ROLES)
@login_required
@never_cache
def case_detail(request: HttpRequest, org: str, ref: str) -> HttpResponse:
    """The case file with timeline and what is due next (or the join page for coordinators and invitees)."""
    organisation = _org(request, org)
    case, level = selectors.case_get_for(
        user=request.user, organisation=organisation, reference=ref
    )
    return _render_case(request, organisation, case, level)


@for_roles(CASE_ROLES)
@login_required
@require_POST
def case_declare(request: HttpRequest, org: str, ref: str) -> HttpResponse:
    """The conflict-of-interest declaration that lets a user join the team."""
    organisation = _org(request, org)
    case, level = selectors.case_get_for(
        user=request.user, organisation=organisation, reference=ref
    )
    form = forms.DeclarationForm(request.POST)
    if form.is_valid():
        try:
            member = services.team_declare(
                case=case,
                user=request.user,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data.get("note") or "",
            )
        except services.CaseInvalid as exc:
            _errors_to_form(form, exc.errors)
        except services.CaseActionRefused as exc:
            return _render_case(request, organisation, case, level, status=403, error=exc.message)
        else:
            if member.has_conflict:
                messages.info(
                    request,
                    _("U heeft een mogelijk belang gemeld en neemt geen deel aan deze zaak."),
                )
                return redirect("cases:list", org=org)
            messages.success(request, _("U bent toegetreden tot het team van deze zaak."))
            return redirect("cases:detail", org=org, ref=ref)
    return _render_case(request, organisation, case, level, status=400, bound={"declaration": form})


def _party(case: Any, pk: Any) -> Party | None:
    return Party.objects.filter(case=case, pk=pk).first() if pk else None


def _date(value: Any) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


ActionHandler = Callable[[HttpRequest, Any, Any, dict[str, Any]], str]


def _a_file(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    categories = selectors.categories_for(org)
    unit = (
        Unit.objects.filter(organisation=org, pk=d.get("unit")).first() if d.get("unit") else None
    )
    services.case_update(
        case=case,
        user=request.user,
        commissioning_authority=d.get("commissioning_authority") or "",
        description=d.get("description") or "",
        object_of_investigation=d.get("object_of_investigation") or "",
        unit=unit,
        categories=[c for c in categories if str(c.pk) in set(d.get("categories") or [])],
    )
    return _("Het dossier is bijgewerkt.")


def _a_party(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    person = (
        Person.objects.filter(organisation=org, pk=d.get("person")).first()
        if d.get("person")
        else None
    )
    services.party_add(
        case=case,
        user=request.user,
        role=d["role"],
        name=d.get("name") or "",
        person=person,
        note=d.get("note") or "",
    )
    return _("De partij is toegevoegd.")


def _a_decision(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    services.decision_record(
        case=case,
        user=request.user,
        decision=d["decision"],
        motivation=d["motivation"],
        message_to_reporter=d.get("message_to_reporter") or "",
    )
    return (
        _("Het besluit is vastgelegd; de melder is via de postbus geïnformeerd.")
        if case.report_id
        else _("Het besluit is vastgelegd.")
    )


def _a_assignment(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    services.assignment_set(
        case=case,
        user=request.user,
        assignment=d["assignment"],
        assignee_label=d.get("assignee_label") or "",
        plan=d.get("plan") or "",
    )
    return _("De toewijzing is vastgelegd.")


def _a_hearing(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    party = _party(case, d.get("party"))
    if party is None:
        raise services.CaseInvalid({"party": [_("Onbekende partij.")]})
    services.hearing_record(
        case=case, user=request.user, party=party, held_on=d["held_on"], record=d["record"]
    )
    return _("Het hoorverslag is vastgelegd. Leg de reactie van de gehoorde vast zodra die er is.")


def _a_findings(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    services.findings_record(
        case=case, user=request.user, findings=d["findings"], conclusion=d["conclusion"]
    )
    return _("De bevindingen en de conclusie zijn vastgelegd.")


def _a_measure(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    measure_type = MeasureType.objects.filter(organisation=org, pk=d.get("measure_type")).first()
    if measure_type is None:
        raise services.CaseInvalid({"measure_type": [_("Kies een maatregel uit de lijst.")]})
    services.measure_add(
        case=case,
        user=request.user,
        measure_type=measure_type,
        party=_party(case, d.get("party")),
        decided_on=d.get("decided_on"),
        note=d.get("note") or "",
    )
    return _("De maatregel is vastgelegd.")


def _a_care(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    services.care_measure_add(
        case=case,
        user=request.user,
        description=d["description"],
        party=_party(case, d.get("party")),
        due_on=d.get("due_on"),
    )
    return _("De zorgmaatregel is toegevoegd.")


def _a_notification(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    services.notification_add(
        case=case,
        user=request.user,
        kind=d["kind"],
        sent_on=d["sent_on"],
        recipient=d.get("recipient") or "",
        external_reference=d.get("external_reference") or "",
        note=d.get("note") or "",
    )
    return _("De externe melding is vastgelegd.")


def _a_feedback(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    services.reporter_feedback_send(case=case, user=request.user, body=d["body"])
    return (
        _("De terugkoppeling is verstuurd.")
        if case.report_id
        else _("De terugkoppeling is vastgelegd.")
    )


def _a_summary(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    services.summary_update(
        case=case,
        user=request.user,
        description=d.get("description") or "",
        object_of_investigation=d.get("object_of_investigation") or "",
        findings=d.get("findings") or "",
        consequence=d.get("consequence") or "",
        reviewed=bool(d.get("reviewed")),
    )
    return _("De openbare samenvatting is opgeslagen.")


def _a_invite(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    membership = (
        Membership.objects.filter(organisation=org, user_id=d.get("member"))
        .select_related("user")
        .first()
    )
    if membership is None:
        raise services.CaseInvalid({"member": [_("Onbekende gebruiker.")]})
    services.team_invite(case=case, user=request.user, member=membership.user, role=d["role"])
    return _(
        "De gebruiker is uitgenodigd; na de verklaring over belangenverstrengeling ziet hij of zij de zaak."
    )


def _a_document(request: HttpRequest, case: Any, org: Any, d: dict[str, Any]) -> str:
    upload = d["file"]
    services.document_add(
        case=case,
        user=request.user,
        name=upload.name,
        content_type=upload.content_type or "",
        data=upload.read(),
    )
    return _("Het document is toegevoegd.")


ACTIONS: dict[str, tuple[str, Callable[..., Any], ActionHandler]] = {
    "file": (
        "file",
        lambda p, f, o, c, x: forms.FileForm(
            p, categories=selectors.categories_for(o), units=_units(o)
        ),
        _a_file,
    ),
    "party": (
        "party",
        lambda p, f, o, c, x: forms.PartyForm(
            p, people=list(Person.objects.filter(organisation=o))
        ),
        _a_party,
    ),
    "decision": ("decision", lambda p, f, o, c, x: forms.DecisionForm(p), _a_decision),
    "assignment": ("assignment", lambda p, f, o, c, x: forms.AssignmentForm(p), _a_assignment),
    "hearing": (
        "hearing",
        lambda p, f, o, c, x: forms.HearingForm(p, parties=list(c.parties.all())),
        _a_hearing,
    ),
    "findings": ("findings", lambda p, f, o, c, x: forms.FindingsForm(p), _a_findings),
    "measure": (
        "measure",
        lambda p, f, o, c, x: forms.MeasureForm(
            p, measure_types=selectors.measure_types_for(o), parties=list(c.parties.all())
        ),
        _a_measure,
    ),
    "care": (
        "care",
        lambda p, f, o, c, x: forms.CareForm(p, parties=list(c.parties.all())),
        _a_care,
    ),
    "notification": (
        "notification",
        lambda p, f, o, c, x: forms.NotificationForm(p),
        _a_notification,
    ),
    "feedback": ("feedback", lambda p, f, o, c, x: forms.FeedbackForm(p), _a_feedback),
    "summary": ("summary", lambda p, f, o, c, x: forms.SummaryForm(p), _a_summary),
    "invite": ("invite", lambda p, f, o, c, x: forms.InviteForm(p, users=x), _a_invite),
    "document": ("document", lambda p, f, o, c, x: forms.DocumentForm(p, f), _a_document),
}


def _invite_users(organisation: Any) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation, role__in=CASE_ROLES
        ).select_related("user")
    ]


@for_roles(CASE_ROLES)
@login_required
@require_POST
def case_action(request: HttpRequest, org: str, ref: str, action: str) -> HttpResponse:
    """Every action on the case file posts here."""
    organisation = _org(request, org)
    case, level = selectors.case_get_for(
        user=request.user, organisation=organisation, reference=ref
    )
    if level != access.CONTENT:
        raise Http404
    done = redirect("cases:detail", org=org, ref=ref)
    try:
        if action == "transition":
            form = forms.TransitionForm(request.POST)
            if not form.is_valid():
                raise services.CaseInvalid({"target": [_("Onbekende stap.")]})
            services.case_transition(
                case=case,
                user=request.user,
                target=form.cleaned_data["target"],
                expected_status=form.cleaned_data.get("expected_status") or None,
                note=form.cleaned_data.get("note") or "",
            )
            messages.success(request, _("De status van de zaak is gewijzigd."))
            return done
        if action in ("action-done", "care-done", "response", "team-remove"):
            return _item_action(request, organisation, case, level, action) or done
        if action not in ACTIONS:
            raise Http404
        key, make, handler = ACTIONS[action]
        form = make(
            request.POST,
            request.FILES,
            organisation,
            case,
            _invite_users(organisation) if action == "invite" else None,
        )
        form.prefix = key
        if not form.is_valid():
            return _render_case(request, organisation, case, level, status=400, bound={key: form})
        try:
            messages.success(request, handler(request, case, organisation, form.cleaned_data))
        except services.CaseInvalid as exc:
            _errors_to_form(form, exc.errors)
            return _render_case(request, organisation, case, level, status=400, bound={key: form})
    except TransitionRefused as exc:
        return _render_case(request, organisation, case, level, status=409, error=exc.message)
    except services.CaseActionRefused as exc:
        return _render_case(request, organisation, case, level, status=403, error=exc.message)
    except services.CaseInvalid as exc:
        return _render_case(
            request,
            organisation,
            case,
            level,
            status=400,
            error=" ".join(str(m) for msgs in exc.errors.values() for m in msgs),
        )
    return done


def _item_action(
    request: HttpRequest, organisation: Any, case: Any, level: str, action: str
) -> HttpResponse | None:
    item_id = request.POST.get("item", "")
    if not item_id.isdigit():
        raise Http404
    if action == "action-done":
        item = TriageAction.objects.filter(case=case, pk=item_id).first()
        if item is None:
            raise Http404
        services.triage_action_complete(
            action=item, user=request.user, note=request.POST.get("note", "")[:2000]
        )
        messages.success(request, _("De actie is afgerond."))
    elif action == "care-done":
        care = CareMeasure.objects.filter(case=case, pk=item_id).first()
        if care is None:
            raise Http404
        services.care_measure_complete(item=care, user=request.user)
        messages.success(request, _("De zorgmaatregel is afgerond."))
    elif action == "response":
        hearing = Hearing.objects.filter(case=case, pk=item_id).first()
        if hearing is None:
            raise Http404
        form = forms.ResponseForm(request.POST)
        if not form.is_valid():
            return _render_case(
                request, organisation, case, level, status=400, bound={"response": form}
            )
        try:
            services.hearing_response_record(
                hearing=hearing,
                user=request.user,
                response=form.cleaned_data.get("response") or "",
                waived=bool(form.cleaned_data.get("waived")),
            )
        except services.CaseInvalid as exc:
            _errors_to_form(form, exc.errors)
            return _render_case(
                request, organisation, case, level, status=400, bound={"response": form}
            )
        messages.success(request, _("De reactie van de gehoorde is vastgelegd."))
    elif action == "team-remove":
        member = TeamMember.objects.filter(case=case, pk=item_id, removed_at__isnull=True).first()
        if member is None:
            raise Http404
        services.team_remove(case=case, user=request.user, member=member)
        messages.success(request, _("Het teamlid is verwijderd."))
    return None


@for_roles(CASE_ROLES)
@login_required
@never_cache
def case_triage(request: HttpRequest, org: str, ref: str) -> HttpResponse:
    """The triage instrument for this case; shows the severity and actions it leads to, then records it."""
    from intact.cases import triage

    organisation = _org(request, org)
    case, level = selectors.case_get_for(
        user=request.user, organisation=organisation, reference=ref
    )
    if level != access.CONTENT:
        raise Http404
    instrument = config.triage_instrument(organisation)
    current = case.triages.filter(is_current=True).first()
    initial = {f"c_{k}": v for k, v in (current.answers if current else {}).items()}
    form = forms.TriageForm(
        request.POST or None, initial=initial, instrument=instrument, kind=organisation.kind
    )
    preview = None
    error = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answers = form.answers()
            clean, _errors = triage.clean_answers(instrument, answers, organisation.kind)
            preview = triage.evaluate(instrument, clean, kind=organisation.kind)
            if "preview" not in request.POST:
                try:
                    services.triage_record(
                        case=case,
                        user=request.user,
                        answers=answers,
                        motivation=form.cleaned_data["motivation"],
                        severity=form.cleaned_data.get("severity") or None,
                    )
                except services.CaseActionRefused as exc:
                    error, status = exc.message, 403
                except services.CaseInvalid as exc:
                    _errors_to_form(form, exc.errors)
                    status = 400
                else:
                    messages.success(request, _("De triage is vastgelegd."))
                    return redirect("cases:detail", org=org, ref=ref)
        else:
            status = 400
    levels = {lvl["code"]: config.label(lvl) for lvl in instrument["levels"]}
    return render(
        request,
        "cases/triage.html",
        {
            **_nav(request, organisation),
            "case": case,
            "form": form,
            "preview": preview,
            "error": error,
            "levels": levels,
            "preview_label": levels.get(preview.severity) if preview else "",
        },
        status=status,
    )


@for_roles(CASE_ROLES)
@login_required
@never_cache
def case_document(request: HttpRequest, org: str, ref: str, document: int) -> HttpResponse:
    """Download a document of the case file (decrypted; audited)."""
    organisation = _org(request, org)
    case, _level = selectors.case_get_for(
        user=request.user, organisation=organisation, reference=ref
    )
    doc = selectors.case_document_for(case=case, user=request.user, document_id=document)
    import io

    response = FileResponse(
        io.BytesIO(files.file_read(doc.file)),
        as_attachment=True,
        filename=doc.name,
        content_type=doc.file.content_type,
    )
    return response


@for_roles(REGISTER_ROLES)
@login_required
@never_cache
def category_list(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's categories, their standard mapping; add one or switch one off."""
    organisation = _org(request, org, REGISTER_ROLES)
    standards = selectors.standard_categories()
    form = forms.CategoryForm(request.POST or None, standards=standards)
    if request.method == "POST":
        toggle = request.POST.get("toggle", "")
        if toggle.isdigit():
            category = next(
                (
                    c
                    for c in selectors.categories_for(organisation, active_only=False)
                    if c.pk == int(toggle)
                ),
                None,
            )
            if category is None:
                raise Http404
            services.category_set_active(
                category=category, user=request.user, active=not category.active
            )
            messages.success(request, _("De categorie is gewijzigd."))
            return redirect("cases:categories", org=org)
        if form.is_valid():
            try:
                services.category_add(
                    organisation=organisation, user=request.user, **form.cleaned_data
                )
            except services.CaseInvalid as exc:
                _errors_to_form(form, exc.errors)
            else:
                messages.success(request, _("De categorie is toegevoegd."))
                return redirect("cases:categories", org=org)
    labels = {s["code"]: config.label(s) for s in standards}
    categories = selectors.categories_for(organisation, active_only=False)
    return render(
        request,
        "cases/categories.html",
        {
            **_nav(request, organisation),
            "form": form,
            "categories": [(c, labels.get(c.standard, c.standard)) for c in categories],
        },
        status=400 if form.errors else 200,
    )


def _rules_context(organisation: Any) -> dict[str, Any]:
    from intact.cases import triage as triage_engine
    from intact.cases import workflow as wf
    from intact.reporting.choices import ReportType

    flows = []
    for code, label in ReportType.choices:
        flow = config.workflow_for(organisation, code)
        flows.append(
            {
                "label": label,
                "transitions": [
                    {
                        "label": t.label,
                        "source": wf.state_label(flow, t.source),
                        "target": wf.state_label(flow, t.target),
                        "roles": wf._role_names(t.roles),
                        "guards": [str(wf.GUARD_MESSAGES.get(g, g)) for g in t.guards],
                    }
                    for t in wf.transitions(flow)
                ],
            }
        )
    instrument = config.triage_instrument(organisation)
    levels = {lvl["code"]: config.label(lvl) for lvl in instrument["levels"]}
    actions = [
        {
            "label": config.label(a),
            "from_level": levels.get(a.get("from_level", ""), ""),
            "when": [" + ".join(group) for group in a.get("when") or []],
            "term_hours": a["term_hours"],
            "applies_to": ", ".join(a.get("applies_to") or []),
        }
        for a in instrument["actions"]
    ]
    return {
        "flows": flows,
        "levels": list(levels.values()),
        "criteria": triage_engine.criteria_for(instrument, organisation.kind),
        "actions": actions,
        "retention": [
            {"label": config.label(t), "months": t["months"], "source": t.get("source", "")}
            for t in config.retention_terms(organisation).values()
        ],
    }


@for_roles(REGISTER_ROLES)
@login_required
@never_cache
def rules(request: HttpRequest, org: str) -> HttpResponse:
    """The rules as data: the workflow table, the triage instrument, retention terms; coordinators adapt them."""
    import yaml

    organisation = _org(request, org, REGISTER_ROLES)
    sources = {
        "triage": config.triage_instrument(organisation),
        "workflow": config.defaults("workflow")
        if not config._stored(organisation, "workflow")
        else config._stored(organisation, "workflow"),
        "retention": {"terms": config.retention_terms(organisation)},
    }
    bound = None
    if request.method == "POST":
        bound = forms.ConfigForm(request.POST, prefix=request.POST.get("which", "triage"))
        if bound.is_valid():
            try:
                definition = yaml.safe_load(bound.cleaned_data["definition"])
                if not isinstance(definition, dict):
                    raise services.CaseInvalid(
                        {"definition": [_("Dit is geen geldige definitie.")]}
                    )
                if bound.cleaned_data["name"] == "retention":
                    definition = {**config.defaults("retention"), **definition}
                services.case_config_set(
                    organisation=organisation,
                    user=request.user,
                    name=bound.cleaned_data["name"],
                    definition=definition,
                    note=bound.cleaned_data.get("note") or "",
                )
            except yaml.YAMLError:
                bound.add_error("definition", _("Dit is geen geldige YAML."))
            except (services.CaseInvalid, KeyError, TypeError, ValueError) as exc:
                errors = (
                    exc.errors
                    if isinstance(exc, services.CaseInvalid)
                    else {"definition": [str(exc)]}
                )
                for msgs in errors.values():
                    for msg in msgs:
                        bound.add_error("definition", str(msg))
            else:
                messages.success(request, _("De nieuwe versie is opgeslagen en geldt vanaf nu."))
                return redirect("cases:rules", org=org)
    config_forms = []
    for name, title in (
        ("triage", _("Triage-instrument")),
        ("workflow", _("Procedure (statussen en overgangen)")),
        ("retention", _("Bewaartermijnen")),
    ):
        if bound is not None and bound.prefix == name:
            form = bound
        else:
            form = forms.ConfigForm(
                prefix=name,
                initial={
                    "name": name,
                    "definition": yaml.safe_dump(
                        sources[name], allow_unicode=True, sort_keys=False
                    ),
                },
            )
        config_forms.append({"name": name, "title": title, "form": form})
    return render(
        request,
        "cases/rules.html",
        {
            **_nav(request, organisation),
            **_rules_context(organisation),
            "config_forms": config_forms,
            "error_form": bound if bound is not None and bound.errors else None,
        },
        status=400 if bound is not None and bound.errors else 200,
    )
