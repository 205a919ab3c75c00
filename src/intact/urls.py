"""Root URLs. Each app mounts three URL modules:

* ``urls`` — the staff app under ``/app/<org>/`` (org is the organisation's slug);
* ``public_urls`` — public pages under ``/o/<org>/`` (report, mailbox, integrity page);
* ``api_urls`` — the API under ``/api/v1/``.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns  # noqa: F401 - language is chosen by cookie, not URL
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from intact.core import views as core_views

APPS = [
    "core",
    "security",
    "organisations",
    "reporting",
    "cases",
    "registers",
    "learning",
    "policy",
    "accountability",
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("account/", include("intact.security.account_urls")),
    path("app/", core_views.start, name="start"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("beheer/", admin.site.urls),
]
for _app in APPS:
    urlpatterns += [
        path("app/<slug:org>/", include(f"intact.{_app}.urls")),
        path("o/<slug:org>/", include(f"intact.{_app}.public_urls")),
        path("api/v1/", include(f"intact.{_app}.api_urls")),
    ]

handler404 = "intact.core.views.page_not_found"
handler500 = "intact.core.views.server_error"

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
