from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

auditlog_disabled: ContextVar[bool]

@contextmanager
def disable_auditlog() -> Iterator[None]: ...
