from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from django.contrib import admin

        from audit import receivers  # noqa: F401 - connects the sign-in receivers
        from audit.models import AuditEntry

        # django-auditlog registers the trail in the admin, where a superuser
        # could browse it unaudited. The trail has its own pages.
        if admin.site.is_registered(AuditEntry):
            admin.site.unregister(AuditEntry)
