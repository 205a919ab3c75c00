"""Pages of the organisations app: the public integrity page and the staff pages.

Staff views are thin: they resolve the organisation through the access
policy (404 for anyone without a fitting role, exactly like an unknown
organisation), validate a form and call a service.
"""

from __future__ import annotations

import importlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intact.core.access import for_roles
from intact.organisations import forms, selectors, services
from intact.organisations.selectors import (
    MEMBERSHIP_ROLES,
    ORGAN_ROLES,
    PERSON_WRITE_ROLES,
    UNIT_ROLES,
)
from intact.security import audit, policy

PEOPLE_PAGE_SIZE = 50


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


def _add_errors(form: forms.forms.Form, error: ValidationError) -> None:
    try:
        form.add_error(None, error)
    except (ValueError, AttributeError):
        form.add_error(None, error.messages)


def _org(request: HttpRequest, org: str, roles: frozenset[str]):  # type: ignore[no-untyped-def]
    return selectors.organisation_for_user(user=request.user, slug=org, roles=tuple(roles))


def _page_context(request: HttpRequest, organisation, **extra):  # type: ignore[no-untyped-def]
    held = policy.roles_in(request.user, organisation)
    return {
        "organisation": organisation,
        "may_edit_people": bool(held & PERSON_WRITE_ROLES),
        "may_manage_roles": bool(held & MEMBERSHIP_ROLES),
        "may_manage_organs": bool(held & ORGAN_ROLES),
        **extra,
    }


# --- units -------------------------------------------------------------------


@for_roles(UNIT_ROLES)
@login_required
def unit_tree(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, UNIT_ROLES)
    tree = selectors.unit_tree(user=request.user, organisation=organisation)
    return render(request, "organisations/unit_tree.html", _page_context(request, organisation, tree=tree))


@for_roles(PERSON_WRITE_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, PERSON_WRITE_ROLES)
    form = forms.UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het onderdeel is toegevoegd."))
            return redirect("organisations:unit_tree", org=org)
    return render(request, "organisations/unit_form.html", _page_context(request, organisation, form=form))


# --- people ------------------------------------------------------------------


@for_roles(UNIT_ROLES)
@login_required
def person_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, UNIT_ROLES)
    filters = forms.PersonFilterForm(request.GET or None, organisation=organisation)
    criteria: dict = {}
    if filters.is_valid():
        data = filters.cleaned_data
        criteria = {
            "unit_id": data["unit"].pk if data.get("unit") else None,
            "contract_type": data.get("contract_type") or "",
            "query": data.get("q") or "",
        }
    people = selectors.person_list(user=request.user, organisation=organisation, **criteria)
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/person_list.html",
        _page_context(
            request, organisation, filters=filters, page=page, querystring=query.urlencode()
        ),
    )


@for_roles(UNIT_ROLES)
@login_required
def person_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, UNIT_ROLES)
    with transaction.atomic():
        person = selectors.person_get(user=request.user, organisation=organisation, pk=pk)
        # Personnel data: who looked at whom is recorded (AVG: "who saw my data").
        audit.record(request.user, "person.view", organisation=organisation, obj=person)
    roles = []
    if person.user_id and policy.has_role(request.user, organisation, *MEMBERSHIP_ROLES):
        roles = list(
            selectors.membership_list(user=request.user, organisation=organisation).filter(
                user_id=person.user_id
            )
        )
    return render(
        request,
        "organisations/person_detail.html",
        _page_context(request, organisation, person=person, roles=roles),
    )


@for_roles(PERSON_WRITE_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, PERSON_WRITE_ROLES)
    form = forms.PersonForm(request.POST or None, organisation=organisation, with_account=True)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De persoon is toegevoegd."))
            return redirect("organisations:person_detail", org=org, pk=person.pk)
    return render(
        request,
        "organisations/person_form.html",
        _page_context(request, organisation, form=form, person=None),
    )


@for_roles(PERSON_WRITE_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, PERSON_WRITE_ROLES)
    person = selectors.person_get_for_change(user=request.user, organisation=organisation, pk=pk)
    form = forms.PersonForm(
        request.POST or None, instance=person, organisation=organisation, with_account=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("organisations:person_detail", org=org, pk=person.pk)
    return render(
        request,
        "organisations/person_form.html",
        _page_context(request, organisation, form=form, person=person),
    )


# --- roles -------------------------------------------------------------------


@for_roles(MEMBERSHIP_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def membership_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, MEMBERSHIP_ROLES)
    people = selectors.people_with_account(user=request.user, organisation=organisation)
    grantable = selectors.grantable_roles(user=request.user, organisation=organisation)
    form = forms.MembershipForm(
        request.POST or None, organisation=organisation, people=people, roles=grantable
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_grant(
                actor=request.user,
                organisation=organisation,
                user=data["person"].user,
                role=data["role"],
                unit=data.get("unit"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De rol is toegekend."))
            return redirect("organisations:membership_list", org=org)
    memberships = selectors.membership_list(user=request.user, organisation=organisation)
    return render(
        request,
        "organisations/membership_list.html",
        _page_context(
            request, organisation, form=form, memberships=memberships, grantable=grantable
        ),
    )


@for_roles(MEMBERSHIP_ROLES)
@login_required
@require_POST
def membership_revoke(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, MEMBERSHIP_ROLES)
    membership = selectors.membership_get(user=request.user, organisation=organisation, pk=pk)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De rol is ingetrokken."))
    return redirect("organisations:membership_list", org=org)


# --- integrity organs --------------------------------------------------------


@for_roles(ORGAN_ROLES)
@login_required
def organ_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, ORGAN_ROLES)
    organs = selectors.organ_list(user=request.user, organisation=organisation)
    return render(
        request, "organisations/organ_list.html", _page_context(request, organisation, organs=organs)
    )


def _organ_form_page(request: HttpRequest, org: str, pk: int | None) -> HttpResponse:
    organisation = _org(request, org, ORGAN_ROLES)
    organ = selectors.organ_get(user=request.user, organisation=organisation, pk=pk) if pk else None
    form = forms.OrganForm(request.POST or None, instance=organ, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            if organ is None:
                services.organ_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            else:
                services.organ_update(actor=request.user, organ=organ, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het integriteitsorgaan is opgeslagen."))
            return redirect("organisations:organ_list", org=org)
    return render(
        request,
        "organisations/organ_form.html",
        _page_context(request, organisation, form=form, organ=organ),
    )


@for_roles(ORGAN_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def organ_create(request: HttpRequest, org: str) -> HttpResponse:
    return _organ_form_page(request, org, None)


@for_roles(ORGAN_ROLES)
@login_required
@require_http_methods(["GET", "POST"])
def organ_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    return _organ_form_page(request, org, pk)


@for_roles(ORGAN_ROLES)
@login_required
@require_POST
def organ_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org(request, org, ORGAN_ROLES)
    organ = selectors.organ_get(user=request.user, organisation=organisation, pk=pk)
    services.organ_delete(actor=request.user, organ=organ)
    messages.success(request, _("Het integriteitsorgaan is verwijderd."))
    return redirect("organisations:organ_list", org=org)
