"""What the technical administrator may manage at /beheer/: accounts and the organisation structure.

Only non-confidential models are registered. Third-party admins that would
expose secrets (API tokens, TOTP seeds and backup codes) or task payloads are
removed. A technical administrator who is not a superuser cannot change
passwords, superuser/staff flags or permissions, and cannot hand out a role
that reads case content (coordinator, counsellor, …): otherwise the admin
would be a way around need-to-know. Every change made here is also written
to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import IntegrityOrgan, Membership, Organisation, Person, Unit
from intact.security import audit, policy, services
from intact.security.models import User

# Admins registered by libraries that must not be reachable here.
_REMOVE = [
    ("authtoken", "tokenproxy"),
    ("authtoken", "token"),
    ("otp_totp", "totpdevice"),
    ("otp_static", "staticdevice"),
    ("django_tasks_database", "dbtaskresult"),
    ("axes", "accesslog"),
    ("axes", "accessfailurelog"),
]


class AuditedAdmin(admin.ModelAdmin):
    """Writes every add, change and delete to the audit log as well."""

    def _audit(self, request: Any, action: str, obj: Any) -> None:
        org_id = obj.pk if isinstance(obj, Organisation) else getattr(obj, "organisation_id", None)
        audit.record(
            request.user,
            f"admin.{action}",
            organisation=org_id,
            obj=obj,
            detail={"model": obj._meta.label_lower},
        )

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, "change" if change else "add", obj)

    def delete_model(self, request: Any, obj: Any) -> None:
        self._audit(request, "delete", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            self._audit(request, "delete", obj)
        super().delete_queryset(request, queryset)


@admin.register(User)
class IntactUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined"]
        return fields

    actions = ["reset_second_factor"]

    def get_actions(self, request: Any) -> Any:
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("reset_second_factor", None)
        return actions

    @admin.action(description=_("Tweede factor resetten (telefoon kwijt)"))
    def reset_second_factor(self, request: Any, queryset: Any) -> None:
        if not request.user.is_superuser:
            raise PermissionDenied
        for user in queryset:
            services.second_factor_reset(user=user, actor=request.user)
        self.message_user(
            request,
            _("De tweede factor van %(n)s gebruiker(s) is verwijderd; zij stellen hem opnieuw in bij de volgende login.")
            % {"n": queryset.count()},
        )

    def user_change_password(self, request: Any, id: str, form_url: str = "") -> Any:  # noqa: A002
        if not request.user.is_superuser:
            # A technical administrator could otherwise take over a coordinator's account.
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "slug", "kind", "sector", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "organisation", "parent", "is_central")
    list_filter = ("organisation", "is_central")
    search_fields = ("name", "code")


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "organisation", "unit", "contract_type", "position")
    list_filter = ("organisation", "contract_type", "vulnerable_position")
    search_fields = ("last_name", "first_name", "employee_number")
    raw_id_fields = ("user", "unit")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "role", "unit")
    list_filter = ("organisation", "role")
    raw_id_fields = ("user", "unit")

    def _grants_case_content(self, obj: Any) -> bool:
        return obj is not None and obj.role in policy.CASE_CONTENT_ROLES

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        if self._grants_case_content(obj) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        if self._grants_case_content(obj) and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_choice_field(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [
                (value, label)
                for value, label in db_field.choices
                if value not in policy.CASE_CONTENT_ROLES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if self._grants_case_content(obj) and not request.user.is_superuser:
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(IntegrityOrgan)
class IntegrityOrganAdmin(AuditedAdmin):
    list_display = ("name", "organisation", "kind", "is_external")
    list_filter = ("organisation", "kind")
    raw_id_fields = ("person",)


def _remove_library_admins() -> None:
    from django.apps import apps

    for app_label, model_name in _REMOVE:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_remove_library_admins()
