"""Staff API of reporting: the inbox, a report, acknowledge, messages, notes, close.

Same rules as the pages: the organisation comes from the access policy, a
report from ``selectors.report_get_for`` (404 for anyone without access and
for implicated persons, exactly like a report that does not exist); writes go
through the reporting services. Mounted under
``/api/v1/organisations/{organisation_slug}/reports/``.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from intact.core.api import Pagination
from intact.reporting import selectors, selectors_staff, services, services_staff
from intact.reporting.models import Report
from intact.reporting.views_staff import HANDLER_ROLES
from intact.security import policy

ORG_PARAM = OpenApiParameter("organisation_slug", str, OpenApiParameter.PATH,
                             description="Short name (slug) of the organisation.")
REF_PARAM = OpenApiParameter("reference", str, OpenApiParameter.PATH, description="Report reference, e.g. M-2026-0042.")


class StaffTermSerializer(serializers.Serializer):
    code = serializers.CharField(source="definition.code")
    name = serializers.CharField(source="definition.name")
    statutory = serializers.BooleanField(source="definition.statutory")
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    fulfilled_at = serializers.DateTimeField(allow_null=True)


class StaffReportListSerializer(serializers.ModelSerializer):
    next_term_due = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["reference", "report_type", "anonymity", "channel", "status", "received_at",
                  "acknowledged_at", "next_term_due", "overdue"]

    def get_next_term_due(self, obj: Report) -> str | None:
        row = self.context["rows"].get(obj.pk)
        term = row["next_term"] if row else None
        return term.due_date.isoformat() if term else None

    def get_overdue(self, obj: Report) -> bool:
        row = self.context["rows"].get(obj.pk)
        return bool(row and row["overdue"])


class StaffAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class StaffMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    direction = serializers.CharField(read_only=True)
    body = serializers.CharField(max_length=20000)
    created_at = serializers.DateTimeField(read_only=True)
    attachments = StaffAttachmentSerializer(many=True, read_only=True, source="attachments.all")


class StaffNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(max_length=20000)
    author = serializers.CharField(source="author.username", read_only=True, default="")
    created_at = serializers.DateTimeField(read_only=True)


class StaffReportDetailSerializer(serializers.ModelSerializer):
    reporter = serializers.SerializerMethodField()
    answers = serializers.JSONField()
    terms = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    close_reason = serializers.CharField(allow_null=True)

    class Meta:
        model = Report
        fields = ["reference", "report_type", "anonymity", "channel", "status", "received_at",
                  "acknowledged_at", "feedback_given_at", "closed_at", "close_reason", "decision",
                  "mailbox_blocked", "pseudonym", "reporter", "answers", "terms", "attachments"]

    def get_reporter(self, obj: Report) -> dict[str, Any]:
        identity, state = services_staff.identity_for(user=self.context["request"].user, report=obj)
        out: dict[str, Any] = {"state": state, "pseudonym": obj.pseudonym}
        if identity is not None:
            out.update({"name": identity.name, "email": identity.email, "phone": identity.phone})
        return out

    def get_terms(self, obj: Report) -> list[dict]:
        return StaffTermSerializer(selectors_staff.terms_for_report(report=obj), many=True).data

    def get_attachments(self, obj: Report) -> list[dict]:
        return StaffAttachmentSerializer(selectors.report_attachments(report=obj), many=True).data


class StaffCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


def _report(request: Request, organisation_slug: str, reference: str) -> Report:
    organisation = policy.organisation_for(request.user, organisation_slug, HANDLER_ROLES)
    return selectors.report_get_for(user=request.user, organisation=organisation, reference=reference)


def _invalid(exc: services.ReportInvalid) -> ValidationError:
    return ValidationError(exc.errors)


class ReportListView(APIView):
    """Reports the user may see (the inbox), newest first; one page at a time (count, next, previous)."""

    intact_roles = HANDLER_ROLES
    pagination_class = Pagination  # the schema then describes the paginated envelope

    @extend_schema(parameters=[ORG_PARAM], responses=StaffReportListSerializer(many=True),
                   summary="Reports you may see (the inbox)")
    def get(self, request: Request, organisation_slug: str) -> Response:
        organisation = policy.organisation_for(request.user, organisation_slug, HANDLER_ROLES)
        reports = selectors_staff.inbox_queryset_for(user=request.user, organisation=organisation)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reports, request, view=self) or []
        rows = selectors_staff.inbox_rows_for(reports=list(page))
        ctx = {"rows": {r["report"].pk: r for r in rows}, "request": request}
        return paginator.get_paginated_response(
            StaffReportListSerializer([r["report"] for r in rows], many=True, context=ctx).data
        )


class ReportDetailView(APIView):
    intact_roles = HANDLER_ROLES

    @extend_schema(parameters=[ORG_PARAM, REF_PARAM], responses=StaffReportDetailSerializer,
                   summary="One report with its answers, terms and files")
    def get(self, request: Request, organisation_slug: str, reference: str) -> Response:
        report = _report(request, organisation_slug, reference)
        return Response(StaffReportDetailSerializer(report, context={"request": request}).data)


class ReportAcknowledgeView(APIView):
    intact_roles = HANDLER_ROLES

    @extend_schema(parameters=[ORG_PARAM, REF_PARAM], request=None, responses=StaffReportDetailSerializer,
                   summary="Acknowledge receipt (the reporter sees it)")
    def post(self, request: Request, organisation_slug: str, reference: str) -> Response:
        report = _report(request, organisation_slug, reference)
        report = services.report_acknowledge(report=report, user=request.user)
        return Response(StaffReportDetailSerializer(report, context={"request": request}).data)


class ReportCloseView(APIView):
    intact_roles = HANDLER_ROLES

    @extend_schema(parameters=[ORG_PARAM, REF_PARAM], request=StaffCloseSerializer, responses=StaffReportDetailSerializer,
                   summary="Close the report with a reason the reporter is told")
    def post(self, request: Request, organisation_slug: str, reference: str) -> Response:
        report = _report(request, organisation_slug, reference)
        data = StaffCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = services.report_close(report=report, user=request.user, reason=data.validated_data["reason"])
        except services.ReportInvalid as exc:
            raise _invalid(exc) from exc
        return Response(StaffReportDetailSerializer(report, context={"request": request}).data)


class ReportMessagesView(APIView):
    intact_roles = HANDLER_ROLES

    @extend_schema(parameters=[ORG_PARAM, REF_PARAM], responses=StaffMessageSerializer(many=True),
                   summary="Messages between handlers and the reporter")
    def get(self, request: Request, organisation_slug: str, reference: str) -> Response:
        report = _report(request, organisation_slug, reference)
        return Response(StaffMessageSerializer(selectors.mailbox_messages(report=report), many=True).data)

    @extend_schema(parameters=[ORG_PARAM, REF_PARAM], request=StaffMessageSerializer,
                   responses={201: StaffMessageSerializer}, summary="Send a message to the reporter")
    def post(self, request: Request, organisation_slug: str, reference: str) -> Response:
        report = _report(request, organisation_slug, reference)
        data = StaffMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = services.handler_message_send(report=report, author=request.user,
                                                    body=data.validated_data["body"])
        except services.ReportInvalid as exc:
            raise _invalid(exc) from exc
        return Response(StaffMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ReportNotesView(APIView):
    intact_roles = HANDLER_ROLES

    @extend_schema(parameters=[ORG_PARAM, REF_PARAM], responses=StaffNoteSerializer(many=True),
                   summary="Internal notes (never shown to the reporter)")
    def get(self, request: Request, organisation_slug: str, reference: str) -> Response:
        report = _report(request, organisation_slug, reference)
        return Response(StaffNoteSerializer(report.notes.select_related("author").all(), many=True).data)

    @extend_schema(parameters=[ORG_PARAM, REF_PARAM], request=StaffNoteSerializer,
                   responses={201: StaffNoteSerializer}, summary="Add an internal note")
    def post(self, request: Request, organisation_slug: str, reference: str) -> Response:
        report = _report(request, organisation_slug, reference)
        data = StaffNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            note = services.internal_note_add(report=report, author=request.user, body=data.validated_data["body"])
        except services.ReportInvalid as exc:
            raise _invalid(exc) from exc
        return Response(StaffNoteSerializer(note).data, status=status.HTTP_201_CREATED)


_BASE = "organisations/<slug:organisation_slug>/reports/"
urlpatterns = [
    path(_BASE, ReportListView.as_view(), name="report-list"),
    path(_BASE + "<str:reference>/", ReportDetailView.as_view(), name="report-detail"),
    path(_BASE + "<str:reference>/acknowledge/", ReportAcknowledgeView.as_view(), name="report-acknowledge"),
    path(_BASE + "<str:reference>/close/", ReportCloseView.as_view(), name="report-close"),
    path(_BASE + "<str:reference>/messages/", ReportMessagesView.as_view(), name="report-messages"),
    path(_BASE + "<str:reference>/notes/", ReportNotesView.as_view(), name="report-notes"),
]
