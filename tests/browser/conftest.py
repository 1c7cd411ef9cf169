"""
Browser tests: real journeys through a running Confide, in headless Chromium.

Django's live_server cannot be used: it empties tables between tests, and the
audit trail refuses DELETE and TRUNCATE. Instead one real server runs for the
whole of tests/browser, on a scratch database loaded with the demo data
(`seed_demo`): a fresh PostgreSQL database next to the one DATABASE_URL names,
dropped afterwards, or a SQLite file in a temporary folder.

Fixtures and helpers:

``server``
    The running server: ``server.url`` (``http://127.0.0.1:<port>``),
    ``server.keys_url`` (the same at ``localhost``, its SITE_URL, where WebAuthn
    works) and ``server.log`` (the file its output goes to).
``page``
    A fresh browser context (no cookies) and page for each test; relative URLs
    work (``page.goto("/children/")``). When a test fails, a screenshot is
    saved as ``var/screenshots/<test>-failed.png`` and the server's output
    during the test is printed.
``snap(page, name)``
    Saves a full-page screenshot as ``var/screenshots/<test>-<NN>-<name>.png``
    and checks the page with axe (``assert_accessible``). Snap every page a
    journey visits.
``new_page(**context_options)``
    Another page in its own context, for a second person in the same test;
    options go to ``browser.new_context`` (``java_script_enabled=False``, or
    ``base_url=server.keys_url`` for passkeys and security keys).
    axe-core runs in the page: ``snap`` never returns in a page without
    JavaScript, so check such a page's address in a page that has it.
``sign_in(page, username)``
    Signs in through the real sign-in form with the demo password, and, when the
    page asks, a two-factor code worked out from the demo's published key
    (access/management/demo_two_factor.py).
``assert_accessible(page)``
    Runs axe-core on the page; fails listing every violation of impact
    "serious" or "critical" (rule, help, the elements affected).
``field(page, label)``
    The form control whose visible label is ``label`` (an "(optional)" hint
    after it is allowed).
``fill(page, {label: value}, only_if_shown=False)``
    Fills controls by visible label: a drop-down by its option's text,
    anything else by typing, and returns what it filled. With
    ``only_if_shown``, labels the page does not show are passed over (for
    questions that depend on an earlier answer).

Chromium comes from the system (`apt-get install -y chromium`), or from the
path in CHROMIUM_PATH; nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import psycopg2
import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from access.management.demo_two_factor import demo_key_hex

BASE_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS = BASE_DIR / "var" / "screenshots"
DEMO_PASSWORD = "confide-demo-2026"  # the demo data's password (records/management/commands/seed_demo.py)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60  # seconds, for migrate, seed_demo and runserver together
BLOCKING_IMPACTS = ("serious", "critical")

# The browser and the server belong to this package, not to the whole session:
# while Playwright's sync API is alive, asyncio reports a running event loop in
# this thread, and Django then refuses database access in the tests that follow.
SCOPE = "package"


# --- the server -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    def output_since(self, offset: int) -> str:
        with self.log.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode(errors="replace")

    def log_size(self) -> int:
        return self.log.stat().st_size

    @property
    def keys_url(self) -> str:
        """The same server by name (localhost), where passkeys and security keys work."""
        return self.url.replace("127.0.0.1", "localhost")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def _postgres_admin(url: str) -> psycopg2.extensions.connection:
    """A connection to the server DATABASE_URL names, outside any transaction."""
    params = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    connection.autocommit = True
    return connection


@pytest.fixture(scope=SCOPE)
def scratch_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of the server's own: on the PostgreSQL server DATABASE_URL
    names if it names one, otherwise a SQLite file."""
    configured = os.environ.get("DATABASE_URL", "")
    if not _is_postgres(configured):
        yield f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'confide.sqlite3'}"
        return
    parts = urlsplit(configured)
    name = f"{parts.path.lstrip('/') or 'confide'}_browser_{secrets.token_hex(4)}"
    admin = _postgres_admin(configured)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        admin = _postgres_admin(configured)
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            admin.close()


def _run_step(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        out.write(f"$ manage.py {' '.join(args)}\n".encode())
        out.flush()
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=SERVER_START_TIMEOUT,
            check=False,
        )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{log.read_text(errors='replace')}", pytrace=False)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"The server did not start at {url}:\n{log.read_text(errors='replace')}", pytrace=False)


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope=SCOPE)
def server(scratch_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Confide on a free port, with the demo data loaded, until the browser tests end."""
    folder = tmp_path_factory.mktemp("browser-server")
    media = folder / "media"
    media.mkdir()
    log = folder / "server.log"
    log.touch()
    env = {
        **os.environ,  # the keys: `make test` reads var/dev.env, and manage.py does without them
        "DATABASE_URL": scratch_database_url,
        "MEDIA_ROOT": str(media),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    _run_step(["migrate", "--noinput"], env, log)
    _run_step(["seed_demo"], env, log)
    url = f"http://127.0.0.1:{_free_port()}"
    # Security keys answer only to a host name, never an IP address: at localhost (Server.keys_url).
    env["SITE_URL"] = url.replace("127.0.0.1", "localhost")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                url.removeprefix("http://"),
                "--noreload",
                "--settings",
                "tests.browser.server_settings",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(url, process, log)
        yield Server(url=url, log=log)
    finally:
        _stop(process)


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope=SCOPE)
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope=SCOPE)
def browser(playwright: Playwright) -> Iterator[Browser]:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(path).is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"Chromium is not installed at {path}. Install it with `apt-get install -y chromium`, "
            "or set CHROMIUM_PATH to a Chromium or Chrome binary.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    # Kept on the test, so that fixtures can tell in their teardown whether it failed.
    setattr(item, f"report_{report.when}", report)
    return report


# Every page reports what its Content-Security-Policy blocked (the policy is enforced,
# never bypassed: axe is injected with page.evaluate, which the policy allows).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__confideCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"} `
    + `on ${document.location.pathname} (${event.sourceFile || "the page"}:${event.lineNumber})`
  );
});
"""


@pytest.fixture
def new_page(
    browser: Browser, server: Server, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """Pages in fresh contexts (each its own person), closed at the end of the test.
    A test fails if any of its pages broke the Content-Security-Policy."""
    pages: list[Page] = []
    violations: list[str] = []

    def make(**context_options: Any) -> Page:
        options = {
            "base_url": server.url,
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            **context_options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(20_000)
        context.expose_binding("__confideCspViolation", lambda source, text: violations.append(text))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        pages.append(context.new_page())
        return pages[-1]

    log_start = server.log_size()
    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, page in enumerate(pages, start=1):
            suffix = "" if number == 1 else f"-{number}"
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=_screenshot_path(request.node, f"failed{suffix}"), full_page=True)
        print(f"Server output during the test:\n{server.output_since(log_start)}")
    for page in pages:
        page.context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


# --- screenshots and accessibility ----------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots_folder() -> None:
    """Screenshots are of this run only."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)


def _screenshot_path(node: pytest.Item, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = node.name.replace("[", "-").replace("]", "")  # parameters: test_x[a] -> test_x-a
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{test}-{name}")
    return SCREENSHOTS / f"{safe}.png"


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Fail, listing them, if axe-core finds serious or critical violations on the page."""
    # Only violations are needed: axe then skips detailing what passed, which is faster.
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"{len(blocking)} serious or critical accessibility violation(s) on {page.url}:"]
    for violation in blocking:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(" > ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    {target}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


Snap = Callable[[Page, str], Path]


@pytest.fixture
def snap(request: pytest.FixtureRequest) -> Snap:
    """snap(page, name): a numbered full-page screenshot of this test, then the axe check."""
    count = 0

    def take(page: Page, name: str) -> Path:
        nonlocal count
        count += 1
        path = _screenshot_path(request.node, f"{count:02d}-{name}")
        page.screenshot(path=path, full_page=True)
        assert_accessible(page)
        return path

    return take


# --- people and forms -----------------------------------------------------------------------


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in form (and the code, if asked) and land on the home page."""
    page.goto("/accounts/login/")
    field(page, "Username").fill(username)
    field(page, "Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if urlsplit(page.url).path == "/accounts/two-factor/":
        field(page, "Code").fill(demo_code(username))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    if urlsplit(page.url).path.startswith("/accounts/login/"):
        problem = page.locator(".error-summary, .field-error").all_inner_texts()
        pytest.fail(f"{username} could not sign in: {' '.join(problem) or 'no message shown'}", pytrace=False)


# The time step of the latest code given for each person: a code is accepted only once,
# and the journeys sign the same people in many times a minute.
_last_step: dict[str, int] = {}


def demo_code(username: str) -> str:
    """A code the demo account's authenticator would show, never one already used: the
    current step's, or the next one's (accepted too), or, failing those, the next step's
    after waiting for it."""
    key = bytes.fromhex(demo_key_hex(username) or "")
    now = int(time.time()) // 30
    step = max(now, _last_step.get(username, now - 1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)
        now = step - 1
    _last_step[username] = step
    return f"{totp(key, step=30, digits=6, drift=step - now):06d}"


def field(page: Page, label: str) -> Locator:
    """The control labelled exactly `label`, with or without the "(optional)" hint."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\(optional\))?$"))


def fill(page: Page, values: dict[str, str], *, only_if_shown: bool = False) -> dict[str, str]:
    """Fill controls by their visible labels: a choice by its option's text, anything else by
    typing. Returns what was filled."""
    filled = {}
    for label, value in values.items():
        control = field(page, label)
        if only_if_shown and control.count() == 0:
            continue
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
        filled[label] = value
    return filled
