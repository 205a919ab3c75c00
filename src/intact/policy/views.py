"""Staff pages of the policy app under ``/app/<org>/beleid/``.

Thin: the organisation and objects come from the selectors (404 for what may
not be seen), forms validate, one service call does the work.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intact.core.access import ALL_ROLES, for_roles
from intact.organisations.models import Organisation, Person, Unit
from intact.policy import data, exports, forms, selectors, services
from intact.policy.models import AnnualPlan, Compliance, VersionStatus
from intact.security import policy

EDIT = tuple(selectors.EDIT_ROLES)
ADOPT = tuple(selectors.ADOPT_ROLES)
PLAN_READ = tuple(selectors.PLAN_READ_ROLES)
NORMS_READ = tuple(selectors.NORMS_READ_ROLES)
INQUIRY_READ = tuple(selectors.INQUIRY_READ_ROLES)


def _org(request: HttpRequest, slug: str, roles: tuple = ()) -> Organisation:
    return policy.organisation_for(request.user, slug, roles)


def _nav(user: Any, organisation: Organisation) -> dict[str, bool]:
    return {
        "plans": policy.has_role(user, organisation, *PLAN_READ),
        "norms": policy.has_role(user, organisation, *NORMS_READ),
        "inquiry": policy.has_role(user, organisation, *INQUIRY_READ),
        "edit": policy.has_role(user, organisation, *EDIT),
        "adopt": policy.has_role(user, organisation, *ADOPT),
    }


def _render(
    request: HttpRequest,
    template: str,
    organisation: Organisation,
    context: dict,
    status: int = 200,
) -> HttpResponse:
    context = {"organisation": organisation, "nav": _nav(request.user, organisation), **context}
    return render(request, f"policy/{template}", context, status=status)


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _units(organisation: Organisation) -> Any:
    return Unit.objects.filter(organisation=organisation).order_by("name")


def _people(organisation: Organisation) -> Any:
    return Person.objects.filter(organisation=organisation, end_date__isnull=True).order_by(
        "last_name", "first_name"
    )


# --- integrity plan ------------------------------------------------------------------------------


@for_roles(*PLAN_READ)
@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest, org: str) -> HttpResponse:
    """The integrity plans; the coordinator starts a new one here."""
    organisation = _org(request, org, PLAN_READ)
    plans = selectors.plan_list(user=request.user, organisation=organisation)
    form = forms.PlanCreateForm(request.POST or None, units=_units(organisation))
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        if form.is_valid():
            try:
                plan = services.plan_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Het plan is aangemaakt. Vul de hoofdstukken in."))
                return redirect("policy:version_edit", org=org, pk=plan.versions.get().pk)
    return _render(request, "plan_list.html", organisation, {"plans": plans, "form": form})


@for_roles(*PLAN_READ)
@login_required
def version_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """One version of a plan: metadata, the seven sections with their guidance, the other versions."""
    organisation = _org(request, org, PLAN_READ)
    version = selectors.version_get(user=request.user, organisation=organisation, pk=pk)
    sections = [
        {
            **s,
            "title": data.section_title(s),
            "guidance": data.section_guidance(s),
            "number": i,
            "text": version.sections.get(s["code"], ""),
        }
        for i, s in enumerate(data.plan_format()["sections"], 1)
    ]
    versions = version.plan.versions.order_by("-number")
    has_draft = versions.filter(status=VersionStatus.DRAFT).exists()
    return _render(
        request,
        "version_detail.html",
        organisation,
        {
            "version": version,
            "sections": sections,
            "versions": versions,
            "has_draft": has_draft,
            "adopt_form": forms.AdoptForm(initial={"adopted_on": timezone.localdate()}),
            "format_source": data.plan_format()["source"],
        },
    )


@for_roles(*EDIT)
@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Write a draft: metadata and the seven sections."""
    organisation = _org(request, org, EDIT)
    version = selectors.version_get(user=request.user, organisation=organisation, pk=pk)
    if version.is_frozen:
        messages.info(request, _("Deze versie is vastgesteld en kan niet meer worden gewijzigd."))
        return redirect("policy:version_detail", org=org, pk=pk)
    initial = {
        "author": version.author,
        "adopting_body": version.adopting_body,
        "term_start": version.term_start,
        "term_end": version.term_end,
        **{f"section_{k}": v for k, v in version.sections.items()},
    }
    form = forms.VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(
                actor=request.user, version=version, sections=form.sections(), **form.meta()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Het concept is opgeslagen."))
            return redirect("policy:version_detail", org=org, pk=pk)
    return _render(request, "version_edit.html", organisation, {"version": version, "form": form})


@for_roles(*ADOPT)
@login_required
@require_POST
def version_adopt(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """The competent authority adopts a draft."""
    organisation = _org(request, org, ADOPT)
    version = selectors.version_get(user=request.user, organisation=organisation, pk=pk)
    form = forms.AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.version_adopt(
                actor=request.user, version=version, adopted_on=form.cleaned_data["adopted_on"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Het plan is vastgesteld."))
    else:
        messages.error(request, _("Vul een geldige datum van vaststelling in."))
    return redirect("policy:version_detail", org=org, pk=pk)


@for_roles(*EDIT)
@login_required
@require_POST
def version_new(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A new draft version that starts from the newest one."""
    organisation = _org(request, org, EDIT)
    plan = selectors.plan_get(user=request.user, organisation=organisation, pk=pk)
    try:
        version = services.version_new_draft(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("policy:plan_list", org=org)
    messages.success(request, _("Nieuwe conceptversie %(n)s gemaakt.") % {"n": version.number})
    return redirect("policy:version_edit", org=org, pk=version.pk)


@for_roles(*PLAN_READ)
@login_required
def version_export(request: HttpRequest, org: str, pk: int, fmt: str) -> HttpResponse:
    """Download a version as PDF/A, ODT or DOCX."""
    organisation = _org(request, org, PLAN_READ)
    version = selectors.version_get(user=request.user, organisation=organisation, pk=pk)
    if fmt not in exports.FORMATS:
        raise Http404
    content, content_type = exports.plan_export(version, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(version, fmt)}"'
    return response


# --- annual plans, measures, monitoring ---------------------------------------------------------


@for_roles(*PLAN_READ)
@login_required
@require_http_methods(["GET", "POST"])
def annual_list(request: HttpRequest, org: str) -> HttpResponse:
    """Annual plans and work plans by year; the coordinator adds one."""
    organisation = _org(request, org, PLAN_READ)
    plans = selectors.annual_plan_list(user=request.user, organisation=organisation)
    form = forms.AnnualPlanForm(
        request.POST or None,
        initial={"year": timezone.localdate().year},
        units=_units(organisation),
        plans=selectors.plan_list(user=request.user, organisation=organisation),
    )
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        if form.is_valid():
            try:
                annual = services.annual_plan_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("policy:annual_detail", org=org, pk=annual.pk)
    return _render(request, "annual_list.html", organisation, {"plans": plans, "form": form})


@for_roles(*PLAN_READ)
@login_required
def annual_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """The monitoring dashboard of an annual or work plan (work plans rolled up into the central one)."""
    organisation = _org(request, org, PLAN_READ)
    annual = selectors.annual_plan_get(user=request.user, organisation=organisation, pk=pk)
    board = selectors.dashboard(user=request.user, annual_plan=annual)
    return _render(request, "annual_detail.html", organisation, {"board": board, "annual": annual})


@for_roles(*EDIT)
@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Add a measure to an annual or work plan."""
    organisation = _org(request, org, EDIT)
    annual = selectors.annual_plan_get(user=request.user, organisation=organisation, pk=pk)
    import datetime as dt

    form = forms.MeasureForm(
        request.POST or None,
        initial={
            "start_on": dt.date(annual.year, 1, 1),
            "end_on": dt.date(annual.year, 12, 31),
            "owner_role": "coordinator",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(
                actor=request.user, annual_plan=annual, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("policy:measure_detail", org=org, pk=measure.pk)
    return _render(
        request,
        "measure_form.html",
        organisation,
        {"form": form, "annual": annual, "creating": True},
    )


@for_roles(*EDIT)
@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Change a measure."""
    organisation = _org(request, org, EDIT)
    measure = selectors.measure_get(user=request.user, organisation=organisation, pk=pk)
    initial = {f: getattr(measure, f) for f in services.MEASURE_FIELDS}
    form = forms.MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("policy:measure_detail", org=org, pk=measure.pk)
    return _render(
        request,
        "measure_form.html",
        organisation,
        {"form": form, "annual": measure.annual_plan, "measure": measure},
    )


@for_roles(ALL_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def measure_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A measure: target, progress, people responsible; progress is entered here by hand."""
    organisation = _org(request, org)
    measure = selectors.measure_get(user=request.user, organisation=organisation, pk=pk)
    status = selectors.measure_status(measure)
    may_edit = policy.has_role(request.user, organisation, *EDIT)
    responsible = measure.responsibilities.filter(person__user=request.user).exists()
    progress_form = forms.ProgressForm(
        request.POST if request.POST.get("form") == "progress" else None,
        initial={"on": timezone.localdate(), "value": status["realised"]},
    )
    role_form = forms.ResponsibilityForm(
        request.POST if request.POST.get("form") == "role" else None, people=_people(organisation)
    )
    if request.method == "POST":
        try:
            if (
                request.POST.get("form") == "progress"
                and (may_edit or responsible)
                and progress_form.is_valid()
            ):
                services.progress_add(
                    actor=request.user, measure=measure, **progress_form.cleaned_data
                )
                messages.success(request, _("De voortgang is vastgelegd."))
                return redirect("policy:measure_detail", org=org, pk=pk)
            if request.POST.get("form") == "role" and may_edit and role_form.is_valid():
                services.responsibility_add(
                    actor=request.user, measure=measure, **role_form.cleaned_data
                )
                return redirect("policy:measure_detail", org=org, pk=pk)
            if request.POST.get("form") == "remove" and may_edit:
                item = measure.responsibilities.filter(
                    pk=request.POST.get("responsibility")
                ).first()
                if item is not None:
                    services.responsibility_remove(actor=request.user, responsibility=item)
                return redirect("policy:measure_detail", org=org, pk=pk)
            if request.POST.get("form") == "delete" and may_edit:
                annual_pk = measure.annual_plan_id
                services.measure_delete(actor=request.user, measure=measure)
                messages.success(request, _("De maatregel is verwijderd."))
                return redirect("policy:annual_detail", org=org, pk=annual_pk)
        except ValidationError as exc:
            _apply_errors(
                progress_form if request.POST.get("form") == "progress" else role_form, exc
            )
        except PermissionDenied:
            raise Http404 from None
    return _render(
        request,
        "measure_detail.html",
        organisation,
        {
            "measure": measure,
            "status": status,
            "may_edit": may_edit,
            "may_progress": may_edit or responsible,
            "progress_form": progress_form,
            "role_form": role_form,
            "show_names": selectors.shows_names(request.user, organisation),
            "section_title": data.section_titles().get(measure.section, ""),
        },
    )


@for_roles(ALL_ROLES)
@login_required
def my_measures(request: HttpRequest, org: str) -> HttpResponse:
    """The measures the user is named responsible for."""
    organisation = _org(request, org)
    rows = selectors.my_measures(user=request.user, organisation=organisation)
    return _render(request, "my_measures.html", organisation, {"rows": rows})


# --- frameworks and self-assessment --------------------------------------------------------------


@for_roles(*NORMS_READ)
@login_required
@require_http_methods(["GET", "POST"])
def framework_list(request: HttpRequest, org: str) -> HttpResponse:
    """Norm frameworks (built in and own), self-assessments; the coordinator adds an own framework."""
    organisation = _org(request, org, NORMS_READ)
    services.frameworks_ensure_builtin()
    import_form = forms.FrameworkImportForm(
        request.POST if request.POST.get("form") == "import" else None,
        request.FILES if request.POST.get("form") == "import" else None,
    )
    create_form = forms.FrameworkCreateForm(
        request.POST if request.POST.get("form") == "create" else None
    )
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        form = import_form if request.POST.get("form") == "import" else create_form
        if form.is_valid():
            try:
                if form is import_form:
                    framework = services.framework_import(
                        actor=request.user,
                        organisation=organisation,
                        text=form.cleaned_data["text"],
                    )
                else:
                    framework = services.framework_create(
                        actor=request.user,
                        organisation=organisation,
                        name=form.cleaned_data["name"],
                        version=form.cleaned_data["version"],
                        source=form.cleaned_data["source"],
                        requirements=form.cleaned_data["requirements"].splitlines(),
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Het normenkader is toegevoegd."))
                return redirect("policy:framework_detail", org=org, pk=framework.pk)
    frameworks = selectors.framework_list(user=request.user, organisation=organisation)
    assessments = selectors.assessment_list(user=request.user, organisation=organisation)
    overviews = [(a, selectors.compliance_overview(a)) for a in assessments]
    return _render(
        request,
        "framework_list.html",
        organisation,
        {
            "frameworks": frameworks,
            "overviews": overviews,
            "import_form": import_form,
            "create_form": create_form,
        },
    )


@for_roles(*NORMS_READ)
@login_required
@require_http_methods(["GET", "POST"])
def framework_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A framework's norms; the coordinator starts a self-assessment against it."""
    organisation = _org(request, org, NORMS_READ)
    framework = selectors.framework_get(user=request.user, organisation=organisation, pk=pk)
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        assessment = services.assessment_start(
            actor=request.user, organisation=organisation, framework=framework
        )
        messages.success(
            request,
            _("De zelfevaluatie is gestart. Intact heeft waar het kon al een status voorgesteld."),
        )
        return redirect("policy:assessment_detail", org=org, pk=assessment.pk)
    return _render(
        request,
        "framework_detail.html",
        organisation,
        {"framework": framework, "tree": selectors.requirement_tree(framework)},
    )


@for_roles(*NORMS_READ)
@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """The compliance overview of a self-assessment, per norm."""
    organisation = _org(request, org, NORMS_READ)
    assessment = selectors.assessment_get(user=request.user, organisation=organisation, pk=pk)
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "refresh":
                n = services.assessment_refresh_proposals(actor=request.user, assessment=assessment)
                messages.success(request, _("Voorstellen bijgewerkt (%(n)s gewijzigd).") % {"n": n})
            elif action == "accept_all":
                for item in assessment.items.filter(status="").exclude(proposed_status=""):
                    services.item_accept_proposal(actor=request.user, item=item)
                messages.success(request, _("De voorstellen van Intact zijn overgenomen."))
            elif action == "complete":
                services.assessment_complete(actor=request.user, assessment=assessment)
                messages.success(request, _("De zelfevaluatie is afgerond."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("policy:assessment_detail", org=org, pk=pk)
    return _render(
        request,
        "assessment_detail.html",
        organisation,
        {
            "assessment": assessment,
            "overview": selectors.compliance_overview(assessment),
            "show_names": selectors.shows_names(request.user, organisation),
        },
    )


@for_roles(*EDIT)
@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Assess one norm: accept Intact's proposal or set the status, evidence, owner and next review."""
    organisation = _org(request, org, EDIT)
    item = selectors.item_get(user=request.user, organisation=organisation, pk=pk)
    people = _people(organisation)
    form = forms.ItemForm(
        request.POST or None,
        people=people,
        initial={
            "status": item.status or item.proposed_status,
            "evidence": item.evidence or item.proposed_reason_display,
            "note": item.note,
            "owner": item.owner,
            "next_review": item.next_review,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_assess(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if request.POST.get("then") == "action" and item.status in (
                Compliance.PARTLY,
                Compliance.NOT_MET,
            ):
                return redirect(f"{_url('policy:action_list', org)}?item={item.pk}#new")
            return redirect("policy:assessment_detail", org=org, pk=item.assessment_id)
    return _render(request, "item_edit.html", organisation, {"item": item, "form": form})


def _url(name: str, org: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"org": org, **kwargs})


# --- action points -------------------------------------------------------------------------------


@for_roles(*NORMS_READ)
@login_required
@require_http_methods(["GET", "POST"])
def action_list(request: HttpRequest, org: str) -> HttpResponse:
    """Open action points (also those past their year), and closed ones on request."""
    organisation = _org(request, org, NORMS_READ)
    show_closed = request.GET.get("closed") == "1"
    item = None
    if request.GET.get("item") and policy.has_role(request.user, organisation, *EDIT):
        try:
            item = selectors.item_get(
                user=request.user, organisation=organisation, pk=int(request.GET["item"])
            )
        except (ValueError, Http404):
            item = None
    form = forms.ActionForm(
        request.POST or None,
        people=_people(organisation),
        initial={
            "title": item.requirement.name_display if item else "",
            "source": "assessment" if item else "evaluation",
            "source_label": item.assessment.name if item else "",
            "owner_role": "coordinator",
        },
    )
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        if form.is_valid():
            try:
                services.action_create(
                    actor=request.user, organisation=organisation, item=item, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Het actiepunt is toegevoegd."))
                return redirect("policy:action_list", org=org)
    actions = selectors.action_list(
        user=request.user, organisation=organisation, include_closed=show_closed
    )
    today = timezone.localdate()
    return _render(
        request,
        "action_list.html",
        organisation,
        {
            "actions": actions,
            "form": form,
            "show_closed": show_closed,
            "today": today,
            "item": item,
            "show_names": selectors.shows_names(request.user, organisation),
        },
    )


@for_roles(*NORMS_READ)
@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """One action point: move it on, cancel it with a reason, or carry it into an annual plan."""
    organisation = _org(request, org, NORMS_READ)
    action = selectors.action_get(user=request.user, organisation=organisation, pk=pk)
    plans = AnnualPlan.objects.filter(
        organisation=organisation, year__gte=timezone.localdate().year - 1
    ).order_by("-year", "unit__name")
    status_form = forms.ActionStatusForm(
        request.POST if request.POST.get("form") == "status" else None
    )
    carry_form = forms.CarryOverForm(
        request.POST if request.POST.get("form") == "carry" else None, plans=plans
    )
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        try:
            if request.POST.get("form") == "status" and status_form.is_valid():
                services.action_set_status(
                    actor=request.user, action=action, **status_form.cleaned_data
                )
                return redirect("policy:action_detail", org=org, pk=pk)
            if request.POST.get("form") == "carry" and carry_form.is_valid():
                measure = services.action_carry_over(
                    actor=request.user, action=action, **carry_form.cleaned_data
                )
                messages.success(
                    request, _("Het actiepunt is als maatregel in het jaarplan opgenomen.")
                )
                return redirect("policy:measure_detail", org=org, pk=measure.pk)
        except ValidationError as exc:
            _apply_errors(status_form if request.POST.get("form") == "status" else carry_form, exc)
    return _render(
        request,
        "action_detail.html",
        organisation,
        {
            "action": action,
            "status_form": status_form,
            "carry_form": carry_form,
            "show_names": selectors.shows_names(request.user, organisation),
            "today": timezone.localdate(),
        },
    )


# --- periodic inquiry ----------------------------------------------------------------------------


@for_roles(*INQUIRY_READ)
@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest, org: str) -> HttpResponse:
    """The inquiry rounds with their completeness; the coordinator opens a round."""
    organisation = _org(request, org, INQUIRY_READ)
    settings_ = services.inquiry_settings(organisation)
    _n, start, end = services._period_of(
        organisation, timezone.localdate(), settings_.rounds_per_year
    )
    import datetime as dt

    form = forms.RoundOpenForm(
        request.POST or None,
        initial={
            "period_start": start,
            "period_end": end,
            "due_on": timezone.localdate() + dt.timedelta(days=settings_.answer_days),
        },
    )
    if request.method == "POST":
        if not policy.has_role(request.user, organisation, *EDIT):
            raise Http404
        if form.is_valid():
            try:
                round_ = services.inquiry_round_open(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("De uitvraag is verstuurd aan %(n)s personen.")
                    % {"n": round_.requests.count()},
                )
                return redirect("policy:round_detail", org=org, pk=round_.pk)
    rounds = [
        (r, selectors.completeness(r))
        for r in selectors.round_list(user=request.user, organisation=organisation)
    ]
    return _render(
        request,
        "round_list.html",
        organisation,
        {"rounds": rounds, "form": form, "settings": settings_},
    )


@for_roles(*INQUIRY_READ)
@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Completeness per unit; for the coordinator also who has not answered and the matters reported."""
    organisation = _org(request, org, INQUIRY_READ)
    round_ = selectors.round_get(user=request.user, organisation=organisation, pk=pk)
    is_coordinator = policy.has_role(request.user, organisation, *EDIT)
    if request.method == "POST":
        if not is_coordinator:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "close":
                services.inquiry_round_close(actor=request.user, round=round_)
                messages.success(request, _("De ronde is gesloten."))
            elif action in ("register", "handled"):
                matter = selectors.matter_get(
                    user=request.user,
                    organisation=organisation,
                    pk=int(request.POST.get("matter", 0)),
                )
                if matter.request.round_id != round_.pk:
                    raise Http404
                if action == "register":
                    ref = services.matter_register_case(actor=request.user, matter=matter)
                    messages.success(request, _("Zaak %(ref)s is geregistreerd.") % {"ref": ref})
                else:
                    services.matter_mark_handled(
                        actor=request.user, matter=matter, note=request.POST.get("note", "")
                    )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ValueError:
            raise Http404 from None
        return redirect("policy:round_detail", org=org, pk=pk)
    context: dict[str, Any] = {
        "round": round_,
        "completeness": selectors.completeness(round_),
        "is_coordinator": is_coordinator,
    }
    if is_coordinator:
        context["requests"] = selectors.round_requests(
            user=request.user, organisation=organisation, round_=round_
        )
        context["matters"] = selectors.round_matters(
            user=request.user, organisation=organisation, round_=round_
        )
    return _render(request, "round_detail.html", organisation, context)


@for_roles(*EDIT)
@login_required
@require_http_methods(["GET", "POST"])
def inquiry_settings(request: HttpRequest, org: str) -> HttpResponse:
    """How often, and whom, the inquiry asks."""
    organisation = _org(request, org, EDIT)
    item = services.inquiry_settings(organisation)
    form = forms.InquirySettingsForm(
        request.POST or None,
        people=_people(organisation),
        initial={
            "rounds_per_year": item.rounds_per_year,
            "roles": item.roles,
            "extra_people": item.extra_people.all(),
            "answer_days": item.answer_days,
            "reminder_days": item.reminder_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_settings_update(
                actor=request.user,
                organisation=organisation,
                **{**form.cleaned_data, "extra_people": list(form.cleaned_data["extra_people"])},
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return redirect("policy:round_list", org=org)
    return _render(request, "inquiry_settings.html", organisation, {"form": form})


@for_roles(ALL_ROLES)
@login_required
def inquiry_mine(request: HttpRequest, org: str) -> HttpResponse:
    """The user's own inquiry requests."""
    organisation = _org(request, org)
    requests = selectors.my_requests(user=request.user, organisation=organisation)
    return _render(request, "inquiry_mine.html", organisation, {"requests": requests})


@for_roles(ALL_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def inquiry_answer(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Answer the inquiry: matters that came up, or nothing to report."""
    organisation = _org(request, org)
    req = selectors.my_request_get(user=request.user, organisation=organisation, pk=pk)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_answer(
                actor=request.user,
                request=req,
                nothing_to_report=form.cleaned_data["nothing_to_report"],
                matters=form.matters(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Dank u wel. Uw antwoord is ontvangen."))
            return redirect("policy:inquiry_mine", org=org)
    return _render(
        request,
        "inquiry_answer.html",
        organisation,
        {"req": req, "form": form, "answered": req.answered_at is not None},
    )
