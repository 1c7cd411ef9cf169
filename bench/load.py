"""Talking to the benchmark's server: signing in, fetching a page once, and loading it with wrk."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from base64 import b32decode
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from django_otp.oath import totp

from bench.database import BenchError
from bench.middleware import ASK_HEADER, COUNT_HEADER

LUA = Path(__file__).resolve().parent / "wrk.lua"
RESULT = re.compile(r"^BENCH (.*)$", re.MULTILINE)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TWO_FACTOR_PATH = "/accounts/two-factor/"


@dataclass(frozen=True)
class Fetched:
    status: int
    queries: int | None
    size: int  # bytes of HTML
    seconds: float  # how long it took, alone


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50: float  # milliseconds
    p95: float
    p99: float
    slowest: float
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def request(
    port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: str | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookies_of(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form, as a browser would; the session's Cookie header."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    token = CSRF_INPUT.search(body.decode())
    csrf = cookies_of(headers).get("csrftoken")
    if status != 200 or not token or not csrf:
        raise BenchError(f"The login page did not offer a form to sign in with (status {status}).")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        raise BenchError(f"Signing in as {username} failed (status {status}); is the demo loaded?")
    if headers.get("Location", "").startswith(TWO_FACTOR_PATH):
        session = give_code(port, username, csrf, session)
    return f"sessionid={session}"


def give_code(port: int, username: str, csrf: str, session: str) -> str:
    """The demo's staff give a two-factor code after the password: worked out from the
    demo's published key (access/management/demo_two_factor.py, README). The session key
    changes when a code is accepted."""
    cookie = f"csrftoken={csrf}; sessionid={session}"
    status, headers, body = request(port, "GET", TWO_FACTOR_PATH, headers={"Cookie": cookie})
    token = CSRF_INPUT.search(body.decode())
    if status != 200 or not token:
        raise BenchError(f"The two-factor page did not offer a form to {username} (status {status}).")
    key = b32decode(f"CONFIDEDEMO{username.upper()}".ljust(32, "A"))
    code = f"{totp(key, step=30, digits=6):06d}"
    form = urllib.parse.urlencode({"code": code, "csrfmiddlewaretoken": token.group(1)})
    status, headers, _ = request(
        port,
        "POST",
        TWO_FACTOR_PATH,
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    verified = cookies_of(headers).get("sessionid")
    if status != 302 or not verified:
        raise BenchError(f"{username}'s two-factor code was refused (status {status}).")
    return verified


def fetch(port: int, path: str, cookie: str) -> Fetched:
    """The page once, with its query count (bench.middleware)."""
    started = time.monotonic()
    status, headers, body = request(port, "GET", path, headers={"Cookie": cookie, ASK_HEADER: "1"})
    count = headers.get(COUNT_HEADER)
    seconds = time.monotonic() - started
    return Fetched(status=status, queries=int(count) if count else None, size=len(body), seconds=seconds)


def pinned(cpu: int | None, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if cpu is not None else command


def run_wrk(
    port: int, path: str, cookie: str, *, clients: int, seconds: float, cpu: int | None
) -> dict[str, int]:
    """wrk on the page: `clients` connections, one thread each, for `seconds`; its results."""
    executable = shutil.which("wrk")
    if not executable:
        raise BenchError("wrk is not installed (apt-get install wrk).")
    command = pinned(
        cpu,
        [
            executable,
            f"--threads={clients}",
            f"--connections={clients}",
            f"--duration={max(1, round(seconds))}s",
            "--timeout=60s",
            f"--script={LUA}",
            f"http://127.0.0.1:{port}{path}",
        ],
    )
    done = subprocess.run(  # noqa: S603 - our own command line
        command, env={**os.environ, "BENCH_COOKIE": cookie}, capture_output=True, text=True, check=False
    )
    found = RESULT.search(done.stdout)
    if done.returncode or not found:
        raise BenchError(f"wrk failed on {path}: {done.stderr.strip() or done.stdout.strip()}")
    values = {k: int(v) for k, v in (item.split("=") for item in found.group(1).split())}
    if values["non2xx"]:
        raise BenchError(f"{path} answered {values['non2xx']} requests with an error status under load.")
    return values


def warm_up(port: int, path: str, cookie: str, *, clients: int, seconds: float, cpu: int | None) -> None:
    """Load the page without measuring (a page slower than this lasts may complete no request)."""
    run_wrk(port, path, cookie, clients=clients, seconds=seconds, cpu=cpu)


def wrk(port: int, path: str, cookie: str, *, clients: int, seconds: float, cpu: int | None) -> Load:
    """Measure the page under load from `clients` clients at once, for `seconds`."""
    values = run_wrk(port, path, cookie, clients=clients, seconds=seconds, cpu=cpu)
    if not values["requests"]:
        raise BenchError(f"wrk completed no request to {path} in {seconds:g} s: try a longer --seconds.")
    return Load(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50=values["p50_us"] / 1e3,
        p95=values["p95_us"] / 1e3,
        p99=values["p99_us"] / 1e3,
        slowest=values["max_us"] / 1e3,
        socket_errors=values["socket_errors"],
    )
