from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access"
    SIGN_IN_MODELS = frozenset(
        {
            "totpdevice",
            "backupcodedevice",
            "backupcode",
            "trustedbrowser",
            "twofactorreset",
            "securitykey",
            "securitykeyattestation",
        }
    )

    def ready(self) -> None:
        from access import receivers  # noqa: F401, PLC0415 - signal wiring: facts are read again when access changes
        from access.services import lockout  # noqa: F401, PLC0415 - signal wiring: lockouts, trusted browsers
        from audit.registration import register_models  # noqa: PLC0415 - needs the app registry ready

        # Sign-in's own rows (devices, keys, codes, browsers, resets) change at every sign-in:
        # their services write the audit entries that matter (access/services/two_factor.py).
        register_models(m for m in self.get_models() if m._meta.model_name not in self.SIGN_IN_MODELS)
