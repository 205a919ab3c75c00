"""Views that belong to no domain: health, start page, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from intact.core.access import ALL_ROLES, for_roles
from intact.core.api import PROBLEM_CONTENT_TYPE
from intact.organisations import selectors as org_selectors


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    """The public front page: which organisations report here."""
    organisations = org_selectors.organisation_list_public()
    return render(request, "core/home.html", {"organisations": organisations})


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The staff start page: the user's organisations and what waits per role."""
    memberships = org_selectors.memberships_for_user(user=request.user)
    orgs = [
        {
            "organisation": organisation,
            "memberships": [m for m in memberships if m.organisation_id == organisation.pk],
        }
        for organisation in org_selectors.organisations_for_user(user=request.user)
    ]
    return render(request, "core/start.html", {"memberships": memberships, "organisations": orgs})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return _problem(403, _("Geen toegang"), _("CSRF-controle mislukt."))
    return render(
        request,
        "core/error.html",
        {
            "title": _("Formulier verlopen"),
            "message": _(
                "Het formulier is verlopen of niet geldig. Ga terug, laad de pagina opnieuw en "
                "probeer het nog eens. Er is niets opgeslagen."
            ),
        },
        status=403,
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    """A problem+json answer for API paths that never reached a DRF view."""
    response = JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for every unknown or not-to-be-seen page: one body for both (DESIGN rule 1)."""
    if _is_api(request):
        return _problem(404, _("Niet gevonden"), _("Niet gevonden."))
    return render(
        request,
        "core/error.html",
        {"title": _("Pagina niet gevonden"), "message": _("Deze pagina bestaat niet.")},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _problem(500, _("Fout"), _("Er ging iets mis aan onze kant. Probeer het later opnieuw."))
    return render(
        request,
        "core/error.html",
        {
            "title": _("Er ging iets mis"),
            "message": _("Er ging iets mis aan onze kant. Probeer het later opnieuw."),
        },
        status=500,
    )


@for_roles(ALL_ROLES)
@login_required
def org_start(request: HttpRequest, org: str) -> HttpResponse:
    """The start page of one organisation, with a section per role the user holds.

    Apps contribute sections through ``start_sections`` in their selectors
    module (see ``intact.core.start``); each section applies the access policy.
    """
    from intact.core.start import sections_for

    organisation = org_selectors.organisation_for_user(user=request.user, slug=org)
    memberships = [
        m
        for m in org_selectors.memberships_for_user(user=request.user)
        if m.organisation_id == organisation.pk
    ]
    return render(
        request,
        "core/org_start.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "sections": sections_for(request.user, organisation),
        },
    )
