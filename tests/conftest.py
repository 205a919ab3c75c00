"""Shared fixtures. Browser fixtures live in tests/e2e/conftest.py."""

from __future__ import annotations

import pytest

from intact.security import keys
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture(scope="session", autouse=True)
def _audit_log_flushable():
    """Transactional and browser tests end with a flush; let it empty the append-only audit log."""
    from intact.security.testing import allow_audit_flush

    allow_audit_flush()


@pytest.fixture(autouse=True)
def _fresh_keyring():
    """Each test starts with the key cache empty (keys live in the test's temp folder)."""
    keys.reset()
    yield
    keys.reset()


@pytest.fixture
def org(db):
    return OrganisationFactory(slug="org-a", name="Provincie A")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(slug="org-b", name="Stichting B", kind="ngo")


@pytest.fixture
def make_user(db):
    """make_user(org, role, unit=None, verified=True) -> a user with that role and a person record."""

    def make(organisation, role="employee", *, unit=None, username=None, person=True):
        user = UserFactory(**({"username": username} if username else {}))
        MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
        if person:
            PersonFactory(organisation=organisation, user=user, first_name=user.first_name, last_name=user.last_name)
        return user

    return make


@pytest.fixture
def login(client):
    """login(user): a test client logged in as ``user`` with the second factor satisfied."""

    def do(user, c=None):
        from intact.security.testing import force_login_verified

        c = c or client
        force_login_verified(c, user)
        return c

    return do
