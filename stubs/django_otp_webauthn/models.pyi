from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.http import HttpRequest
from django_otp.models import Device, TimestampMixin
from webauthn.helpers.structs import PublicKeyCredentialDescriptor

def as_credential_descriptors(queryset: models.QuerySet[Any]) -> list[PublicKeyCredentialDescriptor]: ...

class AbstractWebAuthnCredential(TimestampMixin, Device):
    credential_type = models.CharField(max_length=32)
    credential_id = models.BinaryField(max_length=1023)
    public_key = models.BinaryField(max_length=1023)
    transports = models.JSONField(default=list)
    sign_count = models.PositiveIntegerField(default=0)
    backup_eligible = models.BooleanField(default=False)
    backup_state = models.BooleanField(default=False)
    aaguid = models.CharField(max_length=36)
    credential_id_sha256 = models.CharField(max_length=64, unique=True)
    discoverable = models.BooleanField(null=True)

    class Meta:
        abstract: ClassVar[bool]

    @classmethod
    def get_credential_id_sha256(cls, credential_id: bytes | memoryview) -> str: ...
    @classmethod
    def get_credential_descriptors_for_user(
        cls, user: AbstractBaseUser
    ) -> list[PublicKeyCredentialDescriptor]: ...
    @classmethod
    def get_webauthn_helper(cls, request: HttpRequest) -> Any: ...

class AbstractWebAuthnAttestation(models.Model):
    objects: ClassVar[models.Manager[Any]]
    fmt = models.CharField(max_length=255)
    data = models.BinaryField()
    client_data_json = models.BinaryField()

    class Meta:
        abstract: ClassVar[bool]
