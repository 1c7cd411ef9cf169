"""Working where others can see the screen: hiding it at once, and initials instead of names."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import Snap, field, sign_in

SHOW_AGAIN = "Screen hidden. Click to show the page again."


def open_avas_file(page: Page) -> str:
    page.goto("/")
    page.get_by_role("region", name="Your key children").get_by_role("link", name="Ava Smith").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ava Smith")
    return page.url


def expect_hidden(page: Page) -> None:
    """Only the cover shows: no header, no page, no name."""
    expect(page.locator("#screen-cover")).to_be_visible()
    expect(page.get_by_role("button", name=SHOW_AGAIN)).to_be_focused()
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.get_by_role("main")).to_be_hidden()
    expect(page.get_by_text("Ava").filter(visible=True)).to_have_count(0)
    expect(page.get_by_text("Smith").filter(visible=True)).to_have_count(0)


def expect_shown(page: Page, heading: str) -> None:
    expect(page.locator("#screen-cover")).to_be_hidden()
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_hide_screen_covers_the_page_at_once_and_a_click_brings_it_back(page: Page, snap: Snap) -> None:
    sign_in(page, "keyworker")
    file_url = open_avas_file(page)
    expect(page.locator("#screen-cover")).to_be_hidden()
    snap(page, "child-file")

    page.get_by_role("link", name="Hide screen").click()
    expect_hidden(page)
    assert page.url == file_url, "Hiding the screen should not leave the page."
    snap(page, "hidden")

    page.get_by_role("button", name=SHOW_AGAIN).click()
    expect_shown(page, "Ava Smith")
    assert page.url == file_url


def test_escape_twice_hides_the_screen_even_while_typing(page: Page, snap: Snap) -> None:
    sign_in(page, "keyworker")
    open_avas_file(page)

    # Once is not enough (Escape also closes things), nor twice a second apart; twice within a second is.
    page.keyboard.press("Escape")
    page.wait_for_timeout(1_100)
    page.keyboard.press("Escape")
    expect(page.locator("#screen-cover")).to_be_hidden()
    page.keyboard.press("Escape")
    expect_hidden(page)
    snap(page, "hidden-by-escape")
    page.get_by_role("button", name=SHOW_AGAIN).click()
    expect_shown(page, "Ava Smith")

    # In the middle of typing a search.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Children").click()
    search = field(page, "Search by name or date of birth")
    search.fill("Ava Sm")
    search.press("Escape")
    search.press("Escape")
    expect_hidden(page)
    page.get_by_role("button", name=SHOW_AGAIN).click()
    expect_shown(page, "Children")
    expect(search).to_have_value("Ava Sm")


def test_without_javascript_hide_screen_is_a_blank_page_with_a_way_back(
    new_page: Callable[..., Page], snap: Snap
) -> None:
    page = new_page(java_script_enabled=False)
    sign_in(page, "keyworker")
    file_url = open_avas_file(page)
    # axe-core needs JavaScript: each page is checked at the same address, in the same session,
    # in a page that runs it (the server sends the same HTML); the screenshot is of the page without.
    checker = new_page()
    checker.context.add_cookies(page.context.cookies())

    def snap_without_javascript(name: str) -> None:
        checker.goto(page.url)
        page.screenshot(path=snap(checker, name), full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name="Hide screen").click()
    assert urlsplit(page.url).path == "/hidden/"
    body = page.locator("body")
    for text in ("Ava", "Smith", "Kim", "Children"):
        expect(body).not_to_contain_text(text)
    assert page.title() == "Confide"
    back = page.get_by_role("link", name="Show the page again")
    expect(back).to_be_visible()
    snap_without_javascript("blank")

    with page.expect_navigation():
        back.click()
    assert page.url == file_url
    expect(page.get_by_role("heading", level=1)).to_have_text("Ava Smith")
    snap_without_javascript("back")


def test_discreet_mode_shows_initials_instead_of_names_in_lists(page: Page, snap: Snap) -> None:
    # Owen manages Riverside, where Leo Carter is a child. Nobody else's lists change.
    sign_in(page, "manager2")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Children").click()
    toggle = page.get_by_role("button", name="Discreet mode")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    children = page.get_by_role("table")
    expect(children.get_by_role("link", name="Carter, Leo")).to_be_visible()
    expect(children).to_contain_text("2 Nov 2021")  # Leo's date of birth
    snap(page, "names")

    with page.expect_navigation():
        toggle.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")  # back on the same page
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(children.get_by_role("link", name="LC", exact=True)).to_be_visible()
    expect(children.get_by_role("link", name="Carter, Leo")).to_have_count(0)
    expect(children).not_to_contain_text("Carter")
    expect(children).not_to_contain_text("2 Nov 2021")
    snap(page, "initials")

    with page.expect_navigation():
        toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(children.get_by_role("link", name="Carter, Leo")).to_be_visible()
    expect(children.get_by_role("link", name="LC", exact=True)).to_have_count(0)
    snap(page, "names-again")
