"""People without access to Ava Smith's file find nothing: the "not found" page, and no match."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SCOPE, Server, Snap, field, sign_in


@pytest.fixture(scope=SCOPE)
def ava_file_url(browser: Browser, server: Server) -> Iterator[str]:
    """The address of Ava Smith's file, as her setting's manager finds it."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    sign_in(page, "manager")
    page.goto("/children/")
    field(page, "Search by name or date of birth").fill("Ava Smith")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Smith, Ava").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ava")
    yield page.url
    context.close()


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("student", id="colleague-without-a-grant"),
        pytest.param("manager2", id="manager-of-another-setting"),
    ],
)
def test_a_file_you_may_not_read_is_not_found(
    page: Page, snap: Snap, ava_file_url: str, username: str
) -> None:
    sign_in(page, username)

    response = page.goto(ava_file_url)

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main")).to_contain_text("There is nothing here, or it is not yours to see.")
    expect(page.get_by_role("main")).not_to_contain_text("Smith")
    snap(page, "not-found")


def test_a_colleague_without_a_grant_does_not_find_the_child_by_searching(page: Page, snap: Snap) -> None:
    sign_in(page, "student")
    page.goto("/children/")

    field(page, "Search by name or date of birth").fill("Ava Smith")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("status")).to_have_text("0 matches.")
    expect(page.get_by_role("link", name="Smith, Ava")).to_have_count(0)
    snap(page, "search-results")
