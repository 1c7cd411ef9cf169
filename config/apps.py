"""Django's admin as django-otp's OTPAdminSite: only staff verified by a device get in."""

from django.contrib.admin.apps import AdminConfig


class TwoFactorAdminConfig(AdminConfig):
    default_site = "django_otp.admin.OTPAdminSite"
