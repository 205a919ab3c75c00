"""API of the policy app under ``/api/v1/organisations/{org}/``.

The same access rules as the pages, through the same selectors and services:
the coordinator edits; the competent authority adopts plan versions; every
addressee answers their own inquiry requests; auditors / works council read
plans, monitoring, assessments and inquiry completeness — aggregated, without
names of people.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from intact.core.access import ALL_ROLES
from intact.organisations.models import Organisation, Person, Unit
from intact.policy import data, indicators, selectors, services
from intact.policy.models import (
    ActionPoint,
    ActionSource,
    ActionStatus,
    AnnualPlan,
    Assessment,
    Compliance,
    Framework,
    InquiryRequest,
    InquiryRound,
    IntegrityPlan,
    MatterCategory,
    Measure,
    OwnerRole,
    PlanVersion,
    RequirementAssessment,
)
from intact.security import policy


class OrgMixin:
    """Finds the organisation of the URL for the acting user (404 when not a member with a fitting role)."""

    request: Request
    kwargs: dict[str, Any]
    intact_roles: frozenset[str] = frozenset()

    def organisation(self) -> Organisation:
        cached = getattr(self, "_organisation", None)
        if cached is None:
            cached = policy.organisation_for(
                self.request.user, self.kwargs["org"], self.intact_roles
            )
            self._organisation = cached
        return cached

    def require_edit(self) -> None:
        if not policy.has_role(self.request.user, self.organisation(), *selectors.EDIT_ROLES):
            raise PermissionDenied

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        if getattr(self, "swagger_fake_view", False):
            return context
        context["organisation"] = self.organisation()
        return context


class _OrgField(serializers.PrimaryKeyRelatedField):
    model: Any = None

    def get_queryset(self) -> Any:
        organisation = self.context.get("organisation")
        if organisation is None:
            return self.model.objects.none()
        return self.model.objects.filter(organisation=organisation)


class UnitField(_OrgField):
    model = Unit


class PersonField(_OrgField):
    model = Person


class PlanField(_OrgField):
    model = IntegrityPlan


class AnnualPlanField(_OrgField):
    model = AnnualPlan


# --- plans ---------------------------------------------------------------------------------------


class PolicyVersionSerializer(serializers.ModelSerializer):
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "number",
            "status",
            "author",
            "adopting_body",
            "term_start",
            "term_end",
            "adopted_on",
            "sections",
        ]
        read_only_fields = ["id", "plan", "number", "status", "adopted_on"]


class PolicyPlanSerializer(serializers.ModelSerializer):
    unit = UnitField(allow_null=True, required=False)
    versions = PolicyVersionSerializer(many=True, read_only=True)

    class Meta:
        model = IntegrityPlan
        fields = ["id", "title", "unit", "versions"]


class PlanList(OrgMixin, generics.ListCreateAPIView):
    """Integrity plans with their versions; the coordinator starts one."""

    serializer_class = PolicyPlanSerializer
    intact_roles = selectors.PLAN_READ_ROLES

    def get_queryset(self) -> Any:
        return selectors.plan_list(
            user=self.request.user, organisation=self.organisation()
        ).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        self.require_edit()
        serializer.instance = services.plan_create(
            actor=self.request.user, organisation=self.organisation(), **serializer.validated_data
        )


class VersionDetail(OrgMixin, generics.RetrieveUpdateAPIView):
    """One plan version; the coordinator changes a draft (an adopted version is frozen)."""

    serializer_class = PolicyVersionSerializer
    intact_roles = selectors.PLAN_READ_ROLES
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> PlanVersion:
        return selectors.version_get(
            user=self.request.user, organisation=self.organisation(), pk=int(self.kwargs["pk"])
        )

    def perform_update(self, serializer: Any) -> None:
        self.require_edit()
        values = dict(serializer.validated_data)
        sections = values.pop("sections", None)
        serializer.instance = services.version_update(
            actor=self.request.user, version=serializer.instance, sections=sections, **values
        )


class VersionAdopt(OrgMixin, APIView):
    """The competent authority adopts a draft version."""

    intact_roles = selectors.ADOPT_ROLES

    @extend_schema(
        request=inline_serializer(
            "PlanAdoptRequest", {"adopted_on": serializers.DateField(required=False)}
        ),
        responses=PolicyVersionSerializer,
    )
    def post(self, request: Request, org: str, pk: int) -> Response:
        version = selectors.version_get(
            user=request.user, organisation=self.organisation(), pk=int(pk)
        )
        field = serializers.DateField(required=False)
        adopted_on = (
            field.run_validation(request.data.get("adopted_on"))
            if request.data.get("adopted_on")
            else None
        )
        version = services.version_adopt(actor=request.user, version=version, adopted_on=adopted_on)
        return Response(PolicyVersionSerializer(version).data)


# --- annual plans and measures --------------------------------------------------------------------


class PolicyMeasureSerializer(serializers.ModelSerializer):
    annual_plan = AnnualPlanField()
    realised = serializers.SerializerMethodField()
    progress_status = serializers.SerializerMethodField()
    indicator = serializers.ChoiceField(
        choices=[""] + list(indicators.registry()), required=False, allow_blank=True
    )
    responsible_count = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "annual_plan",
            "title",
            "description",
            "section",
            "target_value",
            "target_unit",
            "is_percentage",
            "owner_role",
            "budget",
            "fte",
            "start_on",
            "end_on",
            "indicator",
            "realised",
            "progress_status",
            "responsible_count",
        ]

    def _status(self, obj: Measure) -> dict[str, Any]:
        cache = self.context.setdefault("_status", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.measure_status(
                obj, cache=self.context.setdefault("_indicators", {})
            )
        return cache[obj.pk]

    def get_realised(self, obj: Measure) -> str:
        return str(self._status(obj)["realised"])

    def get_progress_status(self, obj: Measure) -> str:
        return self._status(obj)["status"]

    def get_responsible_count(self, obj: Measure) -> int:
        return obj.responsibilities.count()


class PolicyAnnualPlanSerializer(serializers.ModelSerializer):
    unit = UnitField(allow_null=True, required=False)
    plan = PlanField(allow_null=True, required=False)

    class Meta:
        model = AnnualPlan
        fields = ["id", "year", "unit", "plan", "parent", "title"]
        read_only_fields = ["id", "parent"]
        validators: list = []


class AnnualPlanList(OrgMixin, generics.ListCreateAPIView):
    """Annual plans (central) and work plans (units); the coordinator adds one."""

    serializer_class = PolicyAnnualPlanSerializer
    intact_roles = selectors.PLAN_READ_ROLES

    def get_queryset(self) -> Any:
        return selectors.annual_plan_list(
            user=self.request.user, organisation=self.organisation()
        ).order_by("-year", "pk")

    def perform_create(self, serializer: Any) -> None:
        self.require_edit()
        serializer.instance = services.annual_plan_create(
            actor=self.request.user, organisation=self.organisation(), **serializer.validated_data
        )


class AnnualPlanMonitoring(OrgMixin, APIView):
    """The monitoring of one plan: summary, each measure's status, and the work plans rolled up (no names)."""

    intact_roles = selectors.PLAN_READ_ROLES

    @extend_schema(
        responses=inline_serializer(
            "AnnualPlanMonitoring",
            {
                "plan": serializers.IntegerField(),
                "summary": serializers.DictField(),
                "measures": serializers.ListField(),
                "units": serializers.ListField(),
                "total": serializers.DictField(),
            },
        )
    )
    def get(self, request: Request, org: str, pk: int) -> Response:
        annual = selectors.annual_plan_get(
            user=request.user, organisation=self.organisation(), pk=int(pk)
        )
        board = selectors.dashboard(user=request.user, annual_plan=annual)

        def row(r: dict[str, Any]) -> dict[str, Any]:
            return {
                "measure": r["measure"].pk,
                "title": r["measure"].title,
                "target": str(r["target"]),
                "realised": str(r["realised"]),
                "expected": str(r["expected"]),
                "percent": r["percent"],
                "status": r["status"],
                "source": r["source"],
            }

        def summary(s: dict[str, Any]) -> dict[str, Any]:
            return {k: (str(v) if not isinstance(v, int) else v) for k, v in s.items()}

        return Response(
            {
                "plan": annual.pk,
                "summary": summary(board["summary"]),
                "measures": [row(r) for r in board["rows"]],
                "units": [
                    {
                        "plan": c["plan"].pk,
                        "unit": c["plan"].unit.name,
                        "summary": summary(c["summary"]),
                    }
                    for c in board["children"]
                ],
                "total": summary(board["total"]),
            }
        )


class MeasureList(OrgMixin, generics.ListCreateAPIView):
    """Measures (filter by ``annual_plan``); the coordinator adds them."""

    serializer_class = PolicyMeasureSerializer
    intact_roles = selectors.PLAN_READ_ROLES

    def get_queryset(self) -> Any:
        plans = selectors.annual_plan_list(user=self.request.user, organisation=self.organisation())
        qs = (
            Measure.objects.filter(annual_plan__in=plans)
            .select_related("annual_plan")
            .order_by("annual_plan", "order", "pk")
        )
        plan = self.request.query_params.get("annual_plan")
        if plan and plan.isdigit():
            qs = qs.filter(annual_plan_id=int(plan))
        return qs

    def perform_create(self, serializer: Any) -> None:
        self.require_edit()
        values = dict(serializer.validated_data)
        annual = values.pop("annual_plan")
        serializer.instance = services.measure_create(
            actor=self.request.user, annual_plan=annual, **values
        )


class MeasureDetail(OrgMixin, generics.RetrieveUpdateAPIView):
    """One measure; the coordinator changes it."""

    serializer_class = PolicyMeasureSerializer
    intact_roles = selectors.PLAN_READ_ROLES
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Measure:
        return selectors.measure_get(
            user=self.request.user, organisation=self.organisation(), pk=int(self.kwargs["pk"])
        )

    def perform_update(self, serializer: Any) -> None:
        self.require_edit()
        values = dict(serializer.validated_data)
        values.pop("annual_plan", None)
        serializer.instance = services.measure_update(
            actor=self.request.user, measure=serializer.instance, **values
        )


class PolicyProgressSerializer(serializers.Serializer):
    on = serializers.DateField()
    value = serializers.DecimalField(max_digits=10, decimal_places=1, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True)


class MeasureProgress(OrgMixin, APIView):
    """Record progress of a measure by hand (coordinator, or a person responsible for it)."""

    intact_roles = ALL_ROLES

    @extend_schema(request=PolicyProgressSerializer, responses=PolicyMeasureSerializer)
    def post(self, request: Request, org: str, pk: int) -> Response:
        measure = selectors.measure_get(
            user=request.user, organisation=self.organisation(), pk=int(pk)
        )
        body = PolicyProgressSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.progress_add(actor=request.user, measure=measure, **body.validated_data)
        return Response(
            PolicyMeasureSerializer(measure, context={"organisation": self.organisation()}).data,
            status=status.HTTP_201_CREATED,
        )


# --- frameworks and assessments ------------------------------------------------------------------


class PolicyRequirementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref_id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    assessable = serializers.BooleanField()
    evidence = serializers.CharField()


class PolicyFrameworkSerializer(serializers.ModelSerializer):
    builtin = serializers.BooleanField(source="is_builtin", read_only=True)
    requirements = PolicyRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "version",
            "name",
            "description",
            "source",
            "kind",
            "applies_to",
            "builtin",
            "requirements",
        ]


class FrameworkList(OrgMixin, generics.ListAPIView):
    """Built-in norm frameworks and the organisation's own, with their requirements."""

    serializer_class = PolicyFrameworkSerializer
    intact_roles = selectors.NORMS_READ_ROLES

    def get_queryset(self) -> Any:
        services.frameworks_ensure_builtin()
        return (
            selectors.framework_list(user=self.request.user, organisation=self.organisation())
            .prefetch_related("requirements")
            .order_by("pk")
        )


class FrameworkImport(OrgMixin, APIView):
    """The coordinator adds an own framework from YAML (the format of the built-in files)."""

    intact_roles = selectors.EDIT_ROLES

    @extend_schema(
        request=inline_serializer("FrameworkImportRequest", {"yaml": serializers.CharField()}),
        responses=PolicyFrameworkSerializer,
    )
    def post(self, request: Request, org: str) -> Response:
        organisation = self.organisation()
        text = request.data.get("yaml")
        if not isinstance(text, str):
            raise serializers.ValidationError({"yaml": ["required"]})
        framework = services.framework_import(
            actor=request.user, organisation=organisation, text=text
        )
        return Response(PolicyFrameworkSerializer(framework).data, status=status.HTTP_201_CREATED)


class PolicyItemSerializer(serializers.ModelSerializer):
    requirement_ref = serializers.CharField(source="requirement.ref_id", read_only=True)
    requirement_name = serializers.CharField(source="requirement.name", read_only=True)
    owner = PersonField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=Compliance.values, allow_blank=True)

    class Meta:
        model = RequirementAssessment
        fields = [
            "id",
            "requirement",
            "requirement_ref",
            "requirement_name",
            "status",
            "proposed_status",
            "proposed_reason",
            "evidence",
            "note",
            "owner",
            "next_review",
        ]
        read_only_fields = ["id", "requirement", "proposed_status", "proposed_reason"]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data_ = super().to_representation(instance)
        if not self.context.get("show_names", True):
            data_.pop("owner", None)
        return data_


class PolicyAssessmentSerializer(serializers.ModelSerializer):
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.all())
    overview = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "framework", "name", "status", "started_on", "overview", "items"]
        read_only_fields = ["id", "status", "started_on"]
        extra_kwargs = {"name": {"required": False}}

    def get_overview(self, obj: Assessment) -> dict[str, Any]:
        o = selectors.compliance_overview(obj)
        return {k: v for k, v in o.items() if k not in ("items", "counts")}

    def get_items(self, obj: Assessment) -> list[dict[str, Any]]:
        return PolicyItemSerializer(
            obj.items.select_related("requirement").order_by("requirement__order"),
            many=True,
            context=self.context,
        ).data


class AssessmentList(OrgMixin, generics.ListCreateAPIView):
    """Self-assessments with their compliance overview; the coordinator starts one against a framework."""

    serializer_class = PolicyAssessmentSerializer
    intact_roles = selectors.NORMS_READ_ROLES

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["show_names"] = selectors.shows_names(self.request.user, self.organisation())
        return context

    def get_queryset(self) -> Any:
        return selectors.assessment_list(
            user=self.request.user, organisation=self.organisation()
        ).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        self.require_edit()
        framework = selectors.framework_get(
            user=self.request.user,
            organisation=self.organisation(),
            pk=serializer.validated_data["framework"].pk,
        )
        serializer.instance = services.assessment_start(
            actor=self.request.user,
            organisation=self.organisation(),
            framework=framework,
            name=serializer.validated_data.get("name", ""),
        )


class ItemDetail(OrgMixin, generics.RetrieveUpdateAPIView):
    """One assessed norm; the coordinator sets status, evidence, owner and next review."""

    serializer_class = PolicyItemSerializer
    intact_roles = selectors.NORMS_READ_ROLES
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["show_names"] = selectors.shows_names(self.request.user, self.organisation())
        return context

    def get_object(self) -> RequirementAssessment:
        return selectors.item_get(
            user=self.request.user, organisation=self.organisation(), pk=int(self.kwargs["pk"])
        )

    def perform_update(self, serializer: Any) -> None:
        self.require_edit()
        item = serializer.instance
        values = {
            "status": item.status,
            "evidence": item.evidence,
            "note": item.note,
            "owner": item.owner,
            "next_review": item.next_review,
        }
        values.update(serializer.validated_data)
        serializer.instance = services.item_assess(actor=self.request.user, item=item, **values)


# --- action points -------------------------------------------------------------------------------


class PolicyActionSerializer(serializers.ModelSerializer):
    owner = PersonField(allow_null=True, required=False)
    source = serializers.ChoiceField(choices=ActionSource.values)
    owner_role = serializers.ChoiceField(choices=OwnerRole.values)
    status = serializers.ChoiceField(choices=ActionStatus.values, required=False)

    class Meta:
        model = ActionPoint
        fields = [
            "id",
            "title",
            "description",
            "source",
            "source_label",
            "year",
            "owner_role",
            "owner",
            "due_on",
            "status",
            "reason",
            "closed_on",
        ]
        read_only_fields = ["id", "closed_on"]
        extra_kwargs = {"year": {"required": False}}

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data_ = super().to_representation(instance)
        if not self.context.get("show_names", True):
            data_.pop("owner", None)
        return data_


class ActionList(OrgMixin, generics.ListCreateAPIView):
    """Action points (open ones, ``?closed=1`` for all); the coordinator adds them."""

    serializer_class = PolicyActionSerializer
    intact_roles = selectors.NORMS_READ_ROLES

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["show_names"] = selectors.shows_names(self.request.user, self.organisation())
        return context

    def get_queryset(self) -> Any:
        return selectors.action_list(
            user=self.request.user,
            organisation=self.organisation(),
            include_closed=self.request.query_params.get("closed") == "1",
        ).order_by("due_on", "pk")

    def perform_create(self, serializer: Any) -> None:
        self.require_edit()
        values = dict(serializer.validated_data)
        values.pop("status", None)
        values.pop("reason", None)
        serializer.instance = services.action_create(
            actor=self.request.user, organisation=self.organisation(), **values
        )


class ActionDetail(OrgMixin, generics.RetrieveUpdateAPIView):
    """One action point; the coordinator changes its status (cancelling needs a reason)."""

    serializer_class = PolicyActionSerializer
    intact_roles = selectors.NORMS_READ_ROLES
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["show_names"] = selectors.shows_names(self.request.user, self.organisation())
        return context

    def get_object(self) -> ActionPoint:
        return selectors.action_get(
            user=self.request.user, organisation=self.organisation(), pk=int(self.kwargs["pk"])
        )

    def perform_update(self, serializer: Any) -> None:
        self.require_edit()
        new_status = serializer.validated_data.get("status")
        if not new_status:
            raise serializers.ValidationError({"status": ["required"]})
        serializer.instance = services.action_set_status(
            actor=self.request.user,
            action=serializer.instance,
            status=new_status,
            reason=serializer.validated_data.get("reason", ""),
        )


# --- periodic inquiry ----------------------------------------------------------------------------


class PolicyRoundSerializer(serializers.ModelSerializer):
    completeness = serializers.SerializerMethodField()

    class Meta:
        model = InquiryRound
        fields = [
            "id",
            "year",
            "number",
            "period_start",
            "period_end",
            "opened_on",
            "due_on",
            "closed_on",
            "completeness",
        ]
        read_only_fields = ["id", "year", "number", "opened_on", "closed_on"]
        extra_kwargs = {"due_on": {"required": False}}

    def get_completeness(self, obj: InquiryRound) -> dict[str, Any]:
        return selectors.completeness(obj)


class RoundList(OrgMixin, generics.ListCreateAPIView):
    """Inquiry rounds with completeness per unit (no names); the coordinator opens one."""

    serializer_class = PolicyRoundSerializer
    intact_roles = selectors.INQUIRY_READ_ROLES

    def get_queryset(self) -> Any:
        return selectors.round_list(
            user=self.request.user, organisation=self.organisation()
        ).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        self.require_edit()
        serializer.instance = services.inquiry_round_open(
            actor=self.request.user, organisation=self.organisation(), **serializer.validated_data
        )


class RoundDetail(OrgMixin, generics.RetrieveAPIView):
    """One inquiry round with its completeness."""

    serializer_class = PolicyRoundSerializer
    intact_roles = selectors.INQUIRY_READ_ROLES

    def get_object(self) -> InquiryRound:
        return selectors.round_get(
            user=self.request.user, organisation=self.organisation(), pk=int(self.kwargs["pk"])
        )


class PolicyRequestSerializer(serializers.ModelSerializer):
    round = PolicyRoundSerializer(read_only=True)

    class Meta:
        model = InquiryRequest
        fields = ["id", "round", "role", "answered_at", "nothing_to_report"]


class PolicyMatterInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=MatterCategory.values)
    description = serializers.CharField(max_length=5000)
    already_reported = serializers.BooleanField(default=False)
    occurred_on = serializers.DateField(required=False, allow_null=True)


class PolicyAnswerInput(serializers.Serializer):
    nothing_to_report = serializers.BooleanField(default=False)
    matters = PolicyMatterInput(many=True, required=False)


class MyRequestList(OrgMixin, generics.ListAPIView):
    """The acting user's own inquiry requests."""

    serializer_class = PolicyRequestSerializer
    intact_roles = ALL_ROLES

    def get_queryset(self) -> Any:
        return selectors.my_requests(user=self.request.user, organisation=self.organisation())


class MyRequestAnswer(OrgMixin, APIView):
    """Answer one's own inquiry request: matters, or nothing to report."""

    intact_roles = ALL_ROLES

    @extend_schema(request=PolicyAnswerInput, responses=PolicyRequestSerializer)
    def post(self, request: Request, org: str, pk: int) -> Response:
        req = selectors.my_request_get(
            user=request.user, organisation=self.organisation(), pk=int(pk)
        )
        body = PolicyAnswerInput(data=request.data)
        body.is_valid(raise_exception=True)
        req = services.inquiry_answer(
            actor=request.user,
            request=req,
            nothing_to_report=body.validated_data["nothing_to_report"],
            matters=body.validated_data.get("matters", []),
        )
        return Response(PolicyRequestSerializer(req).data)


class PlanFormat(OrgMixin, APIView):
    """The VNG plan format (sections with guidance) and the indicator registry."""

    intact_roles = selectors.PLAN_READ_ROLES

    @extend_schema(
        responses=inline_serializer(
            "PlanFormat",
            {"sections": serializers.ListField(), "indicators": serializers.ListField()},
        )
    )
    def get(self, request: Request, org: str) -> Response:
        self.organisation()
        return Response(
            {
                "source": data.plan_format()["source"],
                "sections": data.plan_format()["sections"],
                "indicators": [
                    {"key": k, "label": str(i.label), "percentage": i.percentage}
                    for k, i in indicators.registry().items()
                ],
            }
        )
