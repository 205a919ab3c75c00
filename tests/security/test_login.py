"""Staff login: password, second factor, lock-out, logout, CSRF (issue 2 point 5)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from intact.security.models import AuditEntry
from tests.organisations.factories import PASSWORD
from tests.security.conftest import current_code

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def post_login(client, username, password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_login_page_is_dutch_accessible_and_has_csrf(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Inloggen voor medewerkers" in html
    assert "style=" not in html and "<script>" not in html


def test_wrong_password_shows_error_summary_and_does_not_log_in(client, org, make_user):
    user = make_user(org, "employee")
    response = post_login(client, user.username, "wrong-password-123")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "gebruikersnaam en wachtwoord is onjuist" in html
    assert "_auth_user_id" not in client.session


def test_employee_logs_in_without_second_factor(client, org, make_user):
    user = make_user(org, "employee")
    response = post_login(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/app/").status_code == 200


def test_login_cycles_session_key(client, org, make_user):
    user = make_user(org, "employee")
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    post_login(client, user.username)
    assert client.session.session_key != before


def test_open_redirect_is_refused(client, org, make_user):
    user = make_user(org, "employee")
    response = post_login(client, user.username, next_url="https://evil.example/")
    assert response["Location"] == reverse("start")


def test_coordinator_without_device_is_sent_to_setup_then_verified(client, org, make_user):
    user = make_user(org, "coordinator")
    response = post_login(client, user.username, next_url="/app/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:otp_setup"))

    # Before set-up, the staff app and the admin are out of reach.
    blocked = client.get("/app/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("security:otp_setup"))
    assert client.get("/beheer/").status_code == 302

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<title>" in html  # inline QR code, server-side
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code class="intact-secret">([A-Z2-7 ]+)</code>', html).group(1)
    from base64 import b32decode

    plain = secret.replace(" ", "")
    assert b32decode(plain + "=" * (-len(plain) % 8)) == device.bin_key

    wrong = client.post(reverse("security:otp_setup"), {"token": "000000", "next": "/app/"})
    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # wrong codes are throttled
    device.throttle_reset()  # instead of waiting out the throttle delay

    done = client.post(reverse("security:otp_setup"), {"token": current_code(device), "next": "/app/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert client.get("/app/").status_code == 200
    assert AuditEntry.objects.filter(action="security.totp_confirmed", actor_id=user.pk).exists()


def test_verify_with_app_code_and_with_backup_code_once(org, make_user):
    user = make_user(org, "counsellor")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    from intact.security import services

    codes = services.backup_codes_regenerate(user=user)

    c1 = Client()
    r = post_login(c1, user.username, next_url="/app/")
    assert r["Location"].startswith(reverse("security:otp_verify"))
    assert c1.post(reverse("security:otp_verify"), {"token": "123456", "next": "/app/"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.get(user=user).throttle_reset()  # a wrong code throttles every device
    ok = c1.post(reverse("security:otp_verify"), {"token": current_code(device), "next": "/app/"})
    assert ok.status_code == 302 and ok["Location"] == "/app/"
    assert c1.get("/app/").status_code == 200

    c2 = Client()
    post_login(c2, user.username)
    assert c2.post(reverse("security:otp_verify"), {"token": codes[0]}).status_code == 302
    assert c2.get("/app/").status_code == 200
    # A backup code works once.
    c3 = Client()
    post_login(c3, user.username)
    again = c3.post(reverse("security:otp_verify"), {"token": codes[0]})
    assert again.status_code == 200
    assert c3.get("/app/").status_code == 302


def test_password_alone_cannot_replace_an_existing_device(client, org, make_user):
    user = make_user(org, "coordinator")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    post_login(client, user.username)
    response = client.get(reverse("security:otp_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:otp_verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_unverified_session_gets_problem_json_from_api(client, org, make_user):
    user = make_user(org, "coordinator")
    post_login(client, user.username)
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 403
    # the schema stays public
    assert client.get("/api/v1/schema/").status_code == 200


def test_sixth_attempt_with_right_password_is_refused(client, org, make_user):
    user = make_user(org, "employee")
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": user.username, "password": "not-the-password-1"},
            HTTP_USER_AGENT="MarkerAgent/9.9",
            REMOTE_ADDR="203.0.113.77",
        )
    response = post_login(client, user.username, PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in html
    assert "ook met het juiste wachtwoord" in html
    assert "_auth_user_id" not in client.session
    # Keyed on the account only: no client address is kept.
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.ip_address is None
    assert "MarkerAgent" not in attempt.user_agent
    assert attempt.failures_since_start >= 5
    # Another account is not affected.
    other = make_user(org, "employee")
    assert post_login(Client(), other.username).status_code == 302


def test_logout_needs_post_and_ends_session(org, make_user, login):
    user = make_user(org, "employee")
    c = login(user, Client())
    assert c.get(reverse("security:logout")).status_code == 405
    response = c.post(reverse("security:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in c.session
    assert c.get("/app/").status_code == 302


def test_csrf_is_enforced_on_login_and_logout(org, make_user):
    user = make_user(org, "employee")
    c = Client(enforce_csrf_checks=True)
    assert c.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 403
    c.force_login(user)
    assert c.post(reverse("security:logout")).status_code == 403


def test_session_expiry_is_configured():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_expired_session_is_logged_out(client, org, make_user):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    user = make_user(org, "employee")
    post_login(client, user.username)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/app/").status_code == 302


@pytest.mark.parametrize(
    ("role", "needed"),
    [
        ("employee", False),
        ("auditor", False),
        ("counsellor", True),
        ("manager", True),
        ("coordinator", True),
        ("investigator", True),
        ("competent_authority", True),
        ("technical_admin", True),
    ],
)
def test_who_needs_a_second_factor(org, make_user, role, needed):
    from intact.security import policy

    assert policy.needs_second_factor(make_user(org, role)) is needed


def test_staff_and_superusers_need_a_second_factor(org, make_user):
    from intact.security import policy

    user = make_user(org, "employee")
    user.is_staff = True
    assert policy.needs_second_factor(user)
    user.is_staff, user.is_superuser = False, True
    assert policy.needs_second_factor(user)
