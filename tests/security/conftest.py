"""Fixtures for the security tests."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp


def current_code(device) -> str:
    """The code an authenticator app shows right now for ``device``."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def anon_client():
    return Client()
