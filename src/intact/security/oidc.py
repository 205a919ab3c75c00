"""Single sign-on with an organisation's own identity provider (OpenID Connect).

Switched on by ``INTACT_OIDC_ENABLED``. The identity provider proves who
someone is; Intact alone decides what they may do. So a login maps to an
existing, active account with the same (verified) e-mail address, and never
creates an account or a role. A user whose role needs two factors still
passes Intact's own second factor after the SSO login.
"""

from __future__ import annotations

import logging
from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

logger = logging.getLogger(__name__)


class IntactOIDCBackend(OIDCAuthenticationBackend):
    """Map the OIDC identity to an existing user by e-mail; never create users or roles."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        email = (claims.get("email") or "").strip()
        if not email:
            return False
        # An identity provider that says the address is unverified is not trusted with it.
        return claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        user_info = self.get_userinfo(access_token, id_token, payload)
        return self.user_for_claims(user_info)

    def user_for_claims(self, claims: dict[str, Any]) -> Any:
        """The one active user with the claims' e-mail address, or None."""
        if not self.verify_claims(claims):
            return None
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) != 1:
            # None or ambiguous: refuse rather than guess (logged without the address).
            logger.info("OIDC login refused: %s matching accounts", len(users))
            return None
        return users[0]

    def create_user(self, claims: dict[str, Any]) -> None:
        return None

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return user
