"""Staff API of the cases app: cases, transitions, triage, triage actions, measures.

Same rules as the pages: the organisation comes from the access policy, a
case from ``selectors.case_get_for`` (404 for everyone who may not see it,
exactly like a case that does not exist); writes go through the services.
A refused transition answers 409 with the same message as the page.
Mounted under ``/api/v1/organisations/{organisation_slug}/``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from intact.cases import access, config, selectors, services
from intact.cases.models import Case, MeasureType, Party, TriageAction
from intact.cases.workflow import TransitionRefused
from intact.core.api import Pagination, problem_response
from intact.security import policy

CASE_ROLES = frozenset(policy.CASE_CONTENT_ROLES)
ORG_PARAM = OpenApiParameter(
    "organisation_slug",
    str,
    OpenApiParameter.PATH,
    description="Short name (slug) of the organisation.",
)
REF_PARAM = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="Case reference, e.g. Z-2026-0007."
)


class CaseListSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    access = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "origin",
            "report_type",
            "channel",
            "received_on",
            "status",
            "severity",
            "categories",
            "unit",
            "closed_at",
            "access",
            "overdue",
        ]

    def get_access(self, obj: Case) -> str:
        return self.context["levels"].get(obj.pk, "meta")

    def get_overdue(self, obj: Case) -> bool:
        return obj.pk in self.context["overdue"]


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    name = serializers.CharField(source="display_name")
    is_pseudonym = serializers.BooleanField()
    person = serializers.IntegerField(source="person_id", allow_null=True)


class CaseDetailSerializer(CaseListSerializer):
    report = serializers.CharField(source="report.reference", default=None)
    parties = PartySerializer(many=True, source="parties.all")
    description = serializers.CharField(allow_null=True, read_only=True)
    object_of_investigation = serializers.CharField(allow_null=True, read_only=True)
    decision_motivation = serializers.CharField(allow_null=True, read_only=True)
    investigation_plan = serializers.CharField(allow_null=True, read_only=True)
    findings = serializers.CharField(allow_null=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + [
            "report",
            "commissioning_authority",
            "description",
            "object_of_investigation",
            "decision",
            "decision_motivation",
            "decided_at",
            "assignment",
            "assignee_label",
            "investigation_plan",
            "findings",
            "conclusion",
            "reporter_feedback_at",
            "summary_reviewed",
            "retention_due",
            "parties",
        ]


class TriageActionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = TriageAction
        fields = ["id", "key", "label", "term_hours", "due_at", "status", "done_at"]


class TriageSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.JSONField())
    motivation = serializers.CharField(max_length=10000)
    severity = serializers.CharField(required=False, allow_blank=True)
    computed_severity = serializers.CharField(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)


class TransitionSerializer(serializers.Serializer):
    target = serializers.CharField(max_length=30)
    expected_status = serializers.CharField(max_length=30, required=False, allow_blank=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class MeasureSerializer(serializers.Serializer):  # note is encrypted: read as plain text here
    id = serializers.IntegerField(read_only=True)
    measure_type = serializers.CharField(source="type_code", max_length=60)
    group = serializers.CharField(read_only=True)
    party = serializers.IntegerField(source="party_id", required=False, allow_null=True)
    decided_on = serializers.DateField(required=False)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, allow_null=True)


class MeasureTypeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = MeasureType
        fields = ["code", "group", "name"]


def _org(request: Request, slug: str) -> Any:
    return policy.organisation_for(request.user, slug, CASE_ROLES)


def _case(request: Request, slug: str, reference: str, *, content: bool = True) -> Case:
    organisation = _org(request, slug)
    case, level = selectors.case_get_for(
        user=request.user, organisation=organisation, reference=reference
    )
    if content and level != access.CONTENT:
        from django.http import Http404

        raise Http404
    return case


def _invalid(exc: services.CaseInvalid) -> ValidationError:
    return ValidationError({k: [str(m) for m in v] for k, v in exc.errors.items()})


class CaseListView(APIView):
    """Cases the user may see, with the same filters as the overview page; one page at a time (count, next, previous)."""

    intact_roles = CASE_ROLES
    pagination_class = Pagination  # the schema then describes the paginated envelope

    @extend_schema(
        summary="Cases you may see",
        parameters=[
            ORG_PARAM,
            OpenApiParameter("status", str),
            OpenApiParameter("category", str),
            OpenApiParameter("severity", str),
            OpenApiParameter("year", int),
            OpenApiParameter("overdue", bool),
            OpenApiParameter(
                "q", str, description="Reference; party names and summary of cases you may read."
            ),
        ],
        responses=CaseListSerializer(many=True),
    )
    def get(self, request: Request, organisation_slug: str) -> Response:
        organisation = _org(request, organisation_slug)
        params = request.query_params
        year = params.get("year", "")
        cases = selectors.case_queryset_for(
            user=request.user,
            organisation=organisation,
            status=params.get("status", "")[:30],
            category=params.get("category", "")[:60],
            severity=params.get("severity", "")[:20],
            year=int(year) if year.isdigit() else None,
            overdue=params.get("overdue") in ("1", "true"),
            query=params.get("q", "")[:100],
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        context = {
            "levels": {c.pk: c.sight for c in page},
            "overdue": {c.pk for c in page if c.overdue},
        }
        return paginator.get_paginated_response(
            CaseListSerializer(page, many=True, context=context).data
        )


class CaseDetailView(APIView):
    """One case: the full file for the team, reference and stage only for those who may join."""

    intact_roles = CASE_ROLES

    @extend_schema(
        summary="One case", parameters=[ORG_PARAM, REF_PARAM], responses=CaseDetailSerializer
    )
    def get(self, request: Request, organisation_slug: str, reference: str) -> Response:
        organisation = _org(request, organisation_slug)
        case, level = selectors.case_get_for(
            user=request.user, organisation=organisation, reference=reference
        )
        context = {"levels": {case.pk: level}, "overdue": set()}
        if level == access.CONTENT:
            return Response(CaseDetailSerializer(case, context=context).data)
        return Response(CaseListSerializer(case, context=context).data)


class CaseTransitionView(APIView):
    """Move the case to another state; refused with 409 and the reason when the workflow does not allow it."""

    intact_roles = CASE_ROLES

    @extend_schema(
        summary="Change the status of a case",
        parameters=[ORG_PARAM, REF_PARAM],
        request=TransitionSerializer,
        responses=CaseDetailSerializer,
    )
    def post(self, request: Request, organisation_slug: str, reference: str) -> Response:
        case = _case(request, organisation_slug, reference)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = services.case_transition(
                case=case,
                user=request.user,
                target=data.validated_data["target"],
                expected_status=data.validated_data.get("expected_status") or None,
                note=data.validated_data.get("note") or "",
            )
        except TransitionRefused as exc:
            return problem_response(409, exc.message, code=exc.code)
        return Response(
            CaseDetailSerializer(
                case, context={"levels": {case.pk: "content"}, "overdue": set()}
            ).data
        )


class CaseTriageView(APIView):
    """The triage history of a case (newest first), and recording a (re-)triage."""

    intact_roles = CASE_ROLES

    @extend_schema(
        summary="Triage history",
        parameters=[ORG_PARAM, REF_PARAM],
        responses=TriageSerializer(many=True),
    )
    def get(self, request: Request, organisation_slug: str, reference: str) -> Response:
        case = _case(request, organisation_slug, reference)
        records = case.triages.order_by("-recorded_at", "-pk")
        return Response(
            {
                "records": TriageSerializer(records, many=True).data,
                "actions": TriageActionSerializer(
                    case.actions.order_by("due_at", "pk"), many=True
                ).data,
            }
        )

    @extend_schema(
        summary="Record a triage",
        parameters=[ORG_PARAM, REF_PARAM],
        request=TriageSerializer,
        responses=TriageSerializer,
    )
    def post(self, request: Request, organisation_slug: str, reference: str) -> Response:
        case = _case(request, organisation_slug, reference)
        data = TriageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            record = services.triage_record(
                case=case,
                user=request.user,
                answers=data.validated_data["answers"],
                motivation=data.validated_data["motivation"],
                severity=data.validated_data.get("severity") or None,
            )
        except services.CaseInvalid as exc:
            raise _invalid(exc) from exc
        except services.CaseActionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        return Response(TriageSerializer(record).data, status=status.HTTP_201_CREATED)


class TriageInstrumentView(APIView):
    """The organisation's triage instrument (criteria, levels, actions)."""

    intact_roles = CASE_ROLES

    @extend_schema(summary="The triage instrument", parameters=[ORG_PARAM], responses=dict)
    def get(self, request: Request, organisation_slug: str) -> Response:
        organisation = _org(request, organisation_slug)
        return Response(config.triage_instrument(organisation))


class TriageActionDoneView(APIView):
    """Mark a required triage action as done."""

    intact_roles = CASE_ROLES

    @extend_schema(
        summary="Complete a triage action",
        parameters=[ORG_PARAM, REF_PARAM],
        request=None,
        responses=TriageActionSerializer,
    )
    def post(self, request: Request, organisation_slug: str, reference: str, pk: int) -> Response:
        case = _case(request, organisation_slug, reference)
        action = TriageAction.objects.filter(case=case, pk=pk).first()
        if action is None:
            from django.http import Http404

            raise Http404
        try:
            action = services.triage_action_complete(
                action=action, user=request.user, note=str(request.data.get("note", ""))[:2000]
            )
        except services.CaseActionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        return Response(TriageActionSerializer(action).data)


class CaseMeasuresView(APIView):
    """Measures and sanctions of a case; adding one from the organisation's list."""

    intact_roles = CASE_ROLES

    @extend_schema(
        summary="Measures of a case",
        parameters=[ORG_PARAM, REF_PARAM],
        responses=MeasureSerializer(many=True),
    )
    def get(self, request: Request, organisation_slug: str, reference: str) -> Response:
        case = _case(request, organisation_slug, reference)
        return Response(
            MeasureSerializer(case.measures.order_by("decided_on", "pk"), many=True).data
        )

    @extend_schema(
        summary="Add a measure",
        parameters=[ORG_PARAM, REF_PARAM],
        request=MeasureSerializer,
        responses=MeasureSerializer,
    )
    def post(self, request: Request, organisation_slug: str, reference: str) -> Response:
        case = _case(request, organisation_slug, reference)
        data = MeasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        selectors.measure_types_for(case.organisation)
        measure_type = MeasureType.objects.filter(
            organisation=case.organisation, code=values["type_code"]
        ).first()
        party = (
            Party.objects.filter(case=case, pk=values.get("party_id")).first()
            if values.get("party_id")
            else None
        )
        if measure_type is None:
            raise ValidationError({"measure_type": ["unknown measure type"]})
        try:
            measure = services.measure_add(
                case=case,
                user=request.user,
                measure_type=measure_type,
                party=party,
                decided_on=values.get("decided_on"),
                note=values.get("note") or "",
            )
        except services.CaseInvalid as exc:
            raise _invalid(exc) from exc
        except services.CaseActionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class MeasureTypeListView(APIView):
    """The organisation's list of measures and sanctions."""

    intact_roles = CASE_ROLES

    @extend_schema(
        summary="Measure types", parameters=[ORG_PARAM], responses=MeasureTypeSerializer(many=True)
    )
    def get(self, request: Request, organisation_slug: str) -> Response:
        organisation = _org(request, organisation_slug)
        return Response(
            MeasureTypeSerializer(selectors.measure_types_for(organisation), many=True).data
        )
