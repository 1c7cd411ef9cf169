"""Kim, Ava Smith's key person, finds Ava's file and records a call with her mother."""

from __future__ import annotations

import datetime
import re
import struct
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import Snap, field, fill, sign_in

TITLE = "Call from Amy before drop-off"
# Filled when the form shows them, by visible label. The form asks different
# questions for each category; add a label here when it gains one.
CONTACT_WITH_PARENTS = {
    "Who was it with?": "Amy Smith (mother)",
    "How": "Phone call",
    "What was said": "Ava woke twice in the night and may be tired today.",
    "Agreed actions": "Offer Ava a rest after lunch; tell Amy at collection how she slept.",
    # The general questions, where the form asks them instead.
    "Record": "Amy rang before drop-off: Ava woke twice in the night and may be tired today.",
    "Who provided the information": "Parent or carer",
    "Their name or organisation": "Amy Smith (mother)",
}


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid PNG image of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def choose_category(page: Page, category: str) -> None:
    """Pick the kind of record (from a list of kinds, a drop-down or options), then go on to its questions."""
    select = field(page, "Category")
    radio = page.get_by_role("radio", name=category, exact=True)
    if select.count():
        select.select_option(label=category)
    elif radio.count():
        radio.check()
    else:
        # Each kind is a link: its name, then a hint about what it is for.
        page.get_by_role("link", name=re.compile(rf"^{re.escape(category)}\b")).click()
    if field(page, "Title").count() == 0:
        # The choice is a form of its own: its questions come on the next page.
        page.locator("main form button[type=submit]").last.click()
    expect(field(page, "Title")).to_be_visible()


def test_a_key_person_records_a_call_with_an_attachment_and_downloads_it(page: Page, snap: Snap) -> None:
    sign_in(page, "keyworker")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Kim")
    snap(page, "home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Children").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    snap(page, "children")

    field(page, "Search by name or date of birth").fill("Ava Smith")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 match.")
    snap(page, "search-results")

    page.get_by_role("link", name="Smith, Ava").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ava")
    expect(page.get_by_role("heading", name="Health alerts")).to_be_visible()
    snap(page, "child-file")
    child_file = page.url

    page.get_by_role("link", name="Add a record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a record")
    snap(page, "add-record")

    # The category comes first: the questions that follow depend on it.
    choose_category(page, "Contact with parents")
    snap(page, "add-record-questions")
    when = datetime.datetime.now(ZoneInfo("Europe/London")) - datetime.timedelta(hours=1)
    fill(page, {"Title": TITLE, "When it happened": when.strftime("%Y-%m-%dT%H:%M")})
    answers = fill(page, CONTACT_WITH_PARENTS, only_if_shown=True)
    assert answers, "The form asked none of the questions of a contact with parents."
    image = png(24, 16, (31, 95, 139))
    field(page, "Attach a file").set_input_files(
        files=[{"name": "call-notes.png", "mimeType": "image/png", "buffer": image}]
    )
    snap(page, "add-record-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the record").click()

    problems = page.locator(".error-summary").all_inner_texts()
    assert not problems, f"The record was not saved: {problems}"
    expect(page.get_by_role("status")).to_have_text("The record is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Contact with parents")
    expect(main).to_contain_text("Kim Patel")
    for answer in answers.values():
        expect(main).to_contain_text(answer)
    attachment = page.get_by_role("link", name="call-notes.png")
    expect(attachment).to_be_visible()
    snap(page, "record")

    with page.expect_download() as download_info:
        attachment.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == "call-notes.png"
    assert Path(download.path()).read_bytes() == image

    # The new record is in Ava's file, with its category.
    page.goto(child_file)
    records = page.get_by_role("region", name="Records")
    expect(records.get_by_role("link", name=TITLE)).to_be_visible()
    expect(records).to_contain_text("Contact with parents")
    snap(page, "child-file-with-record")
