"""Fixtures for the accountability tests."""

from __future__ import annotations

import pytest

from intact.cases import services as case_services
from intact.organisations.models import Role


@pytest.fixture
def coordinator(org, make_user):
    case_services.measure_types_ensure_defaults(org)
    case_services.categories_ensure_defaults(org)
    return make_user(org, Role.COORDINATOR, username="acc-coord")
