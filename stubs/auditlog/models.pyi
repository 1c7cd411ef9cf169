from typing import Any, ClassVar, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

_T = TypeVar("_T", bound=models.Model)

class LogEntryManager(models.Manager[_T]):
    def log_create(self, instance: models.Model, force_log: bool = False, **kwargs: Any) -> _T | None: ...

class AbstractLogEntry(models.Model):
    class Action:
        CREATE: ClassVar[int]
        UPDATE: ClassVar[int]
        DELETE: ClassVar[int]
        ACCESS: ClassVar[int]
        choices: ClassVar[tuple[tuple[int, str], ...]]

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_pk = models.CharField(max_length=255)
    object_id = models.BigIntegerField(blank=True, null=True)
    object_repr = models.TextField()
    serialized_data = models.JSONField(null=True)
    action = models.PositiveSmallIntegerField()
    changes_text = models.TextField(blank=True)
    changes = models.JSONField(null=True)
    cid = models.CharField(max_length=255, blank=True, null=True)  # noqa: DJ001 - as django-auditlog has it
    remote_addr = models.GenericIPAddressField(blank=True, null=True)
    remote_port = models.PositiveIntegerField(blank=True, null=True)
    timestamp = models.DateTimeField()
    additional_data = models.JSONField(blank=True, null=True)
    actor_email = models.CharField(max_length=254, blank=True, null=True)  # noqa: DJ001 - as django-auditlog has it

    class Meta:
        abstract: ClassVar[bool]
        get_latest_by: ClassVar[str]
        ordering: ClassVar[list[str]]
        verbose_name: ClassVar[str]
        verbose_name_plural: ClassVar[str]

    @property
    def changes_dict(self) -> dict[str, Any]: ...
    def changes_str(self, colon: str = ..., arrow: str = ..., separator: str = ...) -> str: ...
    @property
    def changes_display_dict(self) -> dict[str, Any]: ...
