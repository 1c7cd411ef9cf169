from typing import Any

from django.http import HttpRequest

class AxesStandaloneBackend:
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = ...,
        password: str | None = ...,
        **kwargs: Any,
    ) -> Any: ...
