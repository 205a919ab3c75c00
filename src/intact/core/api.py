"""API plumbing shared by every app: errors as RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, pagination, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemJSONRenderer(JSONRenderer):
    media_type = PROBLEM_CONTENT_TYPE
    format = "problem+json"


class SessionAuthentication(authentication.SessionAuthentication):
    """Session auth that answers 401 (not 403) to a request without a login."""

    def authenticate_header(self, request: Any) -> str:
        return "Session"


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _title_for(status_code: int) -> str:
    return {
        400: _("Ongeldige invoer"),
        401: _("Niet ingelogd"),
        403: _("Geen toegang"),
        404: _("Niet gevonden"),
        405: _("Methode niet toegestaan"),
        406: _("Niet aanvaardbaar"),
        409: _("Conflict"),
        413: _("Te groot"),
        415: _("Niet-ondersteund mediatype"),
        429: _("Te veel verzoeken"),
    }.get(status_code, _("Fout"))


def problem_response(
    status_code: int, detail: str, *, invalid_params: list[dict] | None = None, **extra: Any
) -> Response:
    """A problem+json response outside DRF's exception flow."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _title_for(status_code),
        "status": status_code,
        "detail": detail,
    }
    if invalid_params:
        body["invalid_params"] = invalid_params
    body.update(extra)
    response = Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)
    response.accepted_renderer = ProblemJSONRenderer()
    response.accepted_media_type = PROBLEM_CONTENT_TYPE
    response.renderer_context = {}
    return response


def _flatten(detail: Any, prefix: str = "") -> list[dict]:
    if isinstance(detail, dict):
        out: list[dict] = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_flatten(value, name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [
                {"name": prefix or "non_field_errors", "reason": str(item), "code": getattr(item, "code", "invalid")}
                for item in detail
            ]
        out = []
        for index, value in enumerate(detail):
            out.extend(_flatten(value, f"{prefix}[{index}]"))
        return out
    return [{"name": prefix or "non_field_errors", "reason": str(detail), "code": getattr(detail, "code", "invalid")}]


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turn every API error into application/problem+json.

    Permission errors on objects are raised as 404 by the selectors, so a
    confidential object that may not be seen answers exactly like one that
    does not exist (DESIGN rule 1).
    """
    from rest_framework.views import exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=getattr(exc, "message_dict", None) or exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        params = _flatten(exc.detail)
        detail = _("De invoer bevat fouten; zie invalid_params.")
        problem = problem_response(status.HTTP_400_BAD_REQUEST, detail, invalid_params=params)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        problem = problem_response(response.status_code, str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem


# --- OpenAPI ----------------------------------------------------------------------

from drf_spectacular.extensions import OpenApiAuthenticationExtension  # noqa: E402


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "intact.core.api.SessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "intact_session",
            "description": "Session of a logged-in staff user (two factors verified). "
            "Unsafe methods need the CSRF token in the X-CSRFToken header.",
        }


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "invalid_params": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "reason": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["name", "reason"],
            },
        },
    },
    "required": ["title", "status"],
}

_ERRORS = {
    "400": "Invalid input (see invalid_params).",
    "401": "Not logged in.",
    "403": "Not allowed (e.g. a failed CSRF check).",
    "404": "Not found — also for what exists but may not be seen.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "415": "Unsupported media type.",
    "429": "Too many requests.",
}


def add_problem_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular post-processing hook: document the problem+json error answers.

    Every operation can answer with these; declaring them keeps the schema
    honest for clients and for schemathesis (issue 8).
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in _ERRORS.items():
                if code == "400" and method in {"get", "delete", "head"}:
                    continue
                responses.setdefault(
                    code,
                    {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": ref}}},
                )
    return result
