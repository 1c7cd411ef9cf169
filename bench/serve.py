"""The benchmark's environment and server: generated keys, production-like settings, gunicorn."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.database import ROOT, BenchError
from bench.load import pinned, request

VAR = ROOT / "var" / "bench"
KEYS = VAR / "keys.env"
KEY_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_CHAIN_KEYS")
# Settings the caller's environment might hold (development keys, a database, local mode...):
# the benchmark's processes get none of them but its own.
CLEARED = (
    *KEY_NAMES,
    "DEBUG",
    "CONFIDE_LOCAL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "ATTACHMENT_STORAGE",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
)


def keys(path: Path = KEYS) -> dict[str, str]:
    """The benchmark's own production-like keys, generated once (the seeded data is sealed with
    them, so they are kept, in var/bench/keys.env, readable by this user only)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        field_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        blind_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        path.touch(mode=0o600)
        path.write_text(
            "# Keys of the benchmark's scratch databases (make bench). Not for any real data.\n"
            f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
            f"FIELD_ENCRYPTION_KEYS=bench1:{field_key}\n"
            f"BLIND_INDEX_KEY=bench:{blind_key}\n"
        )
    if "AUDIT_CHAIN_KEYS=" not in path.read_text():  # a keys file from before the chain was keyed
        with path.open("a") as keys_file:
            keys_file.write(
                f"AUDIT_CHAIN_KEYS=bench1:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}\n"
            )
    found = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name in KEY_NAMES:
            found[name] = value.strip()
    if set(found) != set(KEY_NAMES):
        raise BenchError(f"{path} lacks some of {', '.join(KEY_NAMES)}; delete it to have new keys made.")
    return found


def environment(secrets_: dict[str, str], database_url: str) -> dict[str, str]:
    """How the benchmark's processes run Confide: as production does (DEBUG off, its own keys,
    one allowed host), over plain HTTP on the loopback, with the benchmark's settings."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED and k.removesuffix("_FILE") not in CLEARED}
    return (
        env
        | secrets_
        | {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(VAR / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )


def manage(env: dict[str, str], *args: str) -> None:
    """Run a manage.py command in the benchmark's environment; its output goes to stderr."""
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=sys.stderr, check=False
    )
    if done.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed (exit status {done.returncode}).")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], *, cpu: int | None, log: Path) -> Iterator[int]:
    """gunicorn serving bench.wsgi (2 sync workers, bench/gunicorn_conf.py), pinned to `cpu`;
    yields its port once the login page answers, and stops it afterwards."""
    port = free_port()
    command = pinned(
        cpu,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--config=python:bench.gunicorn_conf",
            f"--bind=127.0.0.1:{port}",
        ],
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
                raise BenchError(f"The server stopped as it started (see {log}):\n{tail}")
            try:
                if request(port, "GET", "/accounts/login/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"The server did not answer within two minutes (see {log}).")
            time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
