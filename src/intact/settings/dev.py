"""The embedded installation that ``make run`` starts."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False  # the demo runs as in production: no debug pages with data in them
SECRET_KEY = env("INTACT_SECRET_KEY") or ""
if not SECRET_KEY:
    from intact.core.secrets import local_secret_key

    SECRET_KEY = local_secret_key(VAR_DIR)
# Mail of the embedded installation goes to files under var/mail (one file per
# message) instead of flooding the terminal; set INTACT_EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and INTACT_EMAIL_* for real mail.
EMAIL_BACKEND = env("INTACT_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
