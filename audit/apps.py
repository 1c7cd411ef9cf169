from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from django.contrib import admin

        from audit import receivers  # noqa: F401, PLC0415 - signal wiring: connects the sign-in receivers

        # django-auditlog registers the trail in the admin, where a superuser
        # could browse it unaudited. The trail has its own pages.
        entry = self.get_model("AuditEntry")
        if admin.site.is_registered(entry):
            admin.site.unregister(entry)
