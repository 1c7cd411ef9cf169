from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from access import receivers  # noqa: F401, PLC0415 - signal wiring: facts are read again when access changes
        from audit.registration import register_models  # noqa: PLC0415 - needs the app registry ready

        register_models(self.get_models())
