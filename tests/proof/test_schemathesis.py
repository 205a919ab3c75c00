"""Fuzzing the API from its own OpenAPI schema (issue 8, point 3).

schemathesis generates requests for every operation of /api/v1/schema/ and
sends them through the WSGI application, anonymously and as an
authenticated coordinator with every role (token authentication). Checks:
no 5xx (``not_a_server_error``) and every response conforms to the schema
(``response_schema_conformance``). Bounded (few examples per operation, no
deadline) so the run takes a few minutes at most.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = [pytest.mark.slow]


from intact.wsgi import application  # noqa: E402 - Django is set up by pytest-django before collection

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def wsgi_keeps_connection(db):
    """As Django's test client does: the WSGI handler must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(org, make_user):
    from intact.core.access import ALL_ROLES
    from intact.organisations.models import Membership
    from intact.security.services import api_token_create
    from intact.security.testing import force_login_verified  # noqa: F401 - verified device below

    user = make_user(org, "coordinator")
    for role in sorted(ALL_ROLES - {"coordinator"}):
        Membership.objects.create(user=user, organisation=org, role=role)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="fuzz", confirmed=True)
    return api_token_create(user=user)


@schema.parametrize()
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_fuzz(case, token, wsgi_keeps_connection):
    checks = [not_a_server_error, response_schema_conformance]
    case.call_and_validate(checks=checks)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=checks)
