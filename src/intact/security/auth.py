"""Login helpers."""

from typing import Any


def no_client_ip(request: Any) -> None:
    """django-axes asks for the client's address; Intact never has one (DESIGN rule 2)."""
    return None
