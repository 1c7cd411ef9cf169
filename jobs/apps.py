from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Timed jobs"

    def ready(self) -> None:
        # Every app's jobs.py registers its jobs (jobs.registry.job) when imported.
        autodiscover_modules("jobs")
