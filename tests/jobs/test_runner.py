"""Timed jobs run when due, once at a time, and a failure is recorded without stopping the others."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction

from jobs import registry, runner
from jobs.models import JobStatus
from jobs.registry import Job
from jobs.runner import Outcome

NOON = datetime.datetime(2026, 11, 16, 12, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


class Counter:
    """A job's function that counts its runs."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> str:
        self.runs += 1
        return f"run {self.runs}"


def counting_job(name: str = "test.count", every: datetime.timedelta = MINUTE) -> tuple[Job, Counter]:
    counter = Counter()
    return Job(name=name, every=every, run=counter), counter


def outcomes(results: list[runner.Result]) -> dict[str, Outcome]:
    return {r.job: r.outcome for r in results}


@pytest.mark.django_db
def test_a_job_runs_when_due_and_not_before() -> None:
    job, counter = counting_job(every=datetime.timedelta(hours=1))
    with time_machine.travel(NOW := NOON, tick=False) as clock:
        assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.SUCCEEDED}
        status = JobStatus.objects.get(name="test.count")
        assert status.last_started_at == status.last_succeeded_at == NOW
        assert not status.running

        clock.shift(datetime.timedelta(minutes=30))
        assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.NOT_DUE}
        clock.shift(datetime.timedelta(minutes=25))  # 55 minutes: early by more than its slack
        assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.NOT_DUE}
        clock.shift(datetime.timedelta(minutes=5))
        assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.SUCCEEDED}
    assert counter.runs == 2


@pytest.mark.django_db
def test_a_job_every_minute_is_not_skipped_for_a_second_of_jitter() -> None:
    job, counter = counting_job(every=MINUTE)
    with time_machine.travel(NOON, tick=False) as clock:
        runner.run_due(jobs=[job])
        clock.shift(datetime.timedelta(seconds=59))  # cron started this run a moment early
        runner.run_due(jobs=[job])
    assert counter.runs == 2


@pytest.mark.django_db
def test_forcing_a_job_runs_it_before_it_is_due() -> None:
    job, counter = counting_job(every=datetime.timedelta(days=1))
    runner.run_due(jobs=[job])
    assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.NOT_DUE}
    assert outcomes(runner.run_due(jobs=[job], force=["test.count"])) == {"test.count": Outcome.SUCCEEDED}
    assert counter.runs == 2


def fails_with_personal_data() -> str:
    raise ValueError("Ava Smith, born 2022-03-14, could not be reminded")


@pytest.mark.django_db
def test_a_failing_job_is_recorded_without_its_message_and_the_others_still_run() -> None:
    failing = Job(name="test.fails", every=MINUTE, run=fails_with_personal_data)
    after, counter = counting_job("test.z_after")
    with time_machine.travel(NOON, tick=False):
        results = runner.run_due(jobs=[failing, after])
    assert outcomes(results) == {"test.fails": Outcome.FAILED, "test.z_after": Outcome.SUCCEEDED}
    assert counter.runs == 1

    status = JobStatus.objects.get(name="test.fails")
    assert status.last_failed_at == NOON and status.last_succeeded_at is None
    assert status.failures_in_a_row == 1
    assert status.last_error.startswith("ValueError at test_runner.py:")
    assert "fails_with_personal_data" in status.last_error
    assert "Ava" not in status.last_error and "2022" not in status.last_error
    assert not status.running  # finished, if badly: it may run again when due


@pytest.mark.django_db
def test_failures_in_a_row_are_counted_until_a_run_succeeds() -> None:
    state = {"fail": True}

    def flaky() -> None:
        if state["fail"]:
            raise RuntimeError("no")

    job = Job(name="test.flaky", every=MINUTE, run=flaky)
    with time_machine.travel(NOON, tick=False) as clock:
        for _ in range(3):
            runner.run_due(jobs=[job])
            clock.shift(MINUTE)
        assert JobStatus.objects.get(name="test.flaky").failures_in_a_row == 3
        state["fail"] = False
        runner.run_due(jobs=[job])
    status = JobStatus.objects.get(name="test.flaky")
    assert status.failures_in_a_row == 0
    assert status.last_succeeded_at == NOON + 3 * MINUTE
    assert status.last_error.startswith("RuntimeError")  # what failed last is kept


@pytest.mark.django_db
def test_a_run_that_never_finished_holds_the_job_until_its_timeout() -> None:
    job, counter = counting_job()
    # A runner was killed while running the job: started, never finished.
    JobStatus.objects.create(name="test.count", last_started_at=NOON)
    with time_machine.travel(NOON + 10 * MINUTE, tick=False):
        assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.BUSY}
    with time_machine.travel(NOON + job.timeout, tick=False):
        assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.SUCCEEDED}
    assert counter.runs == 1


@pytest.mark.django_db(transaction=True, available_apps=["jobs"])
def test_a_job_running_in_one_runner_is_not_started_by_another() -> None:
    inside, release = threading.Event(), threading.Event()
    runs = []

    def slow() -> None:
        runs.append(1)
        inside.set()
        release.wait(10)

    job = Job(name="test.slow", every=MINUTE, run=slow)
    first: list[runner.Result] = []

    def first_runner() -> None:
        try:
            first.extend(runner.run_due(jobs=[job]))
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_runner)
    thread.start()
    try:
        assert inside.wait(10)
        second = runner.run_due(jobs=[job], force=["test.slow"])  # due or not, it is running
    finally:
        release.set()
        thread.join(10)
    assert outcomes(second) == {"test.slow": Outcome.BUSY}
    assert outcomes(first) == {"test.slow": Outcome.SUCCEEDED}
    assert runs == [1]


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite lets one writer in at a time already"
)


@postgres_only
@pytest.mark.django_db(transaction=True, available_apps=["jobs"])
def test_runners_starting_at_the_same_moment_run_a_job_once() -> None:
    job, counter = counting_job()
    runners = 4
    start = threading.Barrier(runners)
    results: list[runner.Result] = []

    def run() -> None:
        try:
            start.wait(10)
            results.extend(runner.run_due(jobs=[job]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert counter.runs == 1
    assert len(results) == runners
    assert [r.outcome for r in results].count(Outcome.SUCCEEDED) == 1
    assert {r.outcome for r in results} <= {Outcome.SUCCEEDED, Outcome.BUSY, Outcome.NOT_DUE}


@postgres_only
@pytest.mark.django_db(transaction=True, available_apps=["jobs"])
def test_a_runner_passes_over_a_job_another_is_claiming_without_waiting() -> None:
    job, counter = counting_job()
    JobStatus.objects.create(name="test.count")
    locked, release = threading.Event(), threading.Event()

    def claiming() -> None:
        try:
            with transaction.atomic():
                JobStatus.objects.select_for_update().get(name="test.count")
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=claiming)
    thread.start()
    try:
        assert locked.wait(10)
        assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.BUSY}
    finally:
        release.set()
        thread.join(10)
    assert counter.runs == 0
    assert outcomes(runner.run_due(jobs=[job])) == {"test.count": Outcome.SUCCEEDED}


# --- declaring jobs --------------------------------------------------------------------------


def test_apps_declare_jobs_in_their_jobs_module(job_registry: None) -> None:
    @registry.job("test.declared", every=datetime.timedelta(hours=6))
    def declared() -> str:
        return ""

    found = registry.get("test.declared")
    assert found.run is declared and found.every == datetime.timedelta(hours=6)
    assert "test.declared" in [j.name for j in registry.registered()]


def test_a_job_name_is_declared_once(job_registry: None) -> None:
    registry.job("test.once", every=MINUTE)(fails_with_personal_data)
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        registry.job("test.once", every=MINUTE)(Counter())


@pytest.mark.parametrize("name", ["seal", "Audit.Seal", "audit seal", ""])
def test_a_job_name_says_which_app_owns_it(name: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        registry.job(name, every=MINUTE)


def test_a_job_is_due_after_some_time() -> None:
    with pytest.raises(ImproperlyConfigured):
        registry.job("test.never", every=datetime.timedelta(0))


def test_an_unknown_job_is_named_with_the_known_ones() -> None:
    with pytest.raises(LookupError, match="audit.seal"):
        registry.get("test.unknown")
