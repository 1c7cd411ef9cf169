from django.apps import AppConfig
from django.conf import settings

from crypto import core


class CryptoConfig(AppConfig):
    name = "crypto"
    verbose_name = "Encryption"

    def ready(self) -> None:
        # Parse the keys as the process starts, so a malformed key stops it
        # now rather than failing the first person who opens a file.
        core.parse_keyring(settings.FIELD_ENCRYPTION_KEYS)
        core.parse_blind_index_key(settings.BLIND_INDEX_KEY)
        core.parse_mac_keyring(settings.AUDIT_CHAIN_KEYS)
