"""Browser fixtures for this app's e2e test, shared from tests/e2e/conftest.py."""

from tests.e2e.conftest import (  # noqa: F401
    _playwright,
    browser,
    live_url,
    new_page,
    page,
    staff_login,
)
