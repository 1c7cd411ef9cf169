"""The parent portal in the browser: an invitation from the manager to a parent
looking at their child's file, and a parent's own pages."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Snap, field, sign_in

PASSWORD = "a-long-portal-passphrase-2026"
WELCOME = re.compile(r"/portal/welcome/[A-Za-z0-9_-]+/")


def invite_a_carer(page: Page, snap: Snap) -> str:
    """As the manager, open children's files until one has a carer to invite; invite them.
    Returns the child's name as the file shows it."""
    page.get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", name="Children", exact=True)).to_be_visible()
    links = page.locator("main table tbody th a")
    for index in range(1, min(links.count(), 15)):
        page.locator("main table tbody th a").nth(index).click()
        page.wait_for_url(re.compile(r"/children/[0-9a-f-]{36}/$"))
        expect(page.get_by_role("heading", name="Parents and carers")).to_be_visible()
        invite = page.get_by_role("button", name=re.compile(r"^Invite"))
        if invite.count():
            name = page.locator("main h1").inner_text()
            snap(page, "child-file-with-carers")
            invite.first.click()
            expect(page.get_by_text("The invitation has been sent by email.")).to_be_visible()
            snap(page, "invitation-sent")
            return name
        page.go_back()
        expect(page.get_by_role("heading", name="Children", exact=True)).to_be_visible()
    raise AssertionError("no child at the manager's setting has a carer to invite")


def test_an_invited_parent_sets_a_password_and_sees_their_child(
    page: Page, new_page: Callable[..., Page], server: Server, snap: Snap
) -> None:
    sign_in(page, "manager")
    log_start = server.log_size()
    child_name = invite_a_carer(page, snap)
    # Development mail goes to the server's console output.
    found = WELCOME.search(server.output_since(log_start))
    assert found, "the invitation e-mail with its link was not sent"
    link = found.group(0)

    parent = new_page()
    parent.goto(link)
    expect(parent.get_by_role("heading", name="Set up your parent portal account")).to_be_visible()
    snap(parent, "welcome")
    username = f"parent-{secrets.token_hex(3)}"
    field(parent, "Choose a username").fill(username)
    field(parent, "Choose a password").fill(PASSWORD)
    field(parent, "Type the password again").fill("not the same password at all")
    parent.get_by_role("button", name="Set up my account").click()
    expect(parent.get_by_text("The two passwords are different.").first).to_be_visible()
    snap(parent, "welcome-with-errors")
    field(parent, "Choose a password").fill(PASSWORD)
    field(parent, "Type the password again").fill(PASSWORD)
    parent.get_by_role("button", name="Set up my account").click()

    expect(parent.get_by_role("heading", name="My children")).to_be_visible()
    expect(parent.get_by_text("Your account is ready.")).to_be_visible()
    snap(parent, "portal-home")
    first_name = child_name.split()[0]
    parent.get_by_role("link", name=re.compile(re.escape(first_name))).first.click()
    expect(parent.locator("main h1")).to_have_text(child_name)
    snap(parent, "portal-child")
    # Staff pages do not exist for a parent.
    response = parent.goto("/children/")
    assert response is not None and response.status == 404

    # Signing out and in again with the new password leads back to the child.
    parent.goto("/portal/")
    parent.get_by_role("button", name="Sign out").click()
    sign_in(parent, username, PASSWORD)
    expect(parent.get_by_role("heading", name="My children")).to_be_visible()
    expect(parent.get_by_role("link", name=re.compile(re.escape(first_name))).first).to_be_visible()

    # The link works once.
    again = new_page()
    again.goto(link)
    expect(again.get_by_role("alert")).to_contain_text("already been used")
    snap(again, "welcome-link-used")


def test_a_parent_reads_a_shared_record_comments_and_downloads_the_file(page: Page, snap: Snap) -> None:
    sign_in(page, "parent")
    expect(page.get_by_role("heading", name="My children")).to_be_visible()
    snap(page, "portal-home")
    page.get_by_role("link", name=re.compile("Ava")).click()
    expect(page.locator("main h1")).to_have_text("Ava Smith")
    snap(page, "portal-child")
    page.locator("main ol.records a").first.click()
    snap(page, "portal-record")
    page.get_by_role("button", name="Add my comment").click()
    expect(page.get_by_text("Write your comment.").first).to_be_visible()
    field(page, "Your comment").fill("Ava loved this, thank you.")
    page.get_by_role("button", name="Add my comment").click()
    expect(page.get_by_text("Your comment is added to the record.")).to_be_visible()
    expect(page.get_by_text("Ava loved this, thank you.")).to_be_visible()
    snap(page, "portal-record-commented")

    page.get_by_role("link", name="Ava Smith").click()
    page.get_by_role("link", name="Who has looked at this file").click()
    expect(page.get_by_role("heading", name=re.compile("Who has looked at Ava"))).to_be_visible()
    snap(page, "portal-history")
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    field(page, "What is it about?").fill("Moving house")
    field(page, "What would you like to tell us?").fill("We move to a new address on Friday.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Senior staff will read it")).to_be_visible()
    expect(page.get_by_text("Waiting to be read by senior staff").first).to_be_visible()
    snap(page, "portal-sent")
