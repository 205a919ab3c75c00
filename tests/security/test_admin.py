"""The Django admin at /beheer/: technical administration only, no case content (issue 2 point 4)."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from intact.organisations.models import Membership, Role
from intact.security.admin_site import IntactAdminSite, has_encrypted_field
from intact.security.fields import EncryptedTextField, _EncryptedField
from intact.security.models import AuditEntry

pytestmark = pytest.mark.django_db

ALLOWED = {
    "security.user",
    "organisations.organisation",
    "organisations.unit",
    "organisations.person",
    "organisations.membership",
    "organisations.integrityorgan",
    "auth.group",
    "axes.accessattempt",  # to lift a lock-out; holds username and time only
}


@pytest.fixture
def tech_admin(org, make_user):
    user = make_user(org, Role.TECHNICAL_ADMIN)
    user.is_staff = True
    user.save()
    return user


def test_admin_site_is_intacts():
    assert isinstance(admin.site, IntactAdminSite)


def test_registry_holds_no_model_with_encrypted_fields():
    for model in admin.site._registry:
        encrypted = [f.name for f in model._meta.get_fields() if isinstance(f, _EncryptedField)]
        assert not encrypted, f"{model._meta.label} exposes encrypted fields {encrypted} in the admin"


def test_registry_holds_only_non_confidential_models():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered <= ALLOWED, registered - ALLOWED
    for secret in ("authtoken.tokenproxy", "otp_totp.totpdevice", "otp_static.staticdevice"):
        assert secret not in registered


def test_site_refuses_to_register_an_encrypted_model():
    class SealedThing(models.Model):  # noqa: DJ008 - test-only model
        organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
        secret = EncryptedTextField()

        class Meta:
            app_label = "security"

    try:
        assert has_encrypted_field(SealedThing)
        with pytest.raises(ImproperlyConfigured):
            admin.site.register(SealedThing)
        assert SealedThing not in admin.site._registry
    finally:
        apps.all_models["security"].pop("sealedthing", None)
        apps.clear_cache()


def test_anonymous_is_sent_to_intact_login():
    response = Client().get("/beheer/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("security:login"))
    assert response.status_code == 200


def test_staff_without_second_factor_is_sent_to_it(org, make_user, tech_admin):
    c = Client()
    c.force_login(tech_admin)
    response = c.get("/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:otp_setup"))


def test_non_staff_roles_get_404(org, make_user, login):
    coordinator = make_user(org, Role.COORDINATOR)
    c = login(coordinator)
    assert c.get("/beheer/", follow=True).status_code == 404
    assert c.get("/beheer/organisations/organisation/", follow=True).status_code == 404


def test_technical_admin_sees_every_registered_changelist(tech_admin, login):
    from django.contrib.auth.models import Permission

    tech_admin.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    c = login(tech_admin)
    assert c.get("/beheer/").status_code == 200
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert c.get(url).status_code == 200, url


def test_technical_admin_cannot_take_over_accounts_or_grant_case_roles(org, tech_admin, make_user, login):
    from django.contrib.auth.models import Permission

    tech_admin.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["security", "organisations"])
    )
    coordinator = make_user(org, Role.COORDINATOR)
    c = login(tech_admin)
    password_url = reverse("admin:auth_user_password_change", args=[coordinator.pk])
    assert c.get(password_url).status_code == 403

    add = c.get(reverse("admin:organisations_membership_add")).content.decode()
    assert 'value="employee"' in add
    for role in ("coordinator", "counsellor", "investigator", "manager", "competent_authority"):
        assert f'value="{role}"' not in add
    response = c.post(
        reverse("admin:organisations_membership_add"),
        {"user": tech_admin.pk, "organisation": org.pk, "role": "coordinator"},
    )
    assert response.status_code == 200  # form error: not a valid choice
    assert not Membership.objects.filter(user=tech_admin, role="coordinator").exists()

    membership = Membership.objects.get(user=coordinator, role="coordinator")
    change = reverse("admin:organisations_membership_change", args=[membership.pk])
    c.post(change, {"user": tech_admin.pk, "organisation": org.pk, "role": "coordinator"})
    membership.refresh_from_db()
    assert membership.user_id == coordinator.pk


def test_admin_changes_are_audited(org, tech_admin, login):
    from django.contrib.auth.models import Permission

    tech_admin.user_permissions.set(Permission.objects.filter(codename__in=["change_organisation", "view_organisation"]))
    c = login(tech_admin)
    url = reverse("admin:organisations_organisation_change", args=[org.pk])
    response = c.post(url, {"slug": org.slug, "name": "Nieuwe naam", "kind": org.kind, "sector": "x", "is_active": "on"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.actor_id == tech_admin.pk and entry.organisation_id == org.pk


# --- a technical administrator reads no confidential page or endpoint ---------------

# The apps that hold case content (reports, cases); DESIGN: "the technical administrator sees no case content".
CONFIDENTIAL_NAMESPACES = {"reporting", "cases", "reporting_api", "cases_api"}


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry


def _fill(route: str, org_slug: str) -> str:
    import re

    def repl(match):
        converter, name = match.group(1) or "str", match.group(2)
        if name == "org":
            return org_slug
        return {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "path": "x"}.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", repl, route).lstrip("^").rstrip("$")


def confidential_routes():
    return sorted({route for ns, route, _ in _patterns() if ns in CONFIDENTIAL_NAMESPACES and "(?" not in route})


def test_technical_admin_gets_no_confidential_page_or_endpoint(org, tech_admin, login):
    routes = confidential_routes()
    if not routes:
        pytest.skip("no confidential pages or endpoints registered yet")
    c = login(tech_admin)
    for route in routes:
        url = _fill(route, org.slug)
        response = c.get(url)
        assert response.status_code in (302, 401, 403, 404, 405), f"{url} answered {response.status_code}"
        if response.status_code == 302:
            assert not response["Location"].startswith("/app/"), url


def test_superuser_can_reset_a_lost_second_factor(org, make_user, login):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.organisations.factories import UserFactory

    root = UserFactory(username="root-admin")
    root.is_superuser = root.is_staff = True
    root.save()
    coordinator = make_user(org, Role.COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="oude telefoon", confirmed=True)
    c = login(root)
    response = c.post(
        reverse("admin:security_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [coordinator.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    entry = AuditEntry.objects.get(action="security.second_factor_reset")
    assert entry.actor_id == root.pk and entry.object_id == str(coordinator.pk)


def test_technical_admin_cannot_reset_a_second_factor(org, tech_admin, make_user, login):
    from django.contrib.auth.models import Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    tech_admin.user_permissions.set(Permission.objects.filter(content_type__app_label="security"))
    coordinator = make_user(org, Role.COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="telefoon", confirmed=True)
    c = login(tech_admin)
    c.post(
        reverse("admin:security_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [coordinator.pk]},
    )
    assert TOTPDevice.objects.filter(user=coordinator, name="telefoon").exists()
