"""Single sign-on: map to an existing user by e-mail, never create users or roles."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from intact.organisations.models import Membership
from intact.security.oidc import IntactOIDCBackend

pytestmark = pytest.mark.django_db

OIDC = {
    "OIDC_RP_CLIENT_ID": "intact",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
}


@pytest.fixture
def backend():
    with override_settings(**OIDC):
        yield IntactOIDCBackend()


def test_maps_to_existing_user_by_email_case_insensitive(backend, org, make_user):
    user = make_user(org, "coordinator")
    found = backend.user_for_claims({"email": user.email.upper(), "email_verified": True})
    assert found == user


def test_unknown_email_creates_nobody(backend, monkeypatch):
    before = get_user_model().objects.count()
    monkeypatch.setattr(backend, "get_userinfo", lambda *a: {"email": "nieuw@idp.example"})
    assert backend.get_or_create_user("access", "id", {}) is None
    assert backend.create_user({"email": "nieuw@idp.example"}) is None
    assert get_user_model().objects.count() == before
    assert not Membership.objects.exists()


def test_unverified_inactive_and_ambiguous_are_refused(backend, org, make_user):
    user = make_user(org, "employee")
    assert backend.user_for_claims({"email": user.email, "email_verified": False}) is None
    assert backend.user_for_claims({}) is None
    twin = make_user(org, "employee")
    twin.email = user.email
    twin.save()
    assert backend.user_for_claims({"email": user.email}) is None
    twin.delete()
    user.is_active = False
    user.save()
    assert backend.user_for_claims({"email": user.email}) is None


def test_login_does_not_change_roles(backend, org, make_user, monkeypatch):
    user = make_user(org, "employee")
    monkeypatch.setattr(
        backend, "get_userinfo", lambda *a: {"email": user.email, "roles": ["coordinator"], "groups": ["admin"]}
    )
    assert backend.get_or_create_user("access", "id", {}) == user
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == ["employee"]
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
