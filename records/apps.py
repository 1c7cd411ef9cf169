from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from audit.registration import register_models  # noqa: PLC0415 - needs the app registry ready

        # When someone last looked at a file changes at every look: the file's audit entry
        # records the look itself.
        register_models(m for m in self.get_models() if m._meta.model_name != "filevisit")
