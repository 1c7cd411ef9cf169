"""Signing in and out through the forms people use."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Snap, field, sign_in


def test_a_wrong_password_is_refused_then_the_right_one_signs_in_and_out(page: Page, snap: Snap) -> None:
    page.goto("/children/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    snap(page, "sign-in")

    field(page, "Username").fill("trustee")
    field(page, "Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    snap(page, "refused")

    sign_in(page, "trustee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Tom")
    snap(page, "home")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.goto("/children/").url.endswith("/accounts/login/?next=/children/")
