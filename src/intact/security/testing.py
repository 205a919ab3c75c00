"""Helpers for tests: log in as a user whose second factor is satisfied."""

from __future__ import annotations

from typing import Any


def force_login_verified(client: Any, user: Any) -> None:
    """Log ``client`` in as ``user`` and mark the session as OTP-verified.

    Creates a confirmed TOTP device when the user has none, exactly like a
    user who completed the two-factor set-up.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
