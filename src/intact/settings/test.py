"""Test settings: fast password hashing is NOT used; tests run the real Argon2."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_from_url

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789"  # noqa: S105
_TMP = Path(tempfile.mkdtemp(prefix="intact-test-"))
VAR_DIR = _TMP
INTACT_KEY_FILE = _TMP / "keys.json"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(_TMP / "files")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A test database: SQLite file by default (so that a dump can be read), or the
# throwaway PostgreSQL cluster that tests/conftest.py starts (INTACT_TEST_DB=postgres).
DATABASES = {
    "default": database_from_url(
        os.environ.get("INTACT_DATABASE_URL") or f"sqlite:///{_TMP / 'test.sqlite3'}"
    )
}
DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test-db.sqlite3")} if DATABASES["default"][
    "ENGINE"
].endswith("sqlite3") else {}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # In-process tests keep one connection per thread, without the pool: pytest-django
    # wraps tests in transactions on the thread's connection, and a pool could hand a
    # connection still inside one test's transaction to the next. The servers that the
    # load tests start run with the pool (INTACT_DB_POOL_MAX, settings/base.py).
    DATABASES["default"].pop("OPTIONS", None)
    DATABASES["default"].update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
