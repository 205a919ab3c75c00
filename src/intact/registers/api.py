"""The registers in the API: ``/api/v1/organisations/{slug}/...`` with the same rules as the pages.

Every view resolves the organisation through the access policy (404 for a
non-member) and reads through the selectors, so an employee gets only their
own entries, a manager those in their units, the coordinator everything,
auditors counts only. Writes call the same services as the pages.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from intact.core.access import ALL_ROLES
from intact.core.api import problem_response
from intact.organisations import selectors as org_selectors
from intact.organisations.models import Person, Role
from intact.registers import importing, selectors, services
from intact.registers.models import (
    ActivityStatus,
    CheckKind,
    CheckStatus,
    CodeVersion,
    CommitmentForm,
    FinancialDeclaration,
    FinancialKind,
    GiftDecision,
    GiftDeclaration,
    GiftKind,
    Measure,
    OutsideActivity,
    ReviewStatus,
    ScreeningCheck,
)
from intact.security import audit

KEEPERS = frozenset({Role.COORDINATOR, Role.MANAGER})
COORDINATOR = frozenset({Role.COORDINATOR})


# --- serializers -------------------------------------------------------------------------


class RegisterPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    position = serializers.CharField()
    unit = serializers.CharField(source="unit.name", default=None)


class OathRowSerializer(serializers.Serializer):
    person = RegisterPersonSerializer()
    required = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    form = serializers.CharField(source="commitment.form", default=None)
    taken_on = serializers.DateField(source="commitment.taken_on", default=None)
    witness = serializers.CharField(source="commitment.witness", default=None)
    sworn_before = serializers.CharField(source="commitment.sworn_before", default=None)


class OathInSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    form = serializers.ChoiceField(choices=CommitmentForm.choices)
    taken_on = serializers.DateField()
    witness = serializers.CharField(required=False, allow_blank=True, default="")
    sworn_before = serializers.CharField(required=False, allow_blank=True, default="")
    ceremony = serializers.CharField(required=False, allow_blank=True, default="")


class OathCeremonyInSerializer(serializers.Serializer):
    people = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    oath_form = serializers.ChoiceField(
        choices=[CommitmentForm.OATH, CommitmentForm.AFFIRMATION], default=CommitmentForm.OATH
    )
    taken_on = serializers.DateField()
    witness = serializers.CharField(required=False, allow_blank=True, default="")
    sworn_before = serializers.CharField(required=False, allow_blank=True, default="")
    ceremony = serializers.CharField(required=False, allow_blank=True, default="")


class CodeVersionSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = CodeVersion
        fields = ["id", "title", "version", "adopted_on", "text", "has_file"]
        read_only_fields = ["id", "has_file"]

    def get_has_file(self, obj: CodeVersion) -> bool:
        return obj.file_id is not None


class OutsideActivitySerializer(serializers.ModelSerializer):
    person = RegisterPersonSerializer(read_only=True)
    conflict_explanation = serializers.CharField(allow_null=True, read_only=True)
    conditions = serializers.CharField(allow_null=True, read_only=True)
    reasons = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = OutsideActivity
        fields = [
            "id",
            "person",
            "description",
            "for_whom",
            "hours_per_month",
            "paid",
            "conflict_possible",
            "conflict_explanation",
            "started_on",
            "declared_on",
            "status",
            "conditions",
            "reasons",
            "assessed_on",
            "last_confirmed_on",
            "ended_on",
        ]


class OutsideActivityInSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    for_whom = serializers.CharField(max_length=300)
    hours_per_month = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    paid = serializers.BooleanField()
    conflict_possible = serializers.BooleanField()
    conflict_explanation = serializers.CharField(required=False, allow_blank=True, default="")
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


class OutsideActivityAssessmentInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[s.value for s in services.ASSESSMENT_OUTCOMES])
    reasons = serializers.CharField()
    conditions = serializers.CharField(required=False, allow_blank=True, default="")


class GiftDeclarationSerializer(serializers.ModelSerializer):
    person = RegisterPersonSerializer(read_only=True)
    decision_note = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = GiftDeclaration
        fields = [
            "id",
            "person",
            "kind",
            "giver",
            "occasion",
            "estimated_value",
            "received_on",
            "declared_on",
            "needs_approval",
            "threshold_applied",
            "decision",
            "decision_note",
            "decided_on",
        ]


class GiftDeclarationInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=GiftKind.choices)
    giver = serializers.CharField(max_length=200)
    occasion = serializers.CharField(max_length=300)
    estimated_value = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
    received_on = serializers.DateField()


class GiftDecisionInSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[d for d in GiftDecision.values if d != GiftDecision.PENDING]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FinancialDeclarationSerializer(serializers.ModelSerializer):
    person = RegisterPersonSerializer(read_only=True)
    details = serializers.CharField(allow_null=True, read_only=True)
    review_note = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = FinancialDeclaration
        fields = [
            "id",
            "person",
            "kind",
            "details",
            "declared_on",
            "status",
            "review_note",
            "reviewed_on",
        ]


class FinancialDeclarationInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FinancialKind.choices)
    details = serializers.CharField(required=False, allow_blank=True, default="")


class FinancialReviewInSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[ReviewStatus.NO_OBJECTION, ReviewStatus.MEASURES])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FinancialDesignationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    position = serializers.CharField(required=False, allow_blank=True, default="")
    person = serializers.IntegerField(
        source="person_id", required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    designated_on = serializers.DateField(read_only=True)


class VulnerablePositionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", required=False, allow_null=True, default=None)
    position = serializers.CharField(max_length=200)
    risk = serializers.CharField()
    measures = serializers.ListField(
        child=serializers.ChoiceField(choices=Measure.choices), default=list
    )
    other_measure = serializers.CharField(required=False, allow_blank=True, default="")
    assessed_on = serializers.DateField()
    review_on = serializers.DateField(required=False, allow_null=True, default=None)


class ScreeningProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    checks = serializers.ListField(
        child=serializers.ChoiceField(choices=CheckKind.choices), min_length=1
    )
    positions = serializers.ListField(child=serializers.CharField(), default=list)
    rescreen_months = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1
    )


class ScreeningCheckSerializer(serializers.ModelSerializer):
    person = RegisterPersonSerializer(read_only=True)

    class Meta:
        model = ScreeningCheck
        fields = ["id", "person", "kind", "status", "completed_on", "rescreen_on", "profile"]


class ScreeningCheckResultInSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CheckStatus.choices)
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RegisterImportInSerializer(serializers.Serializer):
    register = serializers.ChoiceField(choices=list(importing.REGISTERS))
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)


# --- base -------------------------------------------------------------------------------------


class OrgView(APIView):
    """Resolves ``slug`` to an organisation the user is a member of (else 404)."""

    intact_roles: frozenset[str] = frozenset(ALL_ROLES)
    parser_classes = [JSONParser]

    def org(self, request: Request, slug: str) -> Any:
        organisation = org_selectors.organisation_for_user(user=request.user, slug=slug)
        if not (
            set(self.intact_roles) & {m.role for m in _memberships(request.user, organisation)}
        ):
            from django.http import Http404

            raise Http404
        return organisation

    @staticmethod
    def valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
        s = serializer_class(data=request.data)
        s.is_valid(raise_exception=True)
        return dict(s.validated_data)


def _memberships(user: Any, organisation: Any) -> list[Any]:
    from intact.security import policy

    return [m for m in policy.memberships(user) if m.organisation_id == organisation.pk]


def _scoped(request: Request, organisation: Any, pk: int) -> Person:
    from django.http import Http404

    person = (
        selectors.scoped_people(user=request.user, organisation=organisation).filter(pk=pk).first()
    )
    if person is None:
        raise Http404
    return person


def _list(request: Request, qs: Any, serializer: Any, organisation: Any, register: str) -> Response:
    rows = list(qs)
    audit.record(
        request.user,
        "registers.view",
        organisation=organisation,
        object_type="registers." + register,
        detail={"register": register, "rows": len(rows), "api": True},
    )
    return Response(serializer(rows, many=True).data)


# --- the employee's own view ---------------------------------------------------------------------


class MyIntegrityView(OrgView):
    @extend_schema(summary="My obligations and declarations", responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        data = selectors.portal(user=request.user, organisation=organisation)
        return Response(
            {
                "oath": {
                    "required": data["oath"].required,
                    "due_on": data["oath"].due_on,
                    "state": data["oath"].state,
                    "taken_on": data["oath"].commitment.taken_on
                    if data["oath"].commitment
                    else None,
                },
                "code_of_conduct": {
                    "current_version": data["code"].pk if data["code"] else None,
                    "acknowledged_on": data["code_ack"].acknowledged_on
                    if data["code_ack"]
                    else None,
                },
                "outside_activities": OutsideActivitySerializer(data["activities"], many=True).data,
                "gifts": GiftDeclarationSerializer(data["gifts"], many=True).data,
                "financial_declarations": FinancialDeclarationSerializer(
                    data["financial"], many=True
                ).data,
                "financial_designated": data["financial_designated"],
                "todos": [str(t) for t in data["todos"]],
                "report_url": f"/o/{organisation.slug}/melden/",
            }
        )


# --- 1. oaths --------------------------------------------------------------------------------------


class OathListView(OrgView):
    intact_roles = KEEPERS

    @extend_schema(
        summary="The oath register (who owes what by when)",
        parameters=[
            OpenApiParameter("state", str, enum=["due", "overdue", "taken", "not_required"])
        ],
        responses={200: OathRowSerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        rows = selectors.commitment_rows(
            user=request.user,
            organisation=organisation,
            state=request.query_params.get("state", ""),
        )
        return Response(OathRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="Register one oath, affirmation or declaration",
        request=OathInSerializer,
        responses={201: dict},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        d = self.valid(OathInSerializer, request)
        person = _scoped(request, organisation, d.pop("person"))
        c = services.commitment_register(actor=request.user, person=person, **d)
        return Response(
            {"id": c.pk, "person": person.pk, "form": c.form, "taken_on": c.taken_on}, status=201
        )


class OathCeremonyView(OrgView):
    intact_roles = COORDINATOR

    @extend_schema(
        summary="Register a ceremony (many people, one date)",
        request=OathCeremonyInSerializer,
        responses={201: dict},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        d = self.valid(OathCeremonyInSerializer, request)
        people = [_scoped(request, organisation, pk) for pk in dict.fromkeys(d.pop("people"))]
        done = services.commitment_register_bulk(
            actor=request.user, organisation=organisation, people=people, **d
        )
        return Response({"registered": len(done)}, status=201)


# --- 2. code of conduct ------------------------------------------------------------------------------


class CodeVersionListView(OrgView):
    @extend_schema(
        summary="Versions of the code of conduct", responses={200: CodeVersionSerializer(many=True)}
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        return Response(
            CodeVersionSerializer(
                selectors.code_versions(user=request.user, organisation=organisation), many=True
            ).data
        )

    @extend_schema(
        summary="Add a version (coordinator)",
        request=CodeVersionSerializer,
        responses={201: CodeVersionSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        d = self.valid(CodeVersionSerializer, request)
        code = services.code_version_create(actor=request.user, organisation=organisation, **d)
        return Response(CodeVersionSerializer(code).data, status=201)


class CodeAcknowledgementView(OrgView):
    @extend_schema(
        summary="Acknowledge the current version (own)", request=None, responses={201: dict}
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        person = selectors.own_person(request.user, organisation)
        code = selectors.code_version_get(user=request.user, organisation=organisation, pk=pk)
        current = selectors.code_current(organisation)
        if current is None or current.pk != code.pk:
            return problem_response(409, str(_not_current()))
        ack = services.code_acknowledge(actor=request.user, person=person, version=code)
        return Response({"version": code.pk, "acknowledged_on": ack.acknowledged_on}, status=201)


def _not_current() -> str:
    from django.utils.translation import gettext as _

    return _("Deze versie van de gedragscode is niet (meer) de geldende.")


class CodeRatesView(OrgView):
    intact_roles = selectors.COUNT_ROLES

    @extend_schema(summary="Share acknowledged per unit (counts only)", responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        units = selectors.code_acknowledgement_by_unit(user=request.user, organisation=organisation)
        return Response(
            [
                {
                    "unit": u.unit,
                    "people": u.people,
                    "acknowledged": u.acknowledged,
                    "percentage": u.percentage,
                }
                for u in units
            ]
        )


# --- 3. outside activities ---------------------------------------------------------------------------


class ActivityListView(OrgView):
    @extend_schema(
        summary="Outside activities: own, plus the keeper's scope",
        parameters=[OpenApiParameter("status", str, enum=ActivityStatus.values)],
        responses={200: OutsideActivitySerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        qs = selectors.visible(OutsideActivity, user=request.user, organisation=organisation)
        if request.query_params.get("status") in ActivityStatus.values:
            qs = qs.filter(status=request.query_params["status"])
        return _list(request, qs, OutsideActivitySerializer, organisation, "outside_activities")

    @extend_schema(
        summary="Declare an outside activity (own)",
        request=OutsideActivityInSerializer,
        responses={201: OutsideActivitySerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        person = selectors.own_person(request.user, organisation)
        d = self.valid(OutsideActivityInSerializer, request)
        activity = services.activity_declare(actor=request.user, person=person, **d)
        return Response(OutsideActivitySerializer(activity).data, status=201)


class ActivityDetailView(OrgView):
    @extend_schema(summary="One outside activity", responses={200: OutsideActivitySerializer})
    def get(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        return Response(
            OutsideActivitySerializer(
                selectors.activity_get(user=request.user, organisation=organisation, pk=pk)
            ).data
        )


class ActivityAssessmentView(OrgView):
    intact_roles = KEEPERS

    @extend_schema(
        summary="Assess an activity (manager of the unit, coordinator)",
        request=OutsideActivityAssessmentInSerializer,
        responses={200: OutsideActivitySerializer},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        activity = selectors.activity_for_assessment(
            user=request.user, organisation=organisation, pk=pk
        )
        d = self.valid(OutsideActivityAssessmentInSerializer, request)
        return Response(
            OutsideActivitySerializer(
                services.activity_assess(actor=request.user, activity=activity, **d)
            ).data
        )


class ActivityConfirmationView(OrgView):
    @extend_schema(
        summary="Re-confirm one's own activity (yearly)",
        request=None,
        responses={200: OutsideActivitySerializer},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        from django.http import Http404

        organisation = self.org(request, slug)
        activity = selectors.activity_get(user=request.user, organisation=organisation, pk=pk)
        if activity.person.user_id != request.user.pk:
            raise Http404
        return Response(
            OutsideActivitySerializer(
                services.activity_confirm(actor=request.user, activity=activity)
            ).data
        )


# --- 4. financial interests -------------------------------------------------------------------------


class DesignationListView(OrgView):
    intact_roles = COORDINATOR

    @extend_schema(
        summary="Designated positions and persons",
        responses={200: FinancialDesignationSerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        return Response(
            FinancialDesignationSerializer(
                selectors.designation_list(user=request.user, organisation=organisation), many=True
            ).data
        )

    @extend_schema(
        summary="Designate a position or person",
        request=FinancialDesignationSerializer,
        responses={201: FinancialDesignationSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        d = self.valid(FinancialDesignationSerializer, request)
        person_id = d.pop("person_id", None)
        person = _scoped(request, organisation, person_id) if person_id else None
        designation = services.designation_create(
            actor=request.user, organisation=organisation, person=person, **d
        )
        return Response(FinancialDesignationSerializer(designation).data, status=201)


class FinancialListView(OrgView):
    @extend_schema(
        summary="Financial declarations: own, plus all for the coordinator",
        responses={200: FinancialDeclarationSerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        qs = selectors.visible(
            FinancialDeclaration,
            user=request.user,
            organisation=organisation,
            coordinator_only=True,
        )
        return _list(request, qs, FinancialDeclarationSerializer, organisation, "financial")

    @extend_schema(
        summary="Declare (own)",
        request=FinancialDeclarationInSerializer,
        responses={201: FinancialDeclarationSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        person = selectors.own_person(request.user, organisation)
        d = self.valid(FinancialDeclarationInSerializer, request)
        return Response(
            FinancialDeclarationSerializer(
                services.financial_declare(actor=request.user, person=person, **d)
            ).data,
            status=201,
        )


class FinancialDetailView(OrgView):
    @extend_schema(summary="One declaration", responses={200: FinancialDeclarationSerializer})
    def get(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        return Response(
            FinancialDeclarationSerializer(
                selectors.financial_get(user=request.user, organisation=organisation, pk=pk)
            ).data
        )


class FinancialReviewView(OrgView):
    intact_roles = COORDINATOR

    @extend_schema(
        summary="Review a declaration (coordinator)",
        request=FinancialReviewInSerializer,
        responses={200: FinancialDeclarationSerializer},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        declaration = selectors.financial_for_review(
            user=request.user, organisation=organisation, pk=pk
        )
        d = self.valid(FinancialReviewInSerializer, request)
        return Response(
            FinancialDeclarationSerializer(
                services.financial_review(actor=request.user, declaration=declaration, **d)
            ).data
        )


# --- 5. gifts --------------------------------------------------------------------------------------------


class GiftListView(OrgView):
    @extend_schema(
        summary="Gifts and invitations: own, plus the keeper's scope",
        responses={200: GiftDeclarationSerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        qs = selectors.visible(GiftDeclaration, user=request.user, organisation=organisation)
        if request.query_params.get("decision") in GiftDecision.values:
            qs = qs.filter(decision=request.query_params["decision"])
        return _list(request, qs, GiftDeclarationSerializer, organisation, "gifts")

    @extend_schema(
        summary="Declare a gift or invitation (own)",
        request=GiftDeclarationInSerializer,
        responses={201: GiftDeclarationSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        person = selectors.own_person(request.user, organisation)
        d = self.valid(GiftDeclarationInSerializer, request)
        return Response(
            GiftDeclarationSerializer(
                services.gift_declare(actor=request.user, person=person, **d)
            ).data,
            status=201,
        )


class GiftDetailView(OrgView):
    @extend_schema(summary="One gift or invitation", responses={200: GiftDeclarationSerializer})
    def get(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        return Response(
            GiftDeclarationSerializer(
                selectors.gift_get(user=request.user, organisation=organisation, pk=pk)
            ).data
        )


class GiftDecisionView(OrgView):
    intact_roles = KEEPERS

    @extend_schema(
        summary="Decide on a gift (keep, refuse, hand in)",
        request=GiftDecisionInSerializer,
        responses={200: GiftDeclarationSerializer},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        gift = selectors.gift_for_decision(user=request.user, organisation=organisation, pk=pk)
        d = self.valid(GiftDecisionInSerializer, request)
        return Response(
            GiftDeclarationSerializer(services.gift_decide(actor=request.user, gift=gift, **d)).data
        )


# --- 6. vulnerable positions ---------------------------------------------------------------------------


class VulnerableListView(OrgView):
    intact_roles = KEEPERS

    @extend_schema(
        summary="Inventory of vulnerable positions",
        responses={200: VulnerablePositionSerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        return Response(
            VulnerablePositionSerializer(
                selectors.vulnerable_list(user=request.user, organisation=organisation), many=True
            ).data
        )

    @extend_schema(
        summary="Add an entry (coordinator)",
        request=VulnerablePositionSerializer,
        responses={201: VulnerablePositionSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        from django.http import Http404

        from intact.organisations.models import Unit

        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        d = self.valid(VulnerablePositionSerializer, request)
        unit_id = d.pop("unit_id", None)
        unit = None
        if unit_id:
            unit = Unit.objects.filter(organisation=organisation, pk=unit_id).first()
            if unit is None:
                raise Http404
        entry = services.vulnerable_position_save(
            actor=request.user, organisation=organisation, unit=unit, **d
        )
        return Response(VulnerablePositionSerializer(entry).data, status=201)


# --- 7. screening ---------------------------------------------------------------------------------------


class ProfileListView(OrgView):
    intact_roles = KEEPERS

    @extend_schema(
        summary="Screening profiles", responses={200: ScreeningProfileSerializer(many=True)}
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        return Response(
            ScreeningProfileSerializer(
                selectors.screening_profiles(user=request.user, organisation=organisation),
                many=True,
            ).data
        )

    @extend_schema(
        summary="Add a profile (coordinator)",
        request=ScreeningProfileSerializer,
        responses={201: ScreeningProfileSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        d = self.valid(ScreeningProfileSerializer, request)
        return Response(
            ScreeningProfileSerializer(
                services.screening_profile_save(actor=request.user, organisation=organisation, **d)
            ).data,
            status=201,
        )


class CheckListView(OrgView):
    @extend_schema(
        summary="Screening checks: own, plus the keeper's scope",
        responses={200: ScreeningCheckSerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        qs = selectors.visible(ScreeningCheck, user=request.user, organisation=organisation)
        return _list(request, qs, ScreeningCheckSerializer, organisation, "screening")


class CheckResultView(OrgView):
    intact_roles = KEEPERS

    @extend_schema(
        summary="Record the result of a check",
        request=ScreeningCheckResultInSerializer,
        responses={200: ScreeningCheckSerializer},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        organisation = self.org(request, slug)
        check = selectors.screening_check_get(user=request.user, organisation=organisation, pk=pk)
        d = self.valid(ScreeningCheckResultInSerializer, request)
        return Response(
            ScreeningCheckSerializer(
                services.screening_check_record(actor=request.user, check=check, **d)
            ).data
        )


# --- counts and import ---------------------------------------------------------------------------------


class CountsView(OrgView):
    intact_roles = selectors.COUNT_ROLES

    @extend_schema(
        summary="Figures of all registers for a year",
        parameters=[OpenApiParameter("year", int)],
        responses={200: dict},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError:
            return problem_response(
                400, "year", invalid_params=[{"name": "year", "reason": "not a number"}]
            )
        return Response(
            selectors.counts_for(user=request.user, organisation=organisation, year=year)
        )


class ImportView(OrgView):
    intact_roles = COORDINATOR
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import a register from CSV or XLSX (all rows or none)",
        request=RegisterImportInSerializer,
        responses={200: dict, 201: dict},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.org(request, slug)
        selectors.keeper_access(request.user, organisation, coordinator_only=True)
        d = self.valid(RegisterImportInSerializer, request)
        upload = d["file"]
        if upload.size > 5 * 1024 * 1024:
            return problem_response(413, "file too large")
        data = upload.read()
        kwargs = {
            "organisation": organisation,
            "register": d["register"],
            "filename": upload.name,
            "data": data,
        }
        if d["dry_run"]:
            report = importing.import_validate(**kwargs)
        else:
            try:
                report = importing.import_apply(actor=request.user, **kwargs)
            except importing.ImportFailed as failed:
                report = failed.report
        if not report.ok:
            return problem_response(
                400,
                str(_nothing_imported()),
                invalid_params=[
                    {
                        "name": f"row {e.row}, column {e.column}",
                        "reason": str(e.message),
                        "row": e.row,
                        "column": e.column,
                    }
                    for e in report.errors
                ],
            )
        return Response(
            report.as_dict(), status=status.HTTP_200_OK if d["dry_run"] else status.HTTP_201_CREATED
        )


def _nothing_imported() -> str:
    from django.utils.translation import gettext as _

    return _("Het bestand bevat fouten; er is niets geïmporteerd.")
