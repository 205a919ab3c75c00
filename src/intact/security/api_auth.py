"""API token authentication with tokens kept only as a digest."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, but the database holds SHA-256 digests.

    Tokens are created on the account page by users who passed the second
    factor, so a request with a valid token counts as verified.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from intact.security.services import token_digest

        user, token = super().authenticate_credentials(token_digest(key))
        user.is_verified = lambda: True
        return user, token
