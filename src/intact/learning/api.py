"""API of the learning app under ``/api/v1/organisations/{org}/``.

The same access policy as the pages, through the same selectors and services:
conversation rows only for the counsellor who registered them; counts for
counsellors, coordinators, competent authority and auditors; activities for
those who keep or read them; published case law for every member.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from intact.core.access import ALL_ROLES
from intact.learning import selectors, services
from intact.learning.models import (
    Activity,
    ActivityType,
    Audience,
    CaseLawTag,
    ContactForm,
    ConversationTopic,
    CounsellorConversation,
    Facilitator,
    FollowUp,
    MoralCase,
    TagKind,
)
from intact.organisations import selectors as org_selectors
from intact.organisations.models import Organisation, Person, Role, Unit
from intact.security import policy

YEAR_PARAM = OpenApiParameter("year", int, description="Calendar year; this year when absent.")


class OrgMixin:
    """Finds the organisation of the URL for the acting user (404 when not a member)."""

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

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        if getattr(self, "swagger_fake_view", False):
            return context
        context["organisation"] = self.organisation()
        return context


class _OrgQuerysetField:
    """Limit a related field's choices to the organisation in the serializer context."""

    def get_queryset(self) -> Any:
        organisation = self.context.get("organisation")  # type: ignore[attr-defined]
        qs = super().get_queryset()  # type: ignore[misc]
        return qs.filter(organisation=organisation) if organisation is not None else qs.none()


class TopicField(_OrgQuerysetField, serializers.SlugRelatedField):
    pass


class UnitField(_OrgQuerysetField, serializers.PrimaryKeyRelatedField):
    pass


class FacilitatorField(_OrgQuerysetField, serializers.PrimaryKeyRelatedField):
    pass


class TagField(_OrgQuerysetField, serializers.SlugRelatedField):
    pass


class ActivityField(_OrgQuerysetField, serializers.PrimaryKeyRelatedField):
    pass


class PersonField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> Any:
        organisation = self.context.get("organisation")
        request = self.context.get("request")
        if organisation is None or request is None:
            return Person.objects.none()
        return org_selectors.person_list(user=request.user, organisation=organisation)


# --- serializers ----------------------------------------------------------------------------


class TopicSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = ConversationTopic
        fields = ["code", "name", "parent", "is_active", "order"]


class ConversationSerializer(serializers.ModelSerializer):
    """A conversation in a list: the note can be written but is not shown (opening one
    conversation, which is audited, shows it)."""

    topic = TopicField(slug_field="code", queryset=ConversationTopic.objects.all())
    note = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=4000, write_only=True
    )
    has_note = serializers.SerializerMethodField()
    contact_form = serializers.ChoiceField(
        choices=ContactForm.choices, default=ContactForm.IN_PERSON
    )
    follow_up = serializers.ChoiceField(choices=FollowUp.choices, default=FollowUp.ADVICE)

    class Meta:
        model = CounsellorConversation
        fields = [
            "id",
            "date",
            "topic",
            "contact_form",
            "follow_up",
            "note",
            "has_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_has_note(self, obj: CounsellorConversation) -> bool:
        return bool(obj.note)


class ConversationDetailSerializer(ConversationSerializer):
    """One conversation, note included (the opening is audited by the selector)."""

    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=4000)


_count_row = inline_serializer(
    "ConversationTopicCount",
    {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "count": serializers.IntegerField(),
        "direct": serializers.IntegerField(),
        "subtopics": inline_serializer(
            "ConversationSubtopicCount",
            {
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "count": serializers.IntegerField(),
            },
            many=True,
        ),
    },
    many=True,
)
CountsSerializer = inline_serializer(
    "ConversationCounts",
    {
        "year": serializers.IntegerField(),
        "total": serializers.IntegerField(),
        "topics": _count_row,
        "by_quarter": serializers.DictField(child=serializers.IntegerField()),
        "by_follow_up": serializers.DictField(child=serializers.IntegerField()),
        "by_contact_form": serializers.DictField(child=serializers.IntegerField()),
    },
)


class FacilitatorSerializer(serializers.ModelSerializer):
    person = PersonField(required=False, allow_null=True)
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Facilitator
        fields = ["id", "person", "external_name", "affiliation", "is_active", "display_name"]
        read_only_fields = ["id", "is_active", "display_name"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("person") and not (attrs.get("external_name") or "").strip():
            raise serializers.ValidationError(
                {
                    "external_name": _(
                        "Kies een medewerker of vul de naam van een externe begeleider in."
                    )
                }
            )
        return attrs


class ActivitySerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=ActivityType.choices)
    audience = serializers.ChoiceField(choices=Audience.choices)
    unit = UnitField(queryset=Unit.objects.all(), required=False, allow_null=True)
    facilitators = FacilitatorField(queryset=Facilitator.objects.all(), many=True, required=False)

    class Meta:
        model = Activity
        fields = [
            "id",
            "type",
            "title",
            "date",
            "unit",
            "audience",
            "audience_detail",
            "facilitators",
            "participants",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


_totals_row = inline_serializer(
    "ActivityTypeTotal",
    {
        "type": serializers.ChoiceField(choices=ActivityType.choices),
        "label": serializers.CharField(),
        "sessions": serializers.IntegerField(),
        "participants": serializers.IntegerField(),
        "by_audience": serializers.DictField(child=serializers.IntegerField()),
    },
    many=True,
)
TotalsSerializer = inline_serializer(
    "ActivityTotals",
    {
        "year": serializers.IntegerField(),
        "sessions": serializers.IntegerField(),
        "participants": serializers.IntegerField(),
        "by_type": _totals_row,
    },
)


class TagSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="label", read_only=True)
    kind = serializers.ChoiceField(choices=TagKind.choices, read_only=True)

    class Meta:
        model = CaseLawTag
        fields = ["code", "name", "kind", "order"]


class MoralCaseSerializer(serializers.ModelSerializer):
    tags = TagField(slug_field="code", queryset=CaseLawTag.objects.all(), many=True, required=False)
    activity = ActivityField(queryset=Activity.objects.all(), required=False, allow_null=True)
    anonymised_confirmed = serializers.BooleanField(write_only=True)
    publish = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = MoralCase
        fields = [
            "id",
            "title",
            "dilemma",
            "considerations",
            "conclusion",
            "discussed_on",
            "activity",
            "tags",
            "status",
            "published_at",
            "anonymised_confirmed",
            "publish",
        ]
        read_only_fields = ["id", "status", "published_at"]

    def validate_anonymised_confirmed(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Bevestig dat de casus geanonimiseerd is."))
        return value


# --- views ----------------------------------------------------------------------------------


class TopicList(OrgMixin, generics.ListAPIView):
    """The organisation's conversation topics."""

    serializer_class = TopicSerializer
    intact_roles = selectors.COUNT_ROLES
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.topic_list(user=self.request.user, organisation=self.organisation())


class ConversationList(OrgMixin, generics.ListCreateAPIView):
    """The acting counsellor's own conversations (nobody else's); register a new one."""

    serializer_class = ConversationSerializer
    intact_roles = frozenset({Role.COUNSELLOR})

    def get_queryset(self) -> Any:
        qs = selectors.conversation_list(user=self.request.user, organisation=self.organisation())
        year = self.request.query_params.get("year")
        if year:
            qs = qs.filter(date__year=selectors.default_year(year))
        return qs

    @extend_schema(parameters=[YEAR_PARAM])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data["note"] = data.get("note") or ""
        serializer.instance = services.conversation_create(
            actor=self.request.user, organisation=self.organisation(), **data
        )


class ConversationDetail(OrgMixin, generics.RetrieveUpdateDestroyAPIView):
    """One of the acting counsellor's own conversations (every opening is audited)."""

    serializer_class = ConversationDetailSerializer
    intact_roles = frozenset({Role.COUNSELLOR})
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> CounsellorConversation:
        return selectors.conversation_get(
            user=self.request.user,
            organisation=self.organisation(),
            pk=int(self.kwargs["pk"]),
            purpose="api",
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "note" in data:
            data["note"] = data["note"] or ""
        serializer.instance = services.conversation_update(
            actor=self.request.user, conversation=serializer.instance, **data
        )

    def perform_destroy(self, instance: CounsellorConversation) -> None:
        services.conversation_delete(actor=self.request.user, conversation=instance)


class ConversationCounts(OrgMixin, APIView):
    """Counts per topic, quarter, follow-up and contact form: never rows."""

    intact_roles = selectors.COUNT_ROLES

    @extend_schema(parameters=[YEAR_PARAM], responses=CountsSerializer)
    def get(self, request: Request, org: str) -> Response:
        year = selectors.default_year(request.query_params.get("year"))
        counts = selectors.conversation_counts(
            user=request.user, organisation=self.organisation(), year=year
        )
        counts["by_quarter"] = {str(k): v for k, v in counts["by_quarter"].items()}
        return Response(counts)


class FacilitatorList(OrgMixin, generics.ListCreateAPIView):
    """The facilitator pool; coordinators add members."""

    serializer_class = FacilitatorSerializer
    intact_roles = selectors.ACTIVITY_READ_ROLES

    def get_queryset(self) -> Any:
        return selectors.facilitator_list(user=self.request.user, organisation=self.organisation())

    def perform_create(self, serializer: Any) -> None:
        if not policy.has_role(
            self.request.user, self.organisation(), *selectors.ACTIVITY_WRITE_ROLES
        ):
            raise PermissionDenied
        serializer.instance = services.facilitator_create(
            actor=self.request.user, organisation=self.organisation(), **serializer.validated_data
        )


class ActivityList(OrgMixin, generics.ListCreateAPIView):
    """Activities (filter by ``year`` and ``type``); coordinators register new ones."""

    serializer_class = ActivitySerializer
    intact_roles = selectors.ACTIVITY_READ_ROLES

    def get_queryset(self) -> Any:
        params = self.request.query_params
        kind = params.get("type")
        return selectors.activity_list(
            user=self.request.user,
            organisation=self.organisation(),
            year=selectors.default_year(params["year"]) if params.get("year") else None,
            type=kind if kind in ActivityType.values else None,
        )

    @extend_schema(parameters=[YEAR_PARAM, OpenApiParameter("type", str, enum=ActivityType.values)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        if not policy.has_role(
            self.request.user, self.organisation(), *selectors.ACTIVITY_WRITE_ROLES
        ):
            raise PermissionDenied
        serializer.instance = services.activity_create(
            actor=self.request.user, organisation=self.organisation(), **serializer.validated_data
        )


class ActivityDetail(OrgMixin, generics.RetrieveUpdateDestroyAPIView):
    """One activity; coordinators change or remove it."""

    serializer_class = ActivitySerializer
    intact_roles = selectors.ACTIVITY_READ_ROLES
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> Activity:
        return selectors.activity_get(
            user=self.request.user, organisation=self.organisation(), pk=int(self.kwargs["pk"])
        )

    def _require_write(self) -> None:
        if not policy.has_role(
            self.request.user, self.organisation(), *selectors.ACTIVITY_WRITE_ROLES
        ):
            raise PermissionDenied

    def perform_update(self, serializer: Any) -> None:
        self._require_write()
        data = dict(serializer.validated_data)
        pool = data.pop("facilitators", None)
        serializer.instance = services.activity_update(
            actor=self.request.user, activity=serializer.instance, facilitators=pool, **data
        )

    def perform_destroy(self, instance: Activity) -> None:
        self._require_write()
        services.activity_delete(actor=self.request.user, activity=instance)


class ActivityTotals(OrgMixin, APIView):
    """Sessions and participants per activity type for a year."""

    intact_roles = selectors.ACTIVITY_READ_ROLES

    @extend_schema(parameters=[YEAR_PARAM], responses=TotalsSerializer)
    def get(self, request: Request, org: str) -> Response:
        year = selectors.default_year(request.query_params.get("year"))
        totals = selectors.activity_totals_for(
            user=request.user, organisation=self.organisation(), year=year
        )
        totals.pop("by_type_code", None)
        return Response(totals)


class TagList(OrgMixin, generics.ListAPIView):
    """Core values and topics that case law is tagged with."""

    serializer_class = TagSerializer
    intact_roles = ALL_ROLES
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.tag_list(user=self.request.user, organisation=self.organisation())


class MoralCaseList(OrgMixin, generics.ListCreateAPIView):
    """Case law: published for every member, drafts too for coordinators; ``q`` searches, ``tag`` filters."""

    serializer_class = MoralCaseSerializer
    intact_roles = ALL_ROLES

    def get_queryset(self) -> Any:
        params = self.request.query_params
        tag = None
        if params.get("tag"):
            tag = (
                selectors.tag_list(user=self.request.user, organisation=self.organisation())
                .filter(code=params["tag"])
                .first()
            )
            if tag is None:
                return MoralCase.objects.none()
        return selectors.moral_case_list(
            user=self.request.user,
            organisation=self.organisation(),
            query=params.get("q", "")[:200],
            tag=tag,
        )

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("tag", str)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        if not selectors.may_write_case_law(self.request.user, self.organisation()):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        serializer.instance = services.moral_case_create(
            actor=self.request.user, organisation=self.organisation(), **data
        )


class MoralCaseDetail(OrgMixin, generics.RetrieveUpdateDestroyAPIView):
    """One case; coordinators edit, publish (``publish``: true/false) or remove it."""

    serializer_class = MoralCaseSerializer
    intact_roles = ALL_ROLES
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> MoralCase:
        return selectors.moral_case_get(
            user=self.request.user, organisation=self.organisation(), pk=int(self.kwargs["pk"])
        )

    def _require_write(self) -> None:
        if not selectors.may_write_case_law(self.request.user, self.organisation()):
            raise PermissionDenied

    def perform_update(self, serializer: Any) -> None:
        self._require_write()
        data = dict(serializer.validated_data)
        tags = data.pop("tags", None)
        publish = data.pop("publish", None) if "publish" in self.request.data else None
        data.pop("publish", None)
        with transaction.atomic():
            case = services.moral_case_update(
                actor=self.request.user, case=serializer.instance, tags=tags, **data
            )
            if publish is not None and publish != case.is_published:
                case = services.moral_case_publish(
                    actor=self.request.user, case=case, publish=publish
                )
        serializer.instance = case

    def perform_destroy(self, instance: MoralCase) -> None:
        self._require_write()
        services.moral_case_delete(actor=self.request.user, case=instance)
