from collections.abc import Collection
from typing import Any

from django.db import models

class AuditlogModelRegistry:
    def register(
        self,
        model: type[models.Model] | None = None,
        include_fields: list[str] | None = None,
        exclude_fields: list[str] | None = None,
        mapping_fields: dict[str, str] | None = None,
        mask_fields: list[str] | None = None,
        mask_callable: str | None = None,
        m2m_fields: Collection[str] | None = None,
        serialize_data: bool = False,
        serialize_kwargs: dict[str, Any] | None = None,
        serialize_auditlog_fields_only: bool = False,
    ) -> Any: ...
    def contains(self, model: type[models.Model]) -> bool: ...
    def unregister(self, model: type[models.Model]) -> None: ...
    def get_models(self) -> list[type[models.Model]]: ...

auditlog: AuditlogModelRegistry
