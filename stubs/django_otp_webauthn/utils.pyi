from logging import Logger
from types import TracebackType

class rewrite_exceptions:
    def __init__(self, logger: Logger | None = ...) -> None: ...
    def __enter__(self) -> None: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> bool: ...
