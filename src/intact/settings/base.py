"""Settings shared by every environment.

Everything that differs between installations comes from the environment
(``INTACT_*`` variables); the defaults give the embedded installation that
``make run`` starts: SQLite in WAL mode under ``var/`` and no other service.
See docs/administrators.md for the full list.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent  # the repository (or installation) root


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("INTACT_VAR_DIR", str(BASE_DIR / "var")) or "var")

SECRET_KEY = env("INTACT_SECRET_KEY") or ""  # filled in by the environment-specific module
DEBUG = False
ALLOWED_HOSTS = env_list("INTACT_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("INTACT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "intact.security.admin_apps.IntactAdminConfig",  # django.contrib.admin, locked down
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "intact.core",
    "intact.security",
    "intact.organisations",
    "intact.reporting",
    "intact.cases",
    "intact.registers",
    "intact.learning",
    "intact.policy",
    "intact.accountability",
]

MIDDLEWARE = [
    "intact.core.middleware.NoClientMetadataMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "intact.core.backpressure.BackpressureMiddleware",  # 503 + Retry-After before any work when busy
    "intact.reporting.dbbusy.DatabaseBusyMiddleware",  # a lock timeout in a view: 503 + Retry-After, not 500
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "intact.security.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "intact.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "intact.urls"
WSGI_APPLICATION = "intact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "intact.core.context_processors.intact",
            ],
        },
    }
]

# --- database -------------------------------------------------------------
# INTACT_DATABASE_URL is not parsed by a library on purpose: only two shapes
# are supported, so the code that reads them stays small and obvious.
#   sqlite:////absolute/path/intact.sqlite3   (the embedded default)
#   postgres://user:password@host:port/name  (or host=/socket/dir via ?host=)


def _postgres_connections() -> dict:
    """Connections per process: a pool (psycopg_pool) by default, persistent connections if asked.

    The web server runs many threads per process (most wait in the load-shedding
    queue, intact.core.backpressure, and touch no database); with persistent
    connections every thread that ever served a request would keep its own
    connection open, and workers x threads soon passes PostgreSQL's
    ``max_connections`` (100 by default). The pool holds at most
    INTACT_DB_POOL_MAX connections per process (default 10; the gate lets 4
    requests work at once) and hands them to whichever thread is working.
    INTACT_DB_POOL_MAX=0 switches back to one persistent connection per thread
    (INTACT_DB_CONN_MAX_AGE seconds).
    """
    pool_max = int(env("INTACT_DB_POOL_MAX", "10") or 0)
    if pool_max > 0:
        return {
            "CONN_MAX_AGE": 0,  # the pool keeps the connections; Django must not
            "OPTIONS": {"pool": {"min_size": 1, "max_size": pool_max, "timeout": 20}},
        }
    return {
        "CONN_MAX_AGE": int(env("INTACT_DB_CONN_MAX_AGE", "60") or 60),
        "CONN_HEALTH_CHECKS": True,
    }


def database_from_url(url: str | None) -> dict:
    from urllib.parse import parse_qs, unquote, urlparse

    if not url:
        url = f"sqlite:///{VAR_DIR / 'intact.sqlite3'}"
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parsed.path) if parsed.path else ":memory:",
            "OPTIONS": {
                # BEGIN IMMEDIATE: a writer takes the lock at the start, so two
                # writers never deadlock on an upgrade from a read lock.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        query = parse_qs(parsed.query)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": query.get("host", [parsed.hostname or ""])[0],
            "PORT": query.get("port", [str(parsed.port or "")])[0],
            **_postgres_connections(),
        }
    raise ValueError(f"Unsupported INTACT_DATABASE_URL scheme: {parsed.scheme}")


DATABASES = {"default": database_from_url(env("INTACT_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and login ----------------------------------------------------
AUTH_USER_MODEL = "security.User"
LOGIN_URL = "security:login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "security:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Optional single sign-on with the organisation's own identity provider.
OIDC_ENABLED = env_bool("INTACT_OIDC_ENABLED")
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("intact.security.oidc.IntactOIDCBackend")
    OIDC_RP_CLIENT_ID = env("INTACT_OIDC_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = env("INTACT_OIDC_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("INTACT_OIDC_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = env("INTACT_OIDC_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = env("INTACT_OIDC_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = env("INTACT_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = env("INTACT_OIDC_SIGN_ALGO", "RS256")

# Lock-out after repeated failures, keyed on the account only: Intact stores
# no IP addresses (DESIGN rule 2), and staff behind one NAT must not lock
# each other out.
AXES_FAILURE_LIMIT = int(env("INTACT_LOGIN_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = float(env("INTACT_LOGIN_COOLOFF_HOURS", "1") or 1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_IPWARE_META_PRECEDENCE_ORDER: list[str] = []
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ACCESS_ATTEMPT_EXPIRATION = 24
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "intact.security.auth.no_client_ip"
AXES_VERBOSE = False

# --- sessions and cookies --------------------------------------------------
SESSION_COOKIE_AGE = int(env("INTACT_SESSION_SECONDS", str(8 * 3600)) or 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "intact_session"
CSRF_COOKIE_NAME = "intact_csrf"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "intact.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: under no-referrer browsers send "Origin: null"
# with every form POST, which Django's CSRF check rightly rejects (all forms
# would fail). same-origin sends nothing to any other host, and
# NoClientMetadataMiddleware drops the Referer before anything can store it.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: everything from our own origin, scripts and styles only from
# static files (no inline code), no framing, forms post only to ourselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- internationalisation ---------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "intact_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "files"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- keys ----------------------------------------------------------------------
# The master key wraps one data key per organisation. It comes from
# INTACT_MASTER_KEY (base64, 32 bytes) or from the key file, which the
# embedded installation creates on first use with mode 0600.
INTACT_MASTER_KEY = env("INTACT_MASTER_KEY")
INTACT_KEY_FILE = Path(env("INTACT_KEY_FILE", str(VAR_DIR / "keys.json")) or "")

# --- API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "intact.core.api.SessionAuthentication",
        "intact.security.api_auth.HashedTokenAuthentication",  # tokens kept as digests
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "intact.core.api.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "intact.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Intact API",
    "DESCRIPTION": "API of Intact, the integrity system. Errors are application/problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Choice sets with the same field name in several apps get stable names.
    "ENUM_NAME_OVERRIDES": {
        "FinancialKindEnum": "intact.registers.models.FinancialKind",
        "GiftKindEnum": "intact.registers.models.GiftKind",
        "CheckKindEnum": "intact.registers.models.CheckKind",
        "CheckStatusEnum": "intact.registers.models.CheckStatus",
        "ReportStatusEnum": "intact.reporting.models.ReportStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "intact.core.api.add_problem_responses",
    ],
}

# --- background tasks -----------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("INTACT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- mail --------------------------------------------------------------------
EMAIL_HOST = env("INTACT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("INTACT_EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("INTACT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("INTACT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("INTACT_EMAIL_TLS")
DEFAULT_FROM_EMAIL = env("INTACT_EMAIL_FROM", "intact@localhost")
EMAIL_TIMEOUT = 10

# --- logging -------------------------------------------------------------------
# No request logging with client addresses: django.server and gunicorn's
# access log are switched off (DESIGN rule 2); the audit log is the record.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env("INTACT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "intact.audit": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}

INTACT_PUBLIC_BASE_URL = env("INTACT_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Receipt key derivations (Argon2id, 19 MiB each) running at once per process,
# and how long a request waits for a slot before answering 503 (docs/receipts.md).
INTACT_KDF_CONCURRENCY = int(env("INTACT_KDF_CONCURRENCY", "2") or 2)
INTACT_KDF_WAIT_SECONDS = float(env("INTACT_KDF_WAIT_SECONDS", "2") or 2)
# Load shedding (intact.core.backpressure): requests at work at once per web
# process (0 turns it off), how many more may wait (first come, first served)
# and for how long for a slot, and the Retry-After of the 503 answered to the
# rest. The web server needs more threads per process than concurrency + queue
# (scripts/serve: 112); with PostgreSQL each thread may keep a connection, so
# max_connections must exceed workers x threads (or lower both settings).
INTACT_REQUEST_CONCURRENCY = int(env("INTACT_REQUEST_CONCURRENCY", "4") or 0)
INTACT_REQUEST_QUEUE = int(env("INTACT_REQUEST_QUEUE", "96") or 0)
INTACT_REQUEST_QUEUE_SECONDS = float(env("INTACT_REQUEST_QUEUE_SECONDS", "20") or 0)
INTACT_BUSY_RETRY_AFTER = int(env("INTACT_BUSY_RETRY_AFTER", "2") or 2)

SILENCED_SYSTEM_CHECKS = [
    # Lock-out is per account on purpose: Intact keeps no IP addresses (DESIGN rule 2).
    "axes.W006",
]
