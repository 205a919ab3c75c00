"""Pages of the registers: the employee portal and the registers kept by managers and coordinators.

Thin views: the selectors apply the access policy (404 for what may not be
seen), the services do the work, the forms parse input.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intact.core.access import ALL_ROLES, for_roles
from intact.organisations import selectors as org_selectors
from intact.organisations.models import Role, Unit
from intact.registers import forms, importing, rules, selectors, services
from intact.registers.models import ActivityStatus, GiftDecision
from intact.security import policy

KEEPERS = (Role.COORDINATOR, Role.MANAGER)
COORDINATOR = (Role.COORDINATOR,)


def _org(request: HttpRequest, slug: str) -> Any:
    return org_selectors.organisation_for_user(user=request.user, slug=slug)


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _render(request: HttpRequest, template: str, organisation: Any, **context: Any) -> HttpResponse:
    context["organisation"] = organisation
    context["show_registers"] = policy.has_role(request.user, organisation, *selectors.COUNT_ROLES)
    status = context.pop("http_status", 200)
    return render(request, f"registers/{template}", context, status=status)


# --- the employee portal -------------------------------------------------------------------


@login_required
@for_roles(ALL_ROLES)
def portal(request: HttpRequest, org: str) -> HttpResponse:
    """My integrity: my obligations and their status, my declarations, where to report."""
    organisation = _org(request, org)
    data = selectors.portal(user=request.user, organisation=organisation)
    acc = selectors.access_for(request.user, organisation)
    awaiting = None
    if acc.keeps_registers:
        awaiting = {
            "activities": selectors.activities_awaiting(
                user=request.user, organisation=organisation
            ).count(),
            "gifts": selectors.gifts_awaiting(user=request.user, organisation=organisation).count(),
        }
    return _render(request, "portal.html", organisation, awaiting=awaiting, access=acc, **data)


@login_required
@for_roles(ALL_ROLES)
@require_POST
def code_acknowledge(request: HttpRequest, org: str) -> HttpResponse:
    """The person states they read and subscribe to the current code of conduct."""
    organisation = _org(request, org)
    person = selectors.own_person(request.user, organisation)
    code = selectors.code_current(organisation)
    if code is None or str(code.pk) != request.POST.get("version"):
        messages.error(request, _("Deze versie van de gedragscode is niet (meer) de geldende."))
        return redirect("registers:portal", org=org)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Vink aan dat u de gedragscode hebt gelezen."))
        return redirect("registers:portal", org=org)
    services.code_acknowledge(actor=request.user, person=person, version=code)
    messages.success(request, _("Dank u. U hebt de gedragscode onderschreven."))
    return redirect("registers:portal", org=org)


@login_required
@for_roles(ALL_ROLES)
def code_read(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Read one version of the code of conduct."""
    organisation = _org(request, org)
    code = selectors.code_version_get(user=request.user, organisation=organisation, pk=pk)
    return _render(request, "code_read.html", organisation, code=code)


@login_required
@for_roles(ALL_ROLES)
def code_file(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Download the file of a version of the code (decrypted)."""
    from intact.security.files import file_name, file_read

    organisation = _org(request, org)
    code = selectors.code_version_get(user=request.user, organisation=organisation, pk=pk)
    if code.file is None:
        raise Http404
    response = HttpResponse(
        file_read(code.file), content_type=code.file.content_type or "application/octet-stream"
    )
    safe = "".join(c for c in file_name(code.file) if c.isalnum() or c in "._- ") or "gedragscode"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


def _declare(
    request: HttpRequest, org: str, form_class: Any, template: str, save: Any
) -> HttpResponse:
    organisation = _org(request, org)
    person = selectors.own_person(request.user, organisation)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Uw opgave is ontvangen."))
            return redirect("registers:portal", org=org)
    threshold = rules.settings_for(organisation).gift_threshold
    return _render(request, template, organisation, form=form, threshold=threshold)


@login_required
@for_roles(ALL_ROLES)
def activity_declare(request: HttpRequest, org: str) -> HttpResponse:
    """Declare an outside activity."""

    def save(person: Any, d: dict[str, Any]) -> None:
        services.activity_declare(actor=request.user, person=person, **d)

    return _declare(request, org, forms.ActivityDeclareForm, "activity_declare.html", save)


@login_required
@for_roles(ALL_ROLES)
def gift_declare(request: HttpRequest, org: str) -> HttpResponse:
    """Declare a gift or invitation."""

    def save(person: Any, d: dict[str, Any]) -> None:
        services.gift_declare(actor=request.user, person=person, **d)

    return _declare(request, org, forms.GiftDeclareForm, "gift_declare.html", save)


@login_required
@for_roles(ALL_ROLES)
def financial_declare(request: HttpRequest, org: str) -> HttpResponse:
    """Declare a financial interest or securities transaction (or that there is none)."""

    def save(person: Any, d: dict[str, Any]) -> None:
        services.financial_declare(actor=request.user, person=person, **d)

    return _declare(request, org, forms.FinancialDeclareForm, "financial_declare.html", save)


@login_required
@for_roles(ALL_ROLES)
@require_POST
def activity_own(request: HttpRequest, org: str, pk: int, action: str) -> HttpResponse:
    """The person re-confirms or ends their own outside activity."""
    organisation = _org(request, org)
    person = selectors.own_person(request.user, organisation)
    activity = selectors.activity_get(user=request.user, organisation=organisation, pk=pk)
    if activity.person_id != person.pk:
        raise Http404
    try:
        if action == "confirm":
            services.activity_confirm(actor=request.user, activity=activity)
            messages.success(request, _("Bevestigd."))
        else:
            services.activity_end(actor=request.user, activity=activity)
            messages.success(request, _("De nevenwerkzaamheid is beëindigd."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registers:portal", org=org)


# --- overview and counts ----------------------------------------------------------------------


@login_required
@for_roles(selectors.COUNT_ROLES)
def overview(request: HttpRequest, org: str) -> HttpResponse:
    """The registers' figures for a year, with links to the registers for those who keep them."""
    organisation = _org(request, org)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = max(2000, min(year, timezone.localdate().year))
    counts = selectors.counts_for(user=request.user, organisation=organisation, year=year)
    acc = selectors.access_for(request.user, organisation)
    units = selectors.code_acknowledgement_by_unit(user=request.user, organisation=organisation)
    return _render(
        request,
        "overview.html",
        organisation,
        counts=counts,
        access=acc,
        units=units,
        year=year,
        years=range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    )


# --- 1. oath -------------------------------------------------------------------------------------


@login_required
@for_roles(KEEPERS)
def oaths(request: HttpRequest, org: str) -> HttpResponse:
    """The oath register: who owes what by when; filter on due, overdue, taken."""
    organisation = _org(request, org)
    state = request.GET.get("state", "")
    if state not in ("", "due", "overdue", "taken", "not_required"):
        state = ""
    rows = selectors.commitment_rows(user=request.user, organisation=organisation, state=state)
    acc = selectors.access_for(request.user, organisation)
    return _render(request, "oaths.html", organisation, rows=rows, state=state, access=acc)


@login_required
@for_roles(COORDINATOR)
def oath_ceremony(request: HttpRequest, org: str) -> HttpResponse:
    """Bulk registration after a ceremony: many people, one date, official and witness."""
    organisation = _org(request, org)
    selectors.keeper_access(request.user, organisation, coordinator_only=True)
    candidates = [
        r.person.pk
        for r in selectors.commitment_candidates(user=request.user, organisation=organisation)
    ]
    people = selectors.scoped_people(user=request.user, organisation=organisation).filter(
        pk__in=candidates
    )
    form = forms.CeremonyForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            done = services.commitment_register_bulk(
                actor=request.user,
                organisation=organisation,
                people=list(d["people"]),
                taken_on=d["taken_on"],
                oath_form=d["oath_form"],
                witness=d["witness"],
                sworn_before=d["sworn_before"],
                ceremony=d["ceremony"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("%(n)s registraties opgeslagen.") % {"n": len(done)})
            return redirect("registers:oaths", org=org)
    return _render(request, "oath_ceremony.html", organisation, form=form)


# --- 2. code of conduct --------------------------------------------------------------------------


@login_required
@for_roles(KEEPERS)
def code(request: HttpRequest, org: str) -> HttpResponse:
    """Versions of the code, the share acknowledged per unit, and who has not yet."""
    organisation = _org(request, org)
    versions = selectors.code_versions(user=request.user, organisation=organisation)
    units = selectors.code_acknowledgement_by_unit(user=request.user, organisation=organisation)
    missing = selectors.code_missing(user=request.user, organisation=organisation)
    acc = selectors.access_for(request.user, organisation)
    return _render(
        request,
        "code.html",
        organisation,
        versions=versions,
        units=units,
        missing=missing[:200],
        missing_count=missing.count(),
        current=selectors.code_current(organisation),
        access=acc,
    )


@login_required
@for_roles(COORDINATOR)
def code_new(request: HttpRequest, org: str) -> HttpResponse:
    """Add a version of the code of conduct."""
    organisation = _org(request, org)
    selectors.keeper_access(request.user, organisation, coordinator_only=True)
    form = forms.CodeVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d.pop("file")
        try:
            services.code_version_create(
                actor=request.user,
                organisation=organisation,
                **d,
                file_name=upload.name if upload else "",
                file_content_type=getattr(upload, "content_type", ""),
                file_data=upload.read() if upload else None,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("De versie is toegevoegd."))
            return redirect("registers:code", org=org)
    return _render(
        request,
        "form_page.html",
        organisation,
        form=form,
        title=_("Nieuwe versie van de gedragscode"),
        multipart=True,
        back="registers:code",
    )


# --- 3. outside activities -----------------------------------------------------------------------


@login_required
@for_roles(KEEPERS)
def activities(request: HttpRequest, org: str) -> HttpResponse:
    """The register of outside activities (manager: their units), filterable by status."""
    organisation = _org(request, org)
    status = request.GET.get("status", "")
    if status not in ActivityStatus.values:
        status = ""
    rows = list(
        selectors.activity_list(user=request.user, organisation=organisation, status=status)
    )
    selectors.register_viewed(
        user=request.user, organisation=organisation, register="outside_activities", count=len(rows)
    )
    current = rules.settings_for(organisation)
    return _render(
        request,
        "activities.html",
        organisation,
        rows=rows,
        status=status,
        statuses=ActivityStatus.choices,
        reconfirm=set(a.pk for a in selectors.activity_reconfirm_due(organisation, rows)),
        published={
            a.pk for a in rows if a.is_active and rules.is_published_person(current, a.person)
        },
    )


@login_required
@for_roles(KEEPERS)
def activity_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """One activity with the assessment form (not for the manager's own activity)."""
    organisation = _org(request, org)
    activity = selectors.activity_for_assessment(
        user=request.user, organisation=organisation, pk=pk
    )
    activity = selectors.activity_get(user=request.user, organisation=organisation, pk=activity.pk)
    initial = {
        "outcome": activity.status if activity.status in services.ASSESSMENT_OUTCOMES else None
    }
    form = forms.AssessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_assess(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Het oordeel is vastgelegd."))
            return redirect("registers:activities", org=org)
    return _render(request, "activity_detail.html", organisation, activity=activity, form=form)


# --- 4. financial interests -------------------------------------------------------------------------


@login_required
@for_roles(COORDINATOR)
def financial(request: HttpRequest, org: str) -> HttpResponse:
    """Designated positions and persons, and the declarations to review."""
    organisation = _org(request, org)
    rows = list(selectors.financial_list(user=request.user, organisation=organisation))
    selectors.register_viewed(
        user=request.user, organisation=organisation, register="financial", count=len(rows)
    )
    designations = selectors.designation_list(user=request.user, organisation=organisation)
    people = selectors.scoped_people(user=request.user, organisation=organisation)
    form = forms.DesignationForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("De aanwijzing is vastgelegd."))
            return redirect("registers:financial", org=org)
    return _render(
        request, "financial.html", organisation, rows=rows, designations=designations, form=form
    )


@login_required
@for_roles(COORDINATOR)
@require_POST
def designation_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org)
    designation = selectors.designation_get(user=request.user, organisation=organisation, pk=pk)
    services.designation_delete(actor=request.user, designation=designation)
    messages.success(request, _("De aanwijzing is ingetrokken."))
    return redirect("registers:financial", org=org)


@login_required
@for_roles(COORDINATOR)
def financial_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Review one declaration (never one's own)."""
    organisation = _org(request, org)
    declaration = selectors.financial_for_review(
        user=request.user, organisation=organisation, pk=pk
    )
    declaration = selectors.financial_get(
        user=request.user, organisation=organisation, pk=declaration.pk
    )
    form = forms.FinancialReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.financial_review(
                actor=request.user, declaration=declaration, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Het oordeel is vastgelegd."))
            return redirect("registers:financial", org=org)
    return _render(
        request, "financial_detail.html", organisation, declaration=declaration, form=form
    )


# --- 5. gifts ----------------------------------------------------------------------------------------


@login_required
@for_roles(KEEPERS)
def gifts(request: HttpRequest, org: str) -> HttpResponse:
    """The register of gifts and invitations."""
    organisation = _org(request, org)
    decision = request.GET.get("decision", "")
    if decision not in GiftDecision.values:
        decision = ""
    rows = list(
        selectors.gift_list(user=request.user, organisation=organisation, decision=decision)
    )
    selectors.register_viewed(
        user=request.user, organisation=organisation, register="gifts", count=len(rows)
    )
    return _render(
        request,
        "gifts.html",
        organisation,
        rows=rows,
        decision=decision,
        decisions=GiftDecision.choices,
        threshold=rules.settings_for(organisation).gift_threshold,
    )


@login_required
@for_roles(KEEPERS)
def gift_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Decide on a gift or invitation (never one's own)."""
    organisation = _org(request, org)
    gift = selectors.gift_for_decision(user=request.user, organisation=organisation, pk=pk)
    gift = selectors.gift_get(user=request.user, organisation=organisation, pk=gift.pk)
    form = forms.GiftDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.gift_decide(actor=request.user, gift=gift, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Het besluit is vastgelegd."))
            return redirect("registers:gifts", org=org)
    return _render(request, "gift_detail.html", organisation, gift=gift, form=form)


# --- 6. vulnerable positions -----------------------------------------------------------------------


@login_required
@for_roles(KEEPERS)
def vulnerable(request: HttpRequest, org: str) -> HttpResponse:
    """The inventory of vulnerable positions per unit."""
    organisation = _org(request, org)
    rows = selectors.vulnerable_list(user=request.user, organisation=organisation)
    acc = selectors.access_for(request.user, organisation)
    return _render(
        request, "vulnerable.html", organisation, rows=rows, access=acc, today=timezone.localdate()
    )


@login_required
@for_roles(COORDINATOR)
def vulnerable_edit(request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
    """Add or change an entry in the inventory."""
    organisation = _org(request, org)
    selectors.keeper_access(request.user, organisation, coordinator_only=True)
    entry = (
        selectors.vulnerable_get(user=request.user, organisation=organisation, pk=pk)
        if pk
        else None
    )
    initial = {}
    if entry is not None:
        initial = {
            f: getattr(entry, f)
            for f in (
                "unit",
                "position",
                "risk",
                "measures",
                "other_measure",
                "assessed_on",
                "review_on",
            )
        }
    units = Unit.objects.filter(organisation=organisation)
    form = forms.VulnerablePositionForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.vulnerable_position_save(
                actor=request.user, organisation=organisation, instance=entry, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("De kwetsbare functie is opgeslagen."))
            return redirect("registers:vulnerable", org=org)
    title = _("Kwetsbare functie wijzigen") if entry else _("Kwetsbare functie toevoegen")
    return _render(
        request,
        "form_page.html",
        organisation,
        form=form,
        title=title,
        back="registers:vulnerable",
        delete_url=reverse("registers:vulnerable_delete", kwargs={"org": org, "pk": entry.pk})
        if entry
        else "",
    )


@login_required
@for_roles(COORDINATOR)
@require_POST
def vulnerable_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Remove an entry from the inventory (the flags of the people follow)."""
    organisation = _org(request, org)
    entry = selectors.vulnerable_get(user=request.user, organisation=organisation, pk=pk)
    services.vulnerable_position_delete(actor=request.user, entry=entry)
    messages.success(request, _("De kwetsbare functie is verwijderd."))
    return redirect("registers:vulnerable", org=org)


# --- 7. screening -------------------------------------------------------------------------------


@login_required
@for_roles(KEEPERS)
def screening(request: HttpRequest, org: str) -> HttpResponse:
    """Screening profiles and the status per person and check."""
    organisation = _org(request, org)
    if request.GET.get("person", "").isdigit():
        person = selectors.screening_person(
            user=request.user, organisation=organisation, pk=int(request.GET["person"])
        )
        return redirect("registers:screening_person", org=org, pk=person.pk)
    profiles = selectors.screening_profiles(user=request.user, organisation=organisation)
    checks = list(selectors.screening_checks(user=request.user, organisation=organisation))
    selectors.register_viewed(
        user=request.user, organisation=organisation, register="screening", count=len(checks)
    )
    people: dict[int, dict[str, Any]] = {}
    for c in checks:
        row = people.setdefault(c.person_id, {"person": c.person, "checks": []})
        row["checks"].append(c)
    due = selectors.rescreen_due(user=request.user, organisation=organisation)
    everyone = selectors.scoped_people(user=request.user, organisation=organisation)
    return _render(
        request,
        "screening.html",
        organisation,
        profiles=profiles,
        people=list(people.values()),
        due=due,
        everyone=everyone[:500],
        access=selectors.access_for(request.user, organisation),
    )


@login_required
@for_roles(COORDINATOR)
def screening_profile_edit(request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
    organisation = _org(request, org)
    selectors.keeper_access(request.user, organisation, coordinator_only=True)
    profile = (
        selectors.screening_profile_get(user=request.user, organisation=organisation, pk=pk)
        if pk
        else None
    )
    initial = {}
    if profile:
        initial = {
            "name": profile.name,
            "checks": profile.checks,
            "positions": "\n".join(profile.positions),
            "rescreen_months": profile.rescreen_months,
        }
    form = forms.ScreeningProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.screening_profile_save(
                actor=request.user,
                organisation=organisation,
                instance=profile,
                name=d["name"],
                checks=d["checks"],
                positions=d["positions"].splitlines(),
                rescreen_months=d["rescreen_months"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Het profiel is opgeslagen."))
            return redirect("registers:screening", org=org)
    return _render(
        request,
        "form_page.html",
        organisation,
        form=form,
        title=_("Screeningsprofiel"),
        back="registers:screening",
    )


@login_required
@for_roles(KEEPERS)
def screening_person(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """One person's screening: open a profile's checks and record results."""
    organisation = _org(request, org)
    person = selectors.screening_person(user=request.user, organisation=organisation, pk=pk)
    profiles = selectors.screening_profiles(user=request.user, organisation=organisation)
    title = (person.position or "").strip().lower()
    suggested = next(
        (p for p in profiles if title and title in {x.lower() for x in p.positions}), None
    )
    start_form = forms.ScreeningStartForm(
        request.POST if "start" in request.POST else None,
        profiles=profiles,
        prefix="start",
        initial={"profile": suggested},
    )
    check_form = forms.ScreeningCheckForm(
        request.POST if "check" in request.POST else None, prefix="check"
    )
    if request.method == "POST":
        try:
            if "start" in request.POST and start_form.is_valid():
                services.screening_start(
                    actor=request.user, person=person, profile=start_form.cleaned_data["profile"]
                )
                return redirect("registers:screening_person", org=org, pk=pk)
            if "check" in request.POST and check_form.is_valid():
                try:
                    check_id = int(request.POST.get("check_id", ""))
                except ValueError as exc:
                    raise Http404 from exc
                check = selectors.screening_check_get(
                    user=request.user, organisation=organisation, pk=check_id
                )
                if check.person_id != person.pk:
                    raise Http404
                services.screening_check_record(
                    actor=request.user, check=check, **check_form.cleaned_data
                )
                messages.success(request, _("Vastgelegd."))
                return redirect("registers:screening_person", org=org, pk=pk)
        except ValidationError as exc:
            _errors_to_form(check_form if "check" in request.POST else start_form, exc)
    checks = selectors.screening_checks(user=request.user, organisation=organisation).filter(
        person=person
    )
    return _render(
        request,
        "screening_person.html",
        organisation,
        person=person,
        checks=checks,
        start_form=start_form,
        check_form=check_form,
    )


# --- settings --------------------------------------------------------------------------------


@login_required
@for_roles(COORDINATOR)
def settings_edit(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's register rules (terms, thresholds, who owes what)."""
    organisation = _org(request, org)
    selectors.keeper_access(request.user, organisation, coordinator_only=True)
    current = rules.settings_for(organisation)
    initial = {f: getattr(current, f) for f in services.SETTINGS_FIELDS}
    initial["publish_positions"] = "\n".join(current.publish_positions or [])
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["publish_positions"] = [
            p.strip() for p in d["publish_positions"].splitlines() if p.strip()
        ]
        try:
            services.settings_update(actor=request.user, organisation=organisation, **d)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("De regels zijn opgeslagen."))
            return redirect("registers:settings", org=org)
    return _render(
        request,
        "form_page.html",
        organisation,
        form=form,
        title=_("Regels van de registers"),
        back="registers:overview",
        source=current.source,
    )


# --- import ------------------------------------------------------------------------------------

_SESSION_KEY = "registers_import_files"


@login_required
@for_roles(COORDINATOR)
def import_upload(request: HttpRequest, org: str) -> HttpResponse:
    """Step 1 and 2: upload a file, see the validation report (nothing is written yet)."""
    from intact.security.files import file_store

    organisation = _org(request, org)
    selectors.keeper_access(request.user, organisation, coordinator_only=True)
    form = forms.ImportUploadForm(
        request.POST or None, request.FILES or None, registers=importing.register_choices()
    )
    report = staged = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        register = form.cleaned_data["register"]
        report = importing.import_validate(
            organisation=organisation, register=register, filename=upload.name, data=data
        )
        if report.ok:
            staged = file_store(organisation, upload.name, upload.content_type or "", data)
            request.session[_SESSION_KEY] = [*request.session.get(_SESSION_KEY, [])[-9:], staged.pk]
    return _render(
        request,
        "import.html",
        organisation,
        form=form,
        report=report,
        staged=staged,
        register=form.cleaned_data.get("register") if form.is_bound and form.is_valid() else "",
        registers=importing.REGISTERS,
    )


@login_required
@for_roles(COORDINATOR)
@require_POST
def import_confirm(request: HttpRequest, org: str, file_id: int) -> HttpResponse:
    """Step 3: import the validated file, all rows or none."""
    from intact.security.files import file_delete, file_name, file_read
    from intact.security.models import EncryptedFile

    organisation = _org(request, org)
    selectors.keeper_access(request.user, organisation, coordinator_only=True)
    if file_id not in request.session.get(_SESSION_KEY, []):
        raise Http404
    staged = EncryptedFile.objects.filter(pk=file_id, organisation=organisation).first()
    register = request.POST.get("register", "")
    if staged is None or register not in importing.REGISTERS:
        raise Http404
    try:
        report = importing.import_apply(
            actor=request.user,
            organisation=organisation,
            register=register,
            filename=file_name(staged),
            data=file_read(staged),
        )
    except importing.ImportFailed as failed:
        form = forms.ImportUploadForm(registers=importing.register_choices())
        return _render(
            request,
            "import.html",
            organisation,
            form=form,
            report=failed.report,
            staged=None,
            register=register,
            registers=importing.REGISTERS,
            http_status=400,
        )
    file_delete(staged)
    request.session[_SESSION_KEY] = [
        i for i in request.session.get(_SESSION_KEY, []) if i != file_id
    ]
    messages.success(request, _("%(n)s regels geïmporteerd.") % {"n": report.imported})
    return redirect("registers:overview", org=org)
