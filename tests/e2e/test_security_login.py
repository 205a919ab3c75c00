"""Browser tests of the login and security pages: real flow, axe clean, CSP clean (issue 2 points 5, 7, 8)."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.e2e.conftest import assert_no_csp_violations, assert_no_third_party_requests, axe_check
from tests.organisations.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _code_for(secret_text: str) -> str:
    plain = secret_text.replace(" ", "")
    key = b32decode(plain + "=" * (-len(plain) % 8))
    return f"{totp(key):06d}"


def _submit(page):
    page.locator("main form.intact-form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_first_login_sets_up_the_second_factor(page, live_url, org, make_user):
    user = make_user(org, "coordinator", username="coordinator-2fa")

    page.goto(f"{live_url}/app/")
    assert "/account/login/" in page.url
    axe_check(page)
    page.fill("#id_username", user.username)
    page.fill("#id_password", "fout-wachtwoord-123")
    _submit(page)
    assert page.locator("[role=alert]").count() == 1
    axe_check(page)  # the error summary is accessible too

    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    _submit(page)
    assert "/tweede-factor/instellen/" in page.url
    assert page.locator("figure.intact-qr svg").count() == 1
    axe_check(page)
    secret = page.locator("code.intact-secret").inner_text()

    page.fill("#id_token", _code_for(secret))
    _submit(page)
    codes = page.locator(".intact-codes code").all_inner_texts()
    assert len(codes) == 10
    axe_check(page)
    page.get_by_role("link", name=re.compile("ga verder")).click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/app")

    page.goto(f"{live_url}/account/beveiliging/")
    axe_check(page)
    page.goto(f"{live_url}/app/{org.slug}/audit/")
    assert page.locator("h1").inner_text().startswith("Auditlog")
    axe_check(page)
    assert_no_csp_violations(page)
    assert_no_third_party_requests(page, live_url)


def test_verify_page_and_lockout_page_are_accessible(new_page, live_url, org, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user(org, "counsellor", username="counsellor-2fa")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    # The login works with JavaScript switched off (plain forms) ...
    nojs = new_page(javascript_enabled=False)
    nojs.goto(f"{live_url}/account/login/")
    nojs.fill("#id_username", user.username)
    nojs.fill("#id_password", PASSWORD)
    _submit(nojs)
    assert "/tweede-factor/controleren/" in nojs.url
    # ... and axe (which needs JavaScript) checks the same page in another context.
    js_page = new_page()
    js_page.goto(f"{live_url}/account/login/")
    js_page.fill("#id_username", user.username)
    js_page.fill("#id_password", PASSWORD)
    _submit(js_page)
    assert "/tweede-factor/controleren/" in js_page.url
    axe_check(js_page)

    locked = new_page()
    for _ in range(6):
        locked.goto(f"{live_url}/account/login/")
        locked.fill("#id_username", user.username)
        locked.fill("#id_password", "helemaal-fout-1")
        _submit(locked)
    assert "tijdelijk geblokkeerd" in locked.locator("h1").inner_text()
    axe_check(locked)
    assert_no_csp_violations(locked)
