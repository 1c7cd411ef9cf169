"""
The start script serves Confide: in production behind a TLS proxy, and in local
mode over plain HTTP. The container image runs that same script (the image is
not built here: there is no container engine on CI).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

from tests.test_settings import ROOT, local_env, production_env

START_TIMEOUT = 120  # seconds: migrating a new SQLite database, collecting static files, booting


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, str]:
    opener = urllib.request.build_opener(NoRedirects)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own server on loopback
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@contextmanager
def started(env: dict[str, str], folder: Path) -> Iterator[str]:
    """bin/start with `env` on a scratch SQLite database and a free loopback port."""
    port = free_port()
    log = folder / "server.log"
    env = {
        **env,
        "DATABASE_URL": f"sqlite:///{folder / 'confide.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / "bin" / "start")], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                get(f"{base}/accounts/login/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        else:
            raise AssertionError(f"bin/start did not serve at {base}:\n{log.read_text(errors='replace')}")
        yield base
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def cookie(headers: Message, name: str) -> str:
    found = [c for c in headers.get_all("Set-Cookie") or [] if c.startswith(f"{name}=")]
    assert found, f"no {name} cookie"
    return found[0]


def test_the_start_script_serves_the_sign_in_page_with_production_settings(tmp_path: Path) -> None:
    env = production_env(ALLOWED_HOSTS="127.0.0.1", SECURE_PROXY_SSL_HEADER="1")
    with started(env, tmp_path) as base:
        status, headers, _ = get(f"{base}/accounts/login/")
        assert status == 301 and headers["Location"].startswith("https://")  # HTTPS only

        # As it arrives through the TLS proxy:
        status, headers, page = get(f"{base}/accounts/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200, page
        assert "Sign in" in page
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "Secure" in cookie(headers, "csrftoken")
        stylesheet = page.split('href="/static/css/', 1)[1].split('"', 1)[0]
        assert get(f"{base}/static/css/{stylesheet}", {"X-Forwarded-Proto": "https"})[0] == 200


def test_the_start_script_in_local_mode_serves_plain_http_and_no_debug_pages(tmp_path: Path) -> None:
    with started(local_env(), tmp_path) as base:
        status, headers, page = get(f"{base}/accounts/login/")
        assert status == 200 and "Sign in" in page
        assert "Secure" not in cookie(headers, "csrftoken")

        status, _, page = get(f"{base}/no-such-page/")
        assert status == 404
        assert "Not found · Confide" in page
        assert "URLconf" not in page and "DEBUG = True" not in page  # Django's debug page says both


def instructions(dockerfile: str, name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in dockerfile.splitlines() if line.startswith(f"{name} ")]


def test_the_image_starts_with_the_start_script() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert instructions(dockerfile, "ENTRYPOINT") == []
    command = json.loads(instructions(dockerfile, "CMD")[-1])
    assert command == ["bin/start"]
    assert os.access(ROOT / "bin" / "start", os.X_OK)


def test_the_image_installs_what_production_needs_and_no_test_tools() -> None:
    runtime = (ROOT / "requirements.txt").read_text().split("# Tests and quality gates", 1)[0]
    names = {line.split("==")[0].split("[")[0] for line in runtime.splitlines() if "==" in line}
    assert {"Django", "gunicorn", "whitenoise", "psycopg2-binary", "django-storages", "boto3"} <= names
    assert not names & {"pytest", "playwright", "mypy", "ruff"}
    assert "sed '/^# Tests and quality gates/,$d' requirements.txt" in (ROOT / "Dockerfile").read_text()


def test_compose_runs_the_image_with_postgresql_and_the_timed_jobs() -> None:
    compose = (ROOT / "compose.yaml").read_text()
    assert "image: postgres:15" in compose
    assert 'command: ["python", "manage.py", "run_due_jobs", "--every", "60"]' in compose
    assert 'DEBUG: "0"' in compose and "SECRET_KEY_FILE: /run/secrets/secret_key" in compose
