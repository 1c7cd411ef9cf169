"""`manage.py run_due_jobs`: quiet when all is well, exit 1 when a job fails, a loop for `make run`."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from jobs import registry
from jobs.models import JobStatus

MINUTE = datetime.timedelta(minutes=1)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("run_due_jobs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def counted(job_registry: None) -> list[str]:
    runs: list[str] = []

    @registry.job("test.counted", every=MINUTE)
    def counted_job() -> str:
        runs.append("ran")
        return f"{len(runs)} run(s)"

    return runs


@pytest.mark.django_db
def test_the_command_runs_what_is_due_quietly(counted: list[str]) -> None:
    assert run() == ("", "")
    assert counted == ["ran"]
    assert JobStatus.objects.filter(name__in=["test.counted", "audit.seal"]).count() == 2


@pytest.mark.django_db
def test_the_command_says_what_ran_when_asked(counted: list[str]) -> None:
    out, _ = run("-v", "2")
    assert "test.counted: done in" in out and "1 run(s)" in out


@pytest.mark.django_db
def test_the_command_fails_naming_the_failed_job_after_running_the_others(
    counted: list[str], job_registry: None
) -> None:
    @registry.job("test.broken", every=MINUTE)
    def broken() -> None:
        raise KeyError("Ava Smith")

    with pytest.raises(CommandError, match="1 job\\(s\\) failed: test.broken") as failure:
        run()
    assert failure.value.returncode == 1
    assert counted == ["ran"]


@pytest.mark.django_db
def test_the_list_shows_each_job_and_how_it_last_went(counted: list[str], job_registry: None) -> None:
    @registry.job("test.broken", every=MINUTE)
    def broken() -> None:
        raise KeyError("Ava Smith")

    with pytest.raises(CommandError):
        run()
    out, _ = run("--list")
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    assert "last started" in lines["test.counted"]
    assert "failed 1 time(s) in a row: KeyError at test_command.py" in lines["test.broken"]
    assert "Ava" not in out


@pytest.mark.django_db
def test_force_runs_a_job_that_is_not_due(counted: list[str]) -> None:
    run()
    run()
    assert counted == ["ran"]
    run("--force", "test.counted")
    assert counted == ["ran", "ran"]


@pytest.mark.django_db
def test_force_names_the_known_jobs_when_given_an_unknown_one() -> None:
    with pytest.raises(CommandError, match="audit.seal"):
        run("--force", "audit.seel")


@pytest.mark.django_db(transaction=True, available_apps=["jobs"])
def test_every_keeps_running_round_after_round(counted: list[str]) -> None:
    run("--every", "0.01", "--rounds", "3", "--force", "test.counted")
    # Forced in the first round; due again only after a minute.
    assert counted == ["ran"]
    assert JobStatus.objects.get(name="test.counted").last_succeeded_at is not None


def test_every_takes_a_positive_number_of_seconds() -> None:
    with pytest.raises(CommandError, match="above 0"):
        run("--every", "0")
