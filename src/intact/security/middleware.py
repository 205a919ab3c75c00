"""Two factors before anything confidential (DESIGN rule 1, issue 2 point 5)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from intact.security import policy

PROTECTED_PREFIXES = ("/app/", "/beheer/")
API_PREFIX = "/api/"
API_OPEN = ("/api/v1/schema/",)


def _verified(user: object) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class TwoFactorRequiredMiddleware:
    """Send a user who must use two factors, but has not yet, to set-up or verification.

    Pages under ``/app/`` and ``/beheer/`` redirect; the API (a session
    without verification) answers 403 as problem+json. Token-authenticated
    API calls carry no session user here and are left to DRF.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is not None
            and user.is_authenticated
            and (path.startswith(PROTECTED_PREFIXES) or path.startswith(API_PREFIX))
            and not path.startswith(API_OPEN)
            and not _verified(user)
            and policy.needs_second_factor(user)
        ):
            if path.startswith(API_PREFIX):
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": _("Geen toegang"),
                        "status": 403,
                        "detail": _("Log eerst in met uw tweede factor (authenticator-app)."),
                    },
                    status=403,
                    content_type="application/problem+json",
                )
            name = "security:otp_verify" if user_has_device(user) else "security:otp_setup"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(name)}?{query}")
        return self.get_response(request)
