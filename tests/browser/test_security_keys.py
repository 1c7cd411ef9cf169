"""A security key instead of a phone: added on the Two-factor page, then signing in and
confirming it's you with it, no code. Chromium's virtual authenticator stands in for the key
(the Chrome DevTools Protocol's WebAuthn domain), on the server's localhost address: WebAuthn
refuses an IP address."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, Snap, field, sign_in


def with_a_security_key(page: Page) -> None:
    """A key plugged in: CTAP2, user verification and resident keys, touched at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_volunteer_adds_a_security_key_then_signs_in_and_confirms_with_it_and_no_code(
    new_page: Callable[..., Page], server: Server, snap: Snap
) -> None:
    page = new_page(base_url=server.keys_url)
    with_a_security_key(page)
    sign_in(page, "volunteer")  # the password, then the authenticator app's code
    page.get_by_role("link", name="Two-factor", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor")
    snap(page, "two-factor")

    with page.expect_navigation():
        page.get_by_role("button", name="Add a security key or passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name your key")
    snap(page, "name-your-key")
    field(page, "Name it").fill("Blue key on my lanyard")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“Blue key on my lanyard” is added")).to_be_visible()
    keys = page.get_by_role("region", name="Security keys and passkeys").get_by_role("listitem")
    expect(keys).to_have_count(1)
    expect(keys).to_contain_text("Blue key on my lanyard")
    snap(page, "key-added")

    page.get_by_role("button", name="Sign out").click()
    field(page, "Username").fill("volunteer")
    field(page, "Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your key or code")
    snap(page, "key-or-code")
    with page.expect_navigation():
        page.get_by_role("button", name="Use your security key or passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Val")

    # "Confirm it's you", as before the sensitive pages (the step-up), passed with the key.
    page.goto("/accounts/two-factor/?next=/accounts/two-factor/backup-codes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it’s you")
    snap(page, "confirm-its-you")
    with page.expect_navigation():
        page.get_by_role("button", name="Use your security key or passkey").click()
    assert urlsplit(page.url).path == "/accounts/two-factor/backup-codes/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor")
