import datetime
from concurrent.futures import Executor

from health_check.exceptions import HealthCheckException

class HealthCheckResult:
    check: HealthCheck
    error: HealthCheckException | None
    time_taken: float

class HealthCheck:
    timeout: datetime.timedelta
    def run(self) -> None: ...
    async def get_result(self, executor: Executor | None = ...) -> HealthCheckResult: ...
