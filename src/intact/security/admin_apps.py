"""App config that gives django.contrib.admin Intact's locked-down site."""

from django.contrib.admin.apps import AdminConfig


class IntactAdminConfig(AdminConfig):
    """django.contrib.admin with :class:`intact.security.admin_site.IntactAdminSite`."""

    default_site = "intact.security.admin_site.IntactAdminSite"
