from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.http import HttpRequest

class AxesProxyHandler:
    @classmethod
    def get_implementation(cls, force: bool = ...) -> AxesDatabaseHandler: ...
    @staticmethod
    def update_request(request: HttpRequest | None) -> None: ...
    @classmethod
    def is_allowed(cls, request: HttpRequest, credentials: dict[str, Any] | None = ...) -> bool: ...
    @classmethod
    def is_locked(cls, request: HttpRequest, credentials: dict[str, Any] | None = ...) -> bool: ...
