"""The Django admin at /beheer/, locked down for technical administration.

Only active superusers and staff users (technical administrators) who have
passed the second factor may enter; everyone else gets the login page or a
404. The site refuses to register any model with an encrypted field, so no
confidential content can ever be read or edited here (DESIGN rule 1).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def has_encrypted_field(model: Any) -> bool:
    from intact.security.fields import _EncryptedField

    return any(isinstance(f, _EncryptedField) for f in model._meta.get_fields())


class IntactAdminSite(admin.AdminSite):
    site_header = _("Intact – technisch beheer")
    site_title = _("Intact beheer")
    index_title = _("Technisch beheer")

    def has_permission(self, request: Any) -> bool:
        user = request.user
        if not (user.is_active and (user.is_superuser or user.is_staff)):
            return False
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())

    def login(self, request: Any, extra_context: Any = None) -> Any:
        if request.user.is_authenticated:
            # Logged in but not an administrator: as if the admin did not exist.
            raise Http404
        return redirect_to_login(request.get_full_path(), reverse("security:login"))

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models = model_or_iterable if isinstance(model_or_iterable, (list, tuple)) else [model_or_iterable]
        for model in models:
            if has_encrypted_field(model):
                raise ImproperlyConfigured(
                    f"{model._meta.label} holds encrypted (confidential) fields and may not be in the admin"
                )
        super().register(model_or_iterable, admin_class, **options)
