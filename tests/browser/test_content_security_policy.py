"""The Content-Security-Policy is enforced in the browser, and what it blocks is
reported (tests/browser/conftest.py fails any journey that breaks it)."""

from __future__ import annotations

import time

from playwright.sync_api import Browser

from tests.browser.conftest import REPORT_CSP_VIOLATIONS, Server


def test_inline_code_is_blocked_and_reported(browser: Browser, server: Server) -> None:
    context = browser.new_context(base_url=server.url)
    seen: list[str] = []
    context.expose_binding("__confideCspViolation", lambda source, text: seen.append(text))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    try:
        page = context.new_page()
        response = page.goto("/accounts/login/")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inlineRan = true";
                document.body.append(script);
            }"""
        )
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert page.evaluate("window.inlineRan === undefined")
        assert any(v.startswith("script-src") and "/accounts/login/" in v for v in seen), seen
    finally:
        context.close()
