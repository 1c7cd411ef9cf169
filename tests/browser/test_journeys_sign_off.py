"""Information shared by a family is signed off by senior staff, or returned to its author."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Snap, field, fill, sign_in

SIGNED_OFF_NOTE = "Information shared by the family of one of your key children has been signed off."
RETURNED_NOTE = "A record you wrote was returned for correction. Please amend it."


def an_hour_ago() -> str:
    when = datetime.datetime.now(ZoneInfo("Europe/London")) - datetime.timedelta(hours=1)
    return when.strftime("%Y-%m-%dT%H:%M")


def open_key_child(page: Page, name: str) -> None:
    """From the home page, to the file of one of this person's key children."""
    page.goto("/")
    page.get_by_role("region", name="Your key children").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def start_record(page: Page, category: str) -> None:
    """From a child's file: "Add a record", then the category (a link with its hint)."""
    page.get_by_role("link", name="Add a record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a record")
    page.get_by_role("link", name=re.compile(rf"^{re.escape(category)}(\s|$)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Add a record: {category.lower()}")


def detail(page: Page, term: str) -> Locator:
    """The value of a term in the record's details (a description list)."""
    return page.locator("main dl.details dt", has_text=re.compile(rf"^{re.escape(term)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def test_a_senior_signs_off_a_conversation_and_the_key_person_is_told(
    page: Page, new_page: Callable[..., Page], snap: Snap
) -> None:
    title = "Amy says the family are expecting a baby"
    # Kim, Ava's key person, records what Ava's mother told her.
    sign_in(page, "keyworker")
    open_key_child(page, "Ava Smith")
    start_record(page, "Conversation with parent or carer")
    expect(page.get_by_role("main")).to_contain_text("senior staff are asked to sign it off")
    snap(page, "conversation-form")
    fill(
        page,
        {
            "Title": title,
            "When it happened": an_hour_ago(),
            "Who was it with?": "Amy Smith (mother)",
            "How": "In person",
            "What the parent or carer told you": "Amy told me at drop-off that the family are expecting a "
            "baby in the spring. Ava does not know yet.",
            "Agreed actions": (
                "Amy will tell us when they have told Ava; we will read stories about siblings."
            ),
        },
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("status")).to_have_text(
        "The record is saved. Senior staff have been asked to sign it off."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(detail(page, "Status")).to_have_text("Awaiting sign-off")
    expect(detail(page, "How")).to_have_text("In person")
    expect(page.get_by_role("main")).to_contain_text("Waiting for senior staff to sign it off.")
    # An author never signs their own record.
    expect(page.get_by_role("region", name="Sign off")).to_have_count(0)
    snap(page, "awaiting-sign-off")
    record_url = page.url

    # Sunita, the deputy manager, finds it in her queue on her home page.
    senior = new_page()
    sign_in(senior, "senior")
    queue = senior.get_by_role("region", name=re.compile(r"^Waiting for your sign-off"))
    expect(queue.get_by_role("link", name=title)).to_be_visible()
    expect(queue.get_by_role("listitem").filter(has_text=title)).to_contain_text("Kim Patel")
    snap(senior, "senior-home")
    queue.get_by_role("link", name=title).click()
    expect(senior.get_by_role("heading", level=1)).to_have_text(title)
    assert senior.url == record_url
    sign_off = senior.get_by_role("region", name="Sign off")
    expect(sign_off).to_be_visible()
    snap(senior, "senior-record")

    # A wrong password: the record is not signed.
    field(senior, "Your password").fill("not-my-password")
    sign_off.get_by_role("button", name="Sign it off").click()
    expect(senior.locator(".error-summary")).to_contain_text(
        "That is not your password. The record is not signed."
    )
    expect(field(senior, "Your password")).to_have_attribute("aria-invalid", "true")
    expect(detail(senior, "Status")).to_have_text("Awaiting sign-off")
    expect(senior.locator(".signature")).to_have_count(0)
    snap(senior, "wrong-password")

    # Her own password, and a comment.
    comment = "Read and discussed with Kim. Please keep the news confidential until Amy says otherwise."
    field(senior, "Comment").fill(comment)
    field(senior, "Your password").fill("confide-demo-2026")
    signed_url = senior.url.removesuffix("sign-off/")  # the wrong password left the form's address
    with senior.expect_navigation():
        sign_off.get_by_role("button", name="Sign it off").click()
    # The next item waiting opens (or the queue, when nothing else waits).
    expect(senior.get_by_role("status")).to_have_text(
        re.compile(r"Signed off\. The key person has been told\. (Here is the next one|Nothing else waits)\.")
    )
    assert senior.url != signed_url
    senior.goto(signed_url)
    expect(detail(senior, "Status")).to_have_text("Signed off")
    expect(senior.locator(".signature")).to_have_text(
        re.compile(r"^Signed by Sunita Shah on \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}\.$")
    )
    expect(senior.locator("ol.addenda")).to_contain_text(comment)
    expect(senior.get_by_role("region", name="Sign off")).to_have_count(0)
    snap(senior, "signed")

    # Kim is told: the header counts it, her home page lists it, and it opens the record.
    menu = page.get_by_role("navigation", name="Main")
    notifications = menu.get_by_role("link", name=re.compile(r"^Notifications"))
    page.goto("/")
    expect(notifications).to_contain_text(re.compile(r"\d+"))
    notes = page.get_by_role("region", name="New notifications")
    note = notes.get_by_role("button", name=SIGNED_OFF_NOTE)
    expect(note).to_have_count(1)
    snap(page, "home-notified")
    with page.expect_navigation():
        note.click()
    assert page.url == record_url
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".signature")).to_contain_text("Signed by Sunita Shah")
    snap(page, "record-signed-as-author")

    # Opened, it is no longer new.
    notifications.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    read = page.get_by_role("listitem").filter(has=page.get_by_role("button", name=SIGNED_OFF_NOTE))
    expect(read).to_have_count(1)
    expect(read).not_to_contain_text("New")
    snap(page, "notifications")


def test_a_senior_returns_family_information_and_its_author_corrects_it(
    page: Page, new_page: Callable[..., Page], snap: Snap
) -> None:
    title = "Family moving to Bradford in the summer"
    # Sam, Ava's other key person, records family information.
    sign_in(page, "keyworker2")
    open_key_child(page, "Ava Smith")
    start_record(page, "Family information")
    fill(
        page,
        {
            "Title": title,
            "When it happened": an_hour_ago(),
            "Who shared it?": "Amy Smith (mother)",
            "The information": "The family are moving to Bradford in the summer.",
        },
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save the record").click()
    expect(detail(page, "Status")).to_have_text("Awaiting sign-off")
    snap(page, "awaiting-sign-off")
    record_url = page.url

    # Sunita sends it back: the information is incomplete.
    senior = new_page()
    sign_in(senior, "senior")
    senior.get_by_role("region", name=re.compile(r"^Waiting for your sign-off")).get_by_role(
        "link", name=title
    ).click()
    expect(senior.get_by_role("heading", level=1)).to_have_text(title)
    reason = "Please add the month of the move and how it affects Ava's sessions."
    # No reason: the page says so, and nothing changes.
    senior.get_by_role("button", name="Return for correction").click()
    expect(senior.locator(".error-summary")).to_contain_text("Say what needs correcting.")
    expect(detail(senior, "Status")).to_have_text("Awaiting sign-off")
    snap(senior, "return-without-reason")
    field(senior, "What needs correcting?").fill(reason)
    with senior.expect_navigation():
        senior.get_by_role("button", name="Return for correction").click()
    expect(senior.get_by_role("status")).to_have_text("Returned to its author for correction.")
    expect(detail(senior, "Status")).to_have_text("Returned for correction")
    expect(senior.locator("ol.addenda")).to_contain_text(reason)
    snap(senior, "returned")

    # Sam finds it on the home page, with the reason, and amends it.
    page.goto("/")
    returned = page.get_by_role("region", name="Returned to you for correction")
    expect(returned.get_by_role("link", name=title)).to_be_visible()
    expect(
        page.get_by_role("region", name="New notifications").get_by_role("button", name=RETURNED_NOTE)
    ).to_be_visible()
    snap(page, "home-returned")
    returned.get_by_role("link", name=title).click()
    assert page.url == record_url
    expect(detail(page, "Status")).to_have_text("Returned for correction")
    expect(page.locator("ol.addenda")).to_contain_text(reason)
    snap(page, "returned-record")
    page.get_by_role("link", name="Amend this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Amend “{title}”")
    expect(field(page, "Title")).to_have_value(title)
    expect(field(page, "Who shared it?")).to_have_value("Amy Smith (mother)")
    snap(page, "amend")
    fill(
        page,
        {
            "The information": "The family are moving to Bradford at the end of July. Ava will keep her "
            "sessions until then.",
            "How it affects planning for the child": "Plan a transition to her new setting in July.",
            "Why are you amending it?": "Returned for correction: added the month and Ava's sessions.",
        },
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save the amendment").click()
    expect(page.get_by_role("status")).to_have_text(
        "The amendment is saved; the original is kept in the history."
    )
    expect(detail(page, "Status")).to_have_text("Awaiting sign-off")
    expect(page.get_by_role("main")).to_contain_text("end of July")
    expect(page.get_by_role("heading", name="Earlier versions")).to_be_visible()
    snap(page, "amended")
    amended_url = page.url

    response = page.goto("/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    key_children = page.get_by_role("region", name="Your key children")
    expect(key_children.get_by_role("link", name="Ava Smith")).to_be_visible()
    expect(page.get_by_role("region", name="Returned to you for correction")).to_have_count(0)

    # It is waiting for sign-off again, in the whole queue too.
    senior.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    senior.get_by_role("link", name="The whole sign-off queue").click()
    expect(senior.get_by_role("heading", level=1)).to_have_text("Waiting for sign-off")
    row = senior.get_by_role("row").filter(has=senior.get_by_role("link", name=title))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Sam Jones")
    snap(senior, "queue")
    row.get_by_role("link", name=title).click()
    assert senior.url == amended_url
    expect(senior.get_by_role("region", name="Sign off")).to_be_visible()
