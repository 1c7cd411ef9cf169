from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        # Parse the keys as the process starts, so a malformed key stops it
        # now rather than failing the first person who opens a file.
        from django.conf import settings

        from records import crypto

        crypto.parse_keyring(settings.FIELD_ENCRYPTION_KEYS)
        crypto.parse_blind_index_key(settings.BLIND_INDEX_KEY)

        from audit.registration import register_models

        register_models(self.get_models())
