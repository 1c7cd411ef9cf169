from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from audit.registration import register_models  # noqa: PLC0415 - needs the app registry ready

        register_models(self.get_models())
