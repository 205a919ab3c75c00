"""``intact demo_otp USERNAME``: the current two-factor code of a demo login.

Only for demo logins (``<role>@demo-provincie`` / ``<role>@demo-ngo`` with
roles in demo organisations only) whose device still has the fixed demo
secret; any other account is refused, so this command cannot be used to
get round a real user's second factor.
"""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from intact.core.demo import demo_totp_key, is_demo_user


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo login (demo organisations only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--uri", action="store_true", help="Also print the otpauth:// URI.")

    def handle(self, *args: Any, username: str, uri: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not is_demo_user(user):
            raise CommandError(f"{username} is not a demo login.")
        key = demo_totp_key(username)
        device = TOTPDevice.objects.filter(user=user, key=key, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} no longer uses the demo second factor.")
        now = int(time.time())
        code = totp(
            bytes.fromhex(key), step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
        remaining = device.step - ((now - device.t0) % device.step)
        self.stdout.write(f"{code:0{device.digits}d}")
        if options.get("verbosity", 1) > 1 or uri:
            self.stderr.write(f"(valid for about {remaining} more seconds)")
        if uri:
            secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
            self.stdout.write(f"otpauth://totp/Intact:{quote(username)}?secret={secret}&issuer=Intact")
