"""The admin app with our site as the default (listed in settings' INSTALLED_APPS)."""

from django.contrib.admin.apps import AdminConfig


class HaatAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``HaatAdminSite`` (two-factor required) as the default site."""

    default_site = "haat.staff.admin_site.HaatAdminSite"
