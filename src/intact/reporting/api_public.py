"""Public API for reporters: submit a report, and the mailbox with receipt authentication.

No staff login and no CSRF (there is no session): submitting needs nothing,
the mailbox needs a short-lived token that ``POST /mailbox/session`` gives
for a valid receipt. The token is signed by the server (``SECRET_KEY``),
names only the report, and expires after the mailbox's idle time (20 minutes);
send it as ``Authorization: Mailbox <token>``. The receipt itself is sent
once and never stored. Errors are problem+json like the rest of the API.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import authentication, exceptions, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from intact.core.api import PROBLEM_CONTENT_TYPE, problem_response
from intact.organisations import selectors as org_selectors
from intact.organisations.models import Organisation
from intact.reporting import receipts, selectors, services, uploads
from intact.reporting.models import Anonymity, Message, Report, ReportType

TOKEN_SALT = "intact.reporting.mailbox-token"  # noqa: S105 - a signing namespace, not a secret
KEYWORD = "Mailbox"

BUSY = OpenApiResponse(
    response=inline_serializer(
        name="BusyProblem",
        fields={
            "type": serializers.CharField(),
            "title": serializers.CharField(),
            "status": serializers.IntegerField(),
            "detail": serializers.CharField(),
        },
    ),
    description="Busy: too many key derivations or failed logins at once. "
    "Try again after Retry-After seconds.",
)
PROBLEM_503 = {(503, PROBLEM_CONTENT_TYPE): BUSY}


def _busy() -> Response:
    response = problem_response(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        _("Het is op dit moment erg druk. Probeer het over een paar seconden opnieuw."),
    )
    response["Retry-After"] = str(services.MailboxBusy.retry_after)
    return response


def _token_lifetime() -> int:
    return int(services.mailbox_policy()["session_idle_minutes"]) * 60


# --- authentication --------------------------------------------------------------------------


class MailboxTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Mailbox <token>``: the reporter's report, no user."""

    def authenticate(self, request: Request) -> tuple[Any, Report] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != KEYWORD:
            return None
        try:
            data = signing.loads(parts[1], salt=TOKEN_SALT, max_age=_token_lifetime())
            report = Report.objects.select_related("organisation").get(
                pk=int(data["r"]), organisation_id=int(data["o"])
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError, Report.DoesNotExist) as exc:
            raise exceptions.AuthenticationFailed(_("De sessie is verlopen of ongeldig. Log opnieuw in.")) from exc
        if report.mailbox_blocked or not report.organisation.is_active:
            raise exceptions.AuthenticationFailed(_("De sessie is verlopen of ongeldig. Log opnieuw in."))
        return AnonymousUser(), report

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class MailboxTokenScheme(OpenApiAuthenticationExtension):
    target_class = "intact.reporting.api_public.MailboxTokenAuthentication"
    name = "mailboxToken"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Mailbox <token>` from POST /api/v1/mailbox/session (valid 20 minutes).",
        }


class HasMailbox(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Report)


# --- serializers -------------------------------------------------------------------------------


class IdentitySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)


class JSONObjectField(serializers.JSONField):
    """A JSON object; in multipart forms it arrives as a JSON string."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise serializers.ValidationError(_("Geen geldige JSON.")) from exc
        return super().to_internal_value(data)


class ReportSubmitSerializer(serializers.Serializer):
    report_type = serializers.ChoiceField(choices=ReportType.choices)
    anonymity = serializers.ChoiceField(choices=Anonymity.choices)
    answers = JSONObjectField(help_text="Answers by question key, e.g. {\"what\": \"...\"}.")
    implicated = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=20,
        help_text="Free-text names or positions of persons involved.",
    )
    identity = IdentitySerializer(required=False, help_text="Required unless anonymous.")
    notify_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    meeting_requested = serializers.BooleanField(required=False, default=False)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="multipart/form-data only."
    )

    def validate_answers(self, value: Any) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Geef de antwoorden als object."))
        return value

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "getlist"):
            plain = {k: data.get(k) for k in data.keys() if k not in ("implicated", "attachments")}
            if "implicated" in data:
                plain["implicated"] = data.getlist("implicated")
            if "identity" in plain and isinstance(plain["identity"], str):
                try:
                    plain["identity"] = json.loads(plain["identity"])
                except ValueError:
                    pass
            data = plain
        return super().to_internal_value(data)


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text="Shown once. Write it down; it cannot be recovered.")
    receipt_formatted = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()


class SessionRequestSerializer(serializers.Serializer):
    organisation = serializers.SlugField(help_text="The organisation's slug.")
    receipt = serializers.CharField(max_length=64)


class SessionSerializer(serializers.Serializer):
    token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds.")


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    label = serializers.CharField()


class MailboxReportSerializer(serializers.Serializer):
    report_type = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = serializers.CharField(allow_null=True)
    meeting_requested = serializers.BooleanField()
    notify_email_set = serializers.BooleanField()
    timeline = EventSerializer(many=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    stripped_metadata = serializers.BooleanField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    direction = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    attachments = AttachmentSerializer(many=True)


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


def _message_data(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "direction": m.direction,
        "body": m.body,
        "created_at": m.created_at,
        "read_at": m.read_at,
        "attachments": [
            {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size,
             "stripped_metadata": a.stripped_metadata}
            for a in m.attachments.all()
        ],
    }


def _invalid(errors: dict[str, list[str]]) -> Response:
    params = [{"name": k, "reason": " ".join(v), "code": "invalid"} for k, v in errors.items()]
    return problem_response(400, _("De invoer bevat fouten; zie invalid_params."), invalid_params=params)


def _upload_rejected(exc: uploads.UploadRejected) -> Response:
    return problem_response(
        400, str(exc), invalid_params=[{"name": "attachments", "reason": str(exc), "code": "rejected"}]
    )


# --- views ---------------------------------------------------------------------------------------


class MemoryUploadsMixin:
    """Files sent to these endpoints stay in memory, never in a temporary file."""

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        uploads.use_memory_only(request)
        return super().initialize_request(request, *args, **kwargs)


def _files(request: Request) -> list[Any]:
    return request.FILES.getlist("attachments") if hasattr(request.FILES, "getlist") else []


class PublicAPIView(MemoryUploadsMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser]


class ReportSubmitView(PublicAPIView):
    """Submit a report anonymously (or named/confidential) and get the receipt once.

    The path is shared with the staff inbox (``GET`` on the same collection);
    ``api_urls`` combines both into one view whose ``POST`` is this one.
    """

    @extend_schema(
        operation_id="report_submit",
        summary="Submit a report",
        description="No login. JSON, or multipart/form-data with `answers` (and `identity`) as JSON "
        "strings and files in `attachments`. The receipt is in this answer only.",
        request=ReportSubmitSerializer,
        responses={201: ReceiptSerializer, **PROBLEM_503},
        tags=["reporter"],
        auth=[],
    )
    def post(self, request: Request, organisation_slug: str) -> Response:
        organisation: Organisation = org_selectors.organisation_get_public(slug=organisation_slug)
        serializer = ReportSubmitSerializer(data=request.data)
        if uploads.too_large(request._request):
            return _upload_rejected(uploads.UploadRejected(uploads.too_large_message()))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        files = _files(request)
        try:
            report, receipt = services.report_submit(
                organisation=organisation,
                report_type=data["report_type"],
                anonymity=data["anonymity"],
                answers=data["answers"],
                implicated=data.get("implicated", []),
                attachments=files,
                identity=dict(data["identity"]) if data.get("identity") else None,
                notify_email=data.get("notify_email", ""),
                language=(get_language() or "nl")[:10],
                meeting_requested=data.get("meeting_requested", False),
            )
        except services.ReportInvalid as exc:
            return _invalid(exc.errors)
        except uploads.UploadRejected as exc:
            return _upload_rejected(exc)
        except services.MailboxBusy:
            return _busy()
        body = {
            "receipt": receipt,
            "receipt_formatted": receipts.format_receipt(receipt),
            "status": report.status,
            "received_at": report.received_at,
        }
        return Response(ReceiptSerializer(body).data, status=status.HTTP_201_CREATED)


class MailboxSessionView(PublicAPIView):
    """Exchange a receipt for a short-lived mailbox token."""

    @extend_schema(
        operation_id="mailbox_session_create",
        summary="Open the mailbox with a receipt",
        description="A wrong, unknown or malformed receipt always gets the same 401 answer.",
        request=SessionRequestSerializer,
        responses={201: SessionSerializer, **PROBLEM_503},
        tags=["reporter"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = SessionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        generic = _("Met dit ontvangstbewijs kunnen wij geen postbus openen.")
        try:
            organisation = org_selectors.organisation_get_public(slug=serializer.validated_data["organisation"])
        except Exception:  # noqa: BLE001 - unknown organisation: same answer as a wrong receipt
            return problem_response(401, generic)
        try:
            report = services.mailbox_login(organisation=organisation, receipt=serializer.validated_data["receipt"])
        except services.MailboxBusy:
            return _busy()
        except services.MailboxBlocked:
            return problem_response(403, _("Deze postbus is op dit moment niet beschikbaar."))
        except (services.InvalidReceipt, services.MailboxLocked):
            return problem_response(401, generic)
        token = signing.dumps({"r": report.pk, "o": organisation.pk}, salt=TOKEN_SALT)
        return Response(
            {"token": token, "token_type": KEYWORD, "expires_in": _token_lifetime()},
            status=status.HTTP_201_CREATED,
        )


class MailboxAPIView(MemoryUploadsMixin, APIView):
    authentication_classes = [MailboxTokenAuthentication]
    permission_classes = [HasMailbox]
    parser_classes = [JSONParser, MultiPartParser]


class MailboxReportView(MailboxAPIView):
    @extend_schema(operation_id="mailbox_report", summary="Status and timeline of your report",
                   responses={200: MailboxReportSerializer}, tags=["reporter"])
    def get(self, request: Request) -> Response:
        from intact.reporting.views_public import event_label

        report: Report = request.auth
        services.mailbox_report_viewed(report=report)
        body = {
            "report_type": report.report_type,
            "status": report.status,
            "status_label": str(report.get_status_display()),
            "received_at": report.received_at,
            "acknowledged_at": report.acknowledged_at,
            "closed_at": report.closed_at,
            "close_reason": report.close_reason,
            "meeting_requested": report.meeting_requested,
            "notify_email_set": bool(report.notify_email),
            "timeline": [
                {"at": e.at, "kind": e.kind, "label": event_label(e.kind)}
                for e in selectors.mailbox_timeline(report=report)
            ],
        }
        return Response(MailboxReportSerializer(body).data)


class MailboxMessagesView(MailboxAPIView):
    @extend_schema(operation_id="mailbox_messages_list", summary="Messages (marks the handler's as read)",
                   responses={200: MessageSerializer(many=True)}, tags=["reporter"])
    def get(self, request: Request) -> Response:
        report: Report = request.auth
        messages = selectors.mailbox_messages(report=report)
        data = [_message_data(m) for m in messages]
        services.mailbox_mark_read(report=report)
        return Response(MessageSerializer(data, many=True).data)

    @extend_schema(operation_id="mailbox_messages_create", summary="Send a message (text and/or files)",
                   request=MessageCreateSerializer, responses={201: MessageSerializer}, tags=["reporter"])
    def post(self, request: Request) -> Response:
        report: Report = request.auth
        serializer = MessageCreateSerializer(data=request.data)
        if uploads.too_large(request._request):
            return _upload_rejected(uploads.UploadRejected(uploads.too_large_message()))
        serializer.is_valid(raise_exception=True)
        files = _files(request)
        try:
            message = services.reporter_message_send(
                report=report, body=serializer.validated_data.get("body", ""), attachments=files
            )
        except services.ReportInvalid as exc:
            return _invalid(exc.errors)
        except uploads.UploadRejected as exc:
            return _upload_rejected(exc)
        except services.MailboxBlocked as exc:
            raise exceptions.AuthenticationFailed() from exc
        return Response(MessageSerializer(_message_data(message)).data, status=status.HTTP_201_CREATED)
