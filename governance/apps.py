"""The setting's governance: policies adopted, read and acknowledged, induction and
training, and the trustees' pages (docs/governance.md)."""

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from audit.registration import register_models  # noqa: PLC0415 - needs the app registry ready
        from governance import receivers  # noqa: F401, PLC0415 - signal wiring: the policies first after sign-in

        register_models(self.get_models())
