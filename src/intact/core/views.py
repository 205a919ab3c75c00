"""Views that belong to no domain: health, start page, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    orgs = org_selectors.organisations_for_user(user=request.user)
    return render(
        request,
        "core/start.html",
        {"memberships": memberships, "organisations": orgs},
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
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


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Pagina niet gevonden"), "message": _("Deze pagina bestaat niet.")},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("Er ging iets mis"),
            "message": _("Er ging iets mis aan onze kant. Probeer het later opnieuw."),
        },
        status=500,
    )


@login_required
def org_start(request: HttpRequest, org: str) -> HttpResponse:
    """The start page of one organisation, with a section per role the user holds.

    Apps contribute sections through ``start_sections`` in their selectors
    module (see ``intact.core.start``); each section applies the access policy.
    """
    from intact.core.start import sections_for

    organisation = org_selectors.organisation_for_user(user=request.user, slug=org)
    return render(
        request,
        "core/org_start.html",
        {"organisation": organisation, "sections": sections_for(request.user, organisation)},
    )
