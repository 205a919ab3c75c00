"""Writes of the security app: second factor, backup codes, API tokens.

Every function runs in one transaction and writes its audit entry in it.
Secrets that are shown to the user (backup codes, API tokens) are returned
once and never stored in a readable form by Intact itself (backup codes are
kept by django-otp's static plugin, API tokens as a SHA-256 digest).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from intact.security import audit

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Intact"
BACKUP_DEVICE_NAME = "backup"


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device of ``user`` for set-up, created if there is none.

    Reusing the pending device keeps the QR code stable when the set-up page
    is reloaded.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        return device


def totp_device_confirm(*, user: Any, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code from the app; returns new backup codes, or None if wrong.

    On success every other TOTP device of the user is removed (one app per
    person), a fresh set of backup codes replaces the old one, and the event
    is audited.
    """
    if device.user_id != user.pk or device.confirmed:
        return None
    token = normalise_token(token)
    if not token.isdigit() or not device.verify_token(token):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _replace_backup_codes(user)
        audit.record(user, "security.totp_confirmed", obj=user, detail={"device": device.pk})
    return codes


def backup_codes_regenerate(*, user: Any) -> list[str]:
    """Replace the user's backup codes by a new set; the old ones stop working."""
    with transaction.atomic():
        codes = _replace_backup_codes(user)
        audit.record(user, "security.backup_codes_regenerated", obj=user)
    return codes


def _replace_backup_codes(user: Any) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_reset(*, user: Any, actor: Any = None) -> None:
    """Remove the user's authenticator app, backup codes and API token; they must set up anew.

    Called by the user from a verified session (the view checks a current
    code first), or by a superuser for someone who lost their phone
    (``actor``). Removing the device also ends the session's verification.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        audit.record(actor or user, "security.second_factor_reset", obj=user)


def normalise_token(token: str) -> str:
    return "".join(str(token).split()).replace("-", "")


def token_digest(raw: str) -> str:
    """What the database keeps of an API token: 40 hex digits of its SHA-256.

    The token has 256 bits of entropy, so a plain hash is enough; a stolen
    copy of the database holds no usable token.
    """
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def api_token_create(*, user: Any) -> str:
    """Create (or replace) the user's API token and return it; it is shown once."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        Token.objects.create(user=user, key=token_digest(raw))
        audit.record(user, "security.api_token_created", obj=user)
    return raw


def api_token_revoke(*, user: Any) -> bool:
    """Revoke the user's API token; True when there was one."""
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=user).delete()
        if deleted:
            audit.record(user, "security.api_token_revoked", obj=user)
    return bool(deleted)
