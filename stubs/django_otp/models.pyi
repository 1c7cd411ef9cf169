from typing import Any, ClassVar

from django.conf import settings
from django.db import models

class DeviceManager(models.Manager[Any]):
    def devices_for_user(self, user: Any, confirmed: bool | None = ...) -> models.QuerySet[Any]: ...

class Device(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=True)

    objects: ClassVar[DeviceManager]

    class Meta:
        abstract: ClassVar[bool]

    @property
    def persistent_id(self) -> str: ...
    @classmethod
    def model_label(cls) -> str: ...
    @classmethod
    def from_persistent_id(cls, persistent_id: str, for_verify: bool = ...) -> Device | None: ...
    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
    def verify_token(self, token: Any) -> bool: ...

class ThrottlingMixin(models.Model):
    throttling_failure_timestamp = models.DateTimeField(null=True, blank=True, default=None)
    throttling_failure_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract: ClassVar[bool]

    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
    def throttle_reset(self, commit: bool = ...) -> None: ...
    def throttle_increment(self, commit: bool = ...) -> None: ...
    def get_throttle_factor(self) -> int: ...

class TimestampMixin(models.Model):
    created_at = models.DateTimeField(null=True, blank=True, auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract: ClassVar[bool]

    def set_last_used_timestamp(self, commit: bool = ...) -> None: ...
