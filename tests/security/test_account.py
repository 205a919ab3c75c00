"""The account page: own second factor, backup codes, personal API token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from intact.security.models import AuditEntry
from tests.security.conftest import current_code

pytestmark = pytest.mark.django_db


def test_account_page_shows_status(org, make_user, login):
    user = make_user(org, "coordinator")
    html = login(user).get(reverse("security:account")).content.decode()
    assert "Status: ingesteld." in html
    assert "API-sleutel maken" in html


def test_api_token_is_shown_once_stored_as_digest_and_works(org, make_user, login):
    user = make_user(org, "coordinator")
    c = login(user)
    response = c.post(reverse("security:api_token"), {"action": "create"})
    assert response.status_code == 200
    raw = re.search(r'<code class="intact-secret">([^<]+)</code>', response.content.decode()).group(1)
    stored = Token.objects.get(user=user)
    assert stored.key != raw and raw not in stored.key
    assert AuditEntry.objects.filter(action="security.api_token_created", actor_id=user.pk).exists()

    api = Client()
    ok = api.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert ok.status_code == 200
    # The digest from a stolen database copy is not a token.
    stolen = api.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {stored.key}")
    assert stolen.status_code == 401
    assert stolen["Content-Type"] == "application/problem+json"

    c.post(reverse("security:api_token"), {"action": "revoke"})
    assert not Token.objects.filter(user=user).exists()
    assert api.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401


def test_unverified_user_cannot_create_a_token(org, make_user):
    user = make_user(org, "coordinator")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    c = Client()
    c.force_login(user)
    response = c.post(reverse("security:api_token"), {"action": "create"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:otp_verify"))
    assert not Token.objects.filter(user=user).exists()


def test_new_backup_codes_replace_the_old(org, make_user, login):
    user = make_user(org, "manager")
    c = login(user)
    first = re.findall(r"<li><code>([a-z0-9]+)</code></li>", c.post(reverse("security:backup_codes")).content.decode())
    second = re.findall(r"<li><code>([a-z0-9]+)</code></li>", c.post(reverse("security:backup_codes")).content.decode())
    assert len(first) == len(second) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(second)
    assert not set(first) & set(second)


def test_reset_needs_a_current_code(org, make_user, login):
    user = make_user(org, "manager")
    c = login(user)
    device = TOTPDevice.objects.get(user=user)
    c.post(reverse("security:otp_reset"), {"token": "000000"})
    assert TOTPDevice.objects.filter(user=user).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = c.post(reverse("security:otp_reset"), {"token": current_code(device)})
    assert response["Location"] == reverse("security:otp_setup")
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # The session is no longer verified: the staff app sends the user to set-up.
    blocked = c.get("/app/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("security:otp_setup"))


def test_unverified_session_is_offered_verification(org, make_user):
    user = make_user(org, "employee")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    c = Client()
    c.force_login(user)
    html = c.get(reverse("security:account")).content.decode()
    assert reverse("security:otp_verify") in html
    assert "API-sleutel maken" not in html
