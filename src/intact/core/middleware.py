"""Middleware that keeps reporters untraceable and pages locked down."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Request metadata that could identify a reporter. Intact never needs it, so it
# is removed before any view, logger or library can store it (DESIGN rule 2).
IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_REFERER",
    "HTTP_VIA",
    "HTTP_FROM",
)


class NoClientMetadataMiddleware:
    """Strip client addresses, user agent and referrer from every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key in IDENTIFYING_META:
            request.META.pop(key, None)
        # Some libraries expect REMOTE_ADDR to exist; give them a fixed non-address.
        request.META["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            # Pages may hold confidential data: never in a shared or browser cache.
            response.setdefault("Cache-Control", "no-store")
        return response
