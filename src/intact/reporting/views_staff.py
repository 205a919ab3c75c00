"""Staff pages of reporting: inbox, report detail and actions, intake on behalf,
identity reveal decisions, procedures and settings.

Thin views: the organisation comes from the access policy (404 for anyone
without a fitting role), reports from ``selectors.report_get_for`` (404 for
anyone without access, and for implicated persons), writes from the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from intact.core.access import for_roles
from intact.organisations.models import IntegrityOrgan, Role
from intact.reporting import forms_staff as forms
from intact.reporting import procedures, selectors, selectors_staff, services, services_staff
from intact.reporting.models import MessageDirection
from intact.reporting.uploads import UploadRejected
from intact.security import audit, files, policy

HANDLER_ROLES = frozenset(
    {Role.COUNSELLOR, Role.MANAGER, Role.COORDINATOR, Role.INVESTIGATOR, Role.COMPETENT_AUTHORITY}
)
INTAKE_ROLES = frozenset({Role.COUNSELLOR, Role.MANAGER})
PROCEDURE_ROLES = frozenset({Role.COORDINATOR})


def _org(request: HttpRequest, slug: str, roles: frozenset[str]) -> Any:
    return policy.organisation_for(request.user, slug, roles)


def _nav(request: HttpRequest, organisation: Any) -> dict[str, Any]:
    held = policy.roles_in(request.user, organisation)
    return {
        "organisation": organisation,
        "may_intake": bool(held & INTAKE_ROLES),
        "may_edit_procedures": bool(held & PROCEDURE_ROLES),
        "is_custodian": services_staff.is_custodian(request.user, organisation),
    }


def _errors_to_form(form: Any, errors: dict[str, list[str]]) -> None:
    for key, msgs in errors.items():
        for msg in msgs:
            form.add_error(key if key in form.fields else None, msg)


# --- inbox ------------------------------------------------------------------------


@for_roles(HANDLER_ROLES)
@login_required
@never_cache
def inbox(request: HttpRequest, org: str) -> HttpResponse:
    """Reports the user may see, one page at a time, with status, type and the next term."""
    organisation = _org(request, org, HANDLER_ROLES)
    page = selectors_staff.inbox_page_for(
        user=request.user, organisation=organisation, page=request.GET.get("page")
    )
    return render(
        request,
        "reporting/staff/inbox.html",
        {**_nav(request, organisation), "page": page, "rows": page.rows},
    )


def _detail_context(request: HttpRequest, organisation: Any, report: Any, **forms_in: Any) -> dict[str, Any]:
    questions = {q.key: q for q in services.questions_for(organisation, report.report_type)}
    lang = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "nl"
    answers = [
        {"question": questions[k].text(lang) if k in questions else k, "answer": v}
        for k, v in (report.answers or {}).items()
    ]
    identity, identity_state = services_staff.identity_for(user=request.user, report=report)
    msgs = selectors.mailbox_messages(report=report)
    return {
        **_nav(request, organisation),
        "report": report,
        "answers": answers,
        "attachments": selectors.report_attachments(report=report),
        "messages_list": msgs,
        "notes": list(report.notes.select_related("author").all()),
        "events": selectors_staff.timeline_for_report(report=report),
        "terms": selectors_staff.terms_for_report(report=report),
        "routes": selectors_staff.routes_for_report(report=report),
        "identity": identity,
        "identity_state": identity_state,
        "my_reveal_requests": selectors_staff.reveal_requests_of(user=request.user, report=report),
        "implicated": list(report.implicated.all()),
        "message_form": forms_in.get("message_form") or forms.MessageForm(),
        "note_form": forms_in.get("note_form") or forms.NoteForm(),
        "close_form": forms_in.get("close_form") or forms.CloseForm(),
        "reveal_form": forms_in.get("reveal_form") or forms.RevealRequestForm(),
        "extend_form": forms_in.get("extend_form"),
        "pause_form": forms_in.get("pause_form"),
        "error_form": next((f for f in forms_in.values() if f is not None and f.errors), None),
        "is_open": report.status != "closed",
        "people": _people_for_linking(request, organisation),
        "escalation": _escalation_labels(report),
    }


def _people_for_linking(request: HttpRequest, organisation: Any) -> list[Any] | None:
    """People a handler may name as implicated; None for roles without the personnel overview."""
    from intact.organisations import selectors as org_selectors

    if not policy.roles_in(request.user, organisation) & set(policy.PEOPLE_ROLES):
        return None
    return list(org_selectors.person_list(user=request.user, organisation=organisation, current_only=True)[:2000])


def _implicated_action(request: HttpRequest, organisation: Any, report: Any, action: str) -> None:
    """Link a named person to an implicated entry, or add one; their user loses access at once."""
    from intact.organisations import selectors as org_selectors

    try:
        person_id = int(request.POST.get("person", ""))
    except ValueError as exc:
        raise services.ReportInvalid({"person": [_("Kies een persoon.")]}) from exc
    person = org_selectors.person_get(user=request.user, organisation=organisation, pk=person_id)
    if action == "implicated-link":
        item = report.implicated.filter(pk=request.POST.get("item") or 0, person__isnull=True).first()
        if item is None:
            raise Http404
        services.implicated_link(item=item, user=request.user, person=person)
    else:
        services.implicated_add(report=report, user=request.user, person=person,
                                description=(request.POST.get("description") or "")[:500])


def _escalation_labels(report: Any) -> str:
    from intact.reporting.routing import next_escalation

    step = next_escalation(report)
    return _(" of ").join(s.label for s in step[2]) if step else ""


@for_roles(HANDLER_ROLES)
@login_required
@never_cache
def detail(request: HttpRequest, org: str, ref: str) -> HttpResponse:
    """One report: answers, files, messages, internal notes, timeline, terms and actions."""
    organisation = _org(request, org, HANDLER_ROLES)
    report = selectors.report_get_for(user=request.user, organisation=organisation, reference=ref)
    ctx = _detail_context(request, organisation, report)
    if any(m.direction == MessageDirection.FROM_REPORTER and m.read_at is None for m in ctx["messages_list"]):
        services.handler_messages_mark_read(report=report, user=request.user)
    return render(request, "reporting/staff/detail.html", ctx)


SIMPLE_ACTIONS = {
    "acknowledge": (services.report_acknowledge, _("De ontvangst is bevestigd; de melder ziet dit in de postbus.")),
    "feedback": (services.report_feedback_given, _("Vastgelegd dat de melder terugkoppeling kreeg.")),
}


@for_roles(HANDLER_ROLES)
@login_required
@require_POST
def action(request: HttpRequest, org: str, ref: str, action: str) -> HttpResponse:
    """Every action on a report posts here; errors re-render the page with the message."""
    organisation = _org(request, org, HANDLER_ROLES)
    report = selectors.report_get_for(user=request.user, organisation=organisation, reference=ref)
    user = request.user
    done = redirect("reporting:detail", org=org, ref=ref)
    form_key, form = None, None
    try:
        if action in SIMPLE_ACTIONS:
            func, msg = SIMPLE_ACTIONS[action]
            func(report=report, user=user)
            messages.success(request, str(msg))
            return done
        if action == "case":
            # Taking a report into handling opens its case file in the same step.
            from intact.cases.services import case_open

            case = case_open(report=report, user=user)
            messages.success(request, _("De melding is in behandeling genomen als zaak."))
            return redirect("cases:detail", org=org, ref=case.reference)
        if action in ("block", "unblock"):
            services.mailbox_block(report=report, user=user, blocked=action == "block")
            messages.success(request, _("De postbus is geblokkeerd.") if action == "block"
                             else _("De postbus is weer open."))
            return done
        if action in ("implicated-link", "implicated-add"):
            _implicated_action(request, organisation, report, action)
            messages.success(request, _("De betrokkene is vastgelegd en heeft geen toegang tot de melding."))
            if selectors.user_is_implicated(user=user, report=report):
                return redirect("reporting:inbox", org=org)
            return done
        if action == "escalate":
            from intact.reporting.routing import report_escalate

            report_escalate(report=report, user=user)
            messages.success(request, _("De melding is doorgezet naar de volgende trede van de procedure."))
            return done
        if action == "minutes-confirmed":
            services_staff.minutes_confirmed_register(report=report, user=user)
            messages.success(request, _("Vastgelegd dat de melder het verslag heeft bevestigd."))
            return done
        if action == "message":
            form_key, form = "message_form", forms.MessageForm(request.POST, request.FILES)
            if form.is_valid():
                services.handler_message_send(report=report, author=user, body=form.cleaned_data["body"],
                                              attachments=form.cleaned_data["files"])
                messages.success(request, _("Het bericht staat in de postbus van de melder."))
                return done
        elif action == "note":
            form_key, form = "note_form", forms.NoteForm(request.POST)
            if form.is_valid():
                services.internal_note_add(report=report, author=user, body=form.cleaned_data["body"])
                messages.success(request, _("De notitie is opgeslagen."))
                return done
        elif action == "close":
            form_key, form = "close_form", forms.CloseForm(request.POST)
            if form.is_valid():
                services.report_close(report=report, user=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("De melding is afgesloten; de melder ziet de reden."))
                return done
        elif action == "reveal":
            form_key, form = "reveal_form", forms.RevealRequestForm(request.POST)
            if form.is_valid():
                services_staff.identity_reveal_request(report=report, user=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Uw verzoek is naar de bewaarder gestuurd."))
                return done
        elif action == "term-extend":
            form_key, form = "extend_form", forms.TermExtendForm(request.POST)
            if form.is_valid():
                services_staff.term_extend(report=report, user=user, term_id=form.cleaned_data["term"],
                                           days=form.cleaned_data["days"], reason=form.cleaned_data["reason"])
                messages.success(request, _("De termijn is verlengd."))
                return done
        elif action == "term-pause":
            form_key, form = "pause_form", forms.TermPauseForm(request.POST)
            if form.is_valid():
                services_staff.term_pause_toggle(report=report, user=user, term_id=form.cleaned_data["term"],
                                                 reason=form.cleaned_data["reason"])
                messages.success(request, _("De termijn is bijgewerkt."))
                return done
        else:
            raise Http404
    except services.ReportInvalid as exc:
        if form is None:
            form_key, form = "action_form", forms.ActionErrorForm({})
            form.is_valid()
        _errors_to_form(form, exc.errors)
    except UploadRejected as exc:
        _errors_to_form(form, {"files": [str(exc)]})
    except services_staff.ReportTerm.DoesNotExist as exc:
        raise Http404 from exc
    ctx = _detail_context(request, organisation, report, **{form_key: form})
    return render(request, "reporting/staff/detail.html", ctx, status=400)


@for_roles(HANDLER_ROLES)
@login_required
@never_cache
def attachment_download(request: HttpRequest, org: str, ref: str, attachment: int) -> HttpResponse:
    """A file of the report, decrypted for download; every download is audited."""
    organisation = _org(request, org, HANDLER_ROLES)
    report = selectors.report_get_for(user=request.user, organisation=organisation, reference=ref)
    item = selectors.mailbox_attachment(report=report, attachment_id=attachment)
    with transaction.atomic():
        data = files.file_read(item.file)
        audit.record(request.user, "reporting.attachment_downloaded", organisation=organisation,
                     obj=report, detail={"attachment": item.pk})
    response = HttpResponse(data, content_type="application/octet-stream")
    safe_name = "".join(c for c in item.name if c.isalnum() or c in "._- ")[:100] or "bijlage"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- intake on behalf ----------------------------------------------------------------


@for_roles(INTAKE_ROLES)
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, org: str) -> HttpResponse:
    """A counsellor or manager registers a report received by phone, letter, e-mail or in person.

    On success the receipt is shown once on a printable page (never stored).
    """
    organisation = _org(request, org, INTAKE_ROLES)
    form = forms.IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        implicated = [line.strip() for line in data["implicated"].splitlines() if line.strip()]
        identity = {"name": data["name"], "email": data["email"], "phone": data["phone"]}
        try:
            report, receipt = services_staff.report_register_on_behalf(
                organisation=organisation,
                user=request.user,
                channel=data["channel"],
                report_type=data["report_type"],
                anonymity=data["anonymity"],
                answers={"what": data["what"]},
                identity=identity,
                implicated=implicated,
                attachments=data["files"],
                oral_record=data["oral_record"],
                recording_consent=data["recording_consent"],
                minutes=data["minutes"],
                through_counsellor=data["through_counsellor"],
            )
        except services.ReportInvalid as exc:
            _errors_to_form(form, exc.errors)
        except UploadRejected as exc:
            _errors_to_form(form, {"files": [str(exc)]})
        except services_staff.StaffActionRefused as exc:
            raise Http404 from exc
        except services.MailboxBusy:
            form.add_error(None, _("Het is nu erg druk. Probeer het over een minuut opnieuw; er is niets opgeslagen."))
        else:
            response = render(request, "reporting/staff/receipt.html",
                              {**_nav(request, organisation), "report": report, "receipt": receipt})
            response["Cache-Control"] = "no-store"
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/staff/intake.html", {**_nav(request, organisation), "form": form},
                  status=status)


# --- identity reveal ---------------------------------------------------------------


@for_roles(HANDLER_ROLES)
@login_required
@never_cache
def reveal_requests(request: HttpRequest, org: str) -> HttpResponse:
    """The custodian's list of requests to reveal a sealed identity."""
    organisation = _org(request, org, HANDLER_ROLES)
    if not services_staff.is_custodian(request.user, organisation):
        raise Http404
    items = selectors_staff.reveal_requests_for_custodian(user=request.user, organisation=organisation)
    return render(request, "reporting/staff/reveal_list.html", {**_nav(request, organisation), "items": items})


@for_roles(HANDLER_ROLES)
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reveal_decide(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A custodian approves or refuses one request."""
    organisation = _org(request, org, HANDLER_ROLES)
    req = selectors_staff.reveal_request_for_custodian(user=request.user, organisation=organisation, pk=pk)
    form = forms.RevealDecisionForm(request.POST or None)
    if request.method == "POST" and req.status == "pending" and form.is_valid():
        try:
            services_staff.identity_reveal_decide(
                request=req, user=request.user, approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except services_staff.StaffActionRefused as exc:
            raise Http404 from exc
        except services.ReportInvalid as exc:
            _errors_to_form(form, exc.errors)
        else:
            messages.success(request, _("Uw besluit is vastgelegd."))
            return redirect("reporting:reveal_requests", org=org)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/staff/reveal_decide.html",
                  {**_nav(request, organisation), "req": req, "form": form}, status=status)


# --- procedures and settings -------------------------------------------------------


@for_roles(PROCEDURE_ROLES)
@login_required
def procedure_list(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's current procedures with their diagrams."""
    from intact.reporting import diagrams

    organisation = _org(request, org, PROCEDURE_ROLES)
    items = [
        {"procedure": p, "svg": diagrams.procedure_svg(p), "text": diagrams.procedure_text(p)}
        for p in procedures.procedure_list_current(organisation=organisation)
    ]
    return render(request, "reporting/staff/procedure_list.html", {**_nav(request, organisation), "items": items})


@for_roles(PROCEDURE_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def procedure_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Edit the steps of a procedure; saving writes a new version."""
    organisation = _org(request, org, PROCEDURE_ROLES)
    current = [p for p in procedures.procedure_list_current(organisation=organisation) if p.pk == pk]
    if not current:
        raise Http404
    procedure = current[0]
    organs = list(IntegrityOrgan.objects.filter(organisation=organisation))
    StepFormSet = formset_factory(forms.StepForm, extra=2)
    initial = [
        {"position": s.position, "kind": s.kind, "role": s.role, "organ": s.organ_id,
         "label_nl": s.label_nl, "label_en": s.label_en}
        for s in procedure.steps.all()
    ]
    if request.method == "POST":
        formset = StepFormSet(request.POST, form_kwargs={"organs": organs}, prefix="steps")
        meta = forms.ProcedureMetaForm(request.POST)
        if formset.is_valid() and meta.is_valid():
            steps = [
                procedures.StepSpec(
                    position=f.cleaned_data["position"], kind=f.cleaned_data["kind"],
                    role=f.cleaned_data.get("role") or "", organ_id=f.cleaned_data.get("organ"),
                    label_nl=f.cleaned_data.get("label_nl", ""), label_en=f.cleaned_data.get("label_en", ""),
                )
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                new = procedures.procedure_update(actor=request.user, procedure=procedure, steps=steps,
                                                  change_note=meta.cleaned_data["change_note"])
            except ValueError:
                meta.add_error(None, _("Een procedure heeft minstens één stap nodig die de melding ontvangt."))
            else:
                messages.success(request, _("Versie %(v)s van de procedure is opgeslagen.") % {"v": new.version})
                return redirect("reporting:procedure_list", org=org)
        status = 400
    else:
        formset = StepFormSet(initial=initial, form_kwargs={"organs": organs}, prefix="steps")
        meta = forms.ProcedureMetaForm()
        status = 200
    return render(request, "reporting/staff/procedure_edit.html",
                  {**_nav(request, organisation), "procedure": procedure, "formset": formset, "meta": meta},
                  status=status)


@for_roles(PROCEDURE_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, org: str) -> HttpResponse:
    """Who is custodian of sealed identities; when reminders go out."""
    organisation = _org(request, org, PROCEDURE_ROLES)
    current = services_staff.reporting_settings_for(organisation)
    form = forms.SettingsForm(request.POST or None, initial={
        "custodian_role": current.custodian_role, "reminder_days_before": current.reminder_days_before})
    if request.method == "POST" and form.is_valid():
        services_staff.reporting_settings_update(actor=request.user, organisation=organisation,
                                                 **form.cleaned_data)
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("reporting:settings", org=org)
    return render(request, "reporting/staff/settings.html", {**_nav(request, organisation), "form": form},
                  status=400 if request.method == "POST" else 200)


@for_roles(PROCEDURE_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def term_settings(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's terms; add an own term or a new version of one (statutory ones are fixed)."""
    from intact.reporting import deadlines

    organisation = _org(request, org, PROCEDURE_ROLES)
    form = forms.TermDefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deadlines.term_definition_save(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValueError:
            form.add_error("code", _("Een wettelijke termijn kan niet worden gewijzigd."))
        else:
            messages.success(request, _("De termijn is opgeslagen."))
            return redirect("reporting:terms", org=org)
    return render(request, "reporting/staff/terms.html",
                  {**_nav(request, organisation), "form": form,
                   "definitions": deadlines.term_definitions_current(organisation=organisation)},
                  status=400 if request.method == "POST" else 200)
