"""Fixtures for the cases tests."""

from __future__ import annotations

import pytest

from intact.cases import services
from intact.organisations.models import Role


@pytest.fixture
def coordinator(org, make_user):
    services.measure_types_ensure_defaults(org)
    return make_user(org, Role.COORDINATOR, username="coord")


@pytest.fixture
def authority(org, make_user):
    return make_user(org, Role.COMPETENT_AUTHORITY, username="authority")
