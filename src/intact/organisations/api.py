"""The organisations API: the user's organisations, their units and people.

Same access policy as the staff pages: an organisation the user holds no
fitting role in answers 404, exactly like one that does not exist.
Org-scoped resources are nested under ``/api/v1/organisations/{organisation_slug}/``
(see docs/decisions/0004).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from intact.core.access import ALL_ROLES
from intact.organisations import selectors
from intact.organisations.models import ContractType, Organisation, Person, Unit
from intact.organisations.selectors import UNIT_ROLES

ORG_PARAM = OpenApiParameter(
    "organisation_slug", str, OpenApiParameter.PATH, description="Short name (slug) of the organisation."
)


class OrganisationSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "sector", "website", "roles"]

    def get_roles(self, obj: Organisation) -> list[str]:
        user = self.context["request"].user
        return sorted(
            {m.role for m in selectors.memberships_for_user(user=user) if m.organisation_id == obj.pk}
        )


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "code", "is_central", "parent"]


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    has_account = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "employee_number",
            "contract_type",
            "position",
            "salary_scale",
            "unit",
            "start_date",
            "end_date",
            "vulnerable_position",
            "has_account",
        ]

    def get_has_account(self, obj: Person) -> bool:
        return obj.user_id is not None


@extend_schema_view(
    list=extend_schema(summary="Organisations where you hold a role"),
    retrieve=extend_schema(summary="One of your organisations"),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "organisation_slug"
    intact_roles = ALL_ROLES
    queryset = Organisation.objects.none()  # for the schema; get_queryset applies the policy

    def get_queryset(self) -> QuerySet[Organisation]:
        ids = [o.pk for o in selectors.organisations_for_user(user=self.request.user)]
        return Organisation.objects.filter(pk__in=ids).order_by("name")


class _OrgScoped:
    """Resolves ``organisation_slug`` through the access policy (404 when not allowed)."""

    request: Any
    kwargs: dict

    def organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = selectors.organisation_for_user(
                user=self.request.user,
                slug=self.kwargs["organisation_slug"],
                roles=tuple(self.intact_roles),  # type: ignore[attr-defined]
            )
        return self._organisation


@extend_schema_view(
    list=extend_schema(summary="Units of the organisation", parameters=[ORG_PARAM]),
)
class UnitViewSet(_OrgScoped, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitSerializer
    intact_roles = UNIT_ROLES
    queryset = Unit.objects.none()

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.unit_list(user=self.request.user, organisation=self.organisation()).order_by(
            "name"
        )


@extend_schema_view(
    list=extend_schema(
        summary="People of the organisation",
        parameters=[
            ORG_PARAM,
            OpenApiParameter("unit", int, description="Only this unit and the units below it."),
            OpenApiParameter("contract_type", str, enum=ContractType.values),
            OpenApiParameter("q", str, description="Search in name, position, employee number."),
        ],
    ),
    retrieve=extend_schema(summary="One person", parameters=[ORG_PARAM]),
)
class PersonViewSet(_OrgScoped, viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    intact_roles = UNIT_ROLES
    queryset = Person.objects.none()

    def get_queryset(self) -> QuerySet[Person]:
        params = self.request.query_params
        unit = params.get("unit")
        return selectors.person_list(
            user=self.request.user,
            organisation=self.organisation(),
            unit_id=int(unit) if unit and unit.isdigit() else None,
            contract_type=params.get("contract_type", "") if params.get("contract_type") in ContractType.values else "",
            query=params.get("q", "")[:100],
        ).order_by("last_name", "first_name", "id")
