"""A student raises a safeguarding concern; the designated safeguarding lead decides and closes it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import Snap, field, fill, sign_in

THANKS = (
    "Thank you. Your concern has been received by the designated safeguarding lead, "
    "who will decide what happens next."
)
RECEIVED = re.compile(
    r"^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}: received by the designated safeguarding lead\.$"
)


def test_a_student_raises_a_concern_and_the_safeguarding_lead_closes_it(
    page: Page, new_page: Callable[..., Page], snap: Snap
) -> None:
    problems: list[str] = []
    # Stu, a student on placement at Oakfield, reads no child's file but may raise a concern.
    sign_in(page, "student")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Raise a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a safeguarding concern")
    snap(page, "choose-child")
    # Mia is not in Stu's room today: he finds her by name and date of birth.
    fill(page, {"First name": "Mia", "Last name": "Carter", "Date of birth": "2023-06-20"})
    page.get_by_role("button", name="Find the child").click()
    expect(page.get_by_role("status")).to_have_text("1 child found.")
    snap(page, "child-found")
    page.get_by_role("link", name="Carter, Mia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern about Mia Carter")
    snap(page, "form")

    # Nothing typed: the page says what is missing.
    page.get_by_role("button", name="Send to the safeguarding lead").click()
    errors = page.locator(".error-summary")
    expect(errors).to_contain_text("Describe what you saw or heard.")
    expect(errors).to_contain_text("Say when it happened.")
    snap(page, "form-with-errors")

    when = datetime.datetime.now(ZoneInfo("Europe/London")) - datetime.timedelta(minutes=30)
    what = "At nappy change I saw a round bruise on Mia's left thigh, about the size of a coin."
    words = '"Mummy\'s friend pinched me."'
    fill(
        page,
        {
            "What did you see or hear?": what,
            "What did the child say, in their own words?": words,
            "When": when.strftime("%Y-%m-%dT%H:%M"),
            "Where": "Oaks room, nappy changing area",
            "Who else was present": "Val Brown (volunteer)",
            "Marks or injuries (body map note)": (
                "Left thigh, outer side: one round bruise, 2 cm, blue-purple."
            ),
            "What have you done so far?": "Comforted Mia, told Dee (the DSL) in person straight away.",
        },
    )
    snap(page, "form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to the safeguarding lead").click()
    expect(page.get_by_role("status")).to_have_text(THANKS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Stu")
    # Only that it was received: nothing of what was written, nor what happens next.
    raised = page.get_by_role("region", name="Concerns you raised")
    expect(raised.get_by_role("listitem")).to_have_count(1)
    expect(raised.get_by_role("listitem")).to_have_text(RECEIVED)
    expect(page.get_by_role("main")).not_to_contain_text("Mia")
    expect(page.get_by_role("main")).not_to_contain_text("bruise")
    snap(page, "home-received")

    # Dee, the designated safeguarding lead, sees it among the open concerns on her home page.
    dsl = new_page()
    sign_in(dsl, "dsl")
    open_concerns = dsl.get_by_role("region", name=re.compile(r"^Open safeguarding concerns"))
    expect(open_concerns).to_be_visible()
    row = open_concerns.get_by_role("row").filter(has_text="Carter, Mia").filter(has_text="Stu Green")
    try:
        # The page is drawn by the server: it is all there, no need to wait.
        expect(row).to_have_count(1, timeout=1_000)
        expect(row).to_contain_text("New")
    except AssertionError:
        heading = open_concerns.get_by_role("heading", level=2).inner_text()
        shown = open_concerns.locator("tbody tr").count()
        problems.append(
            f"The DSL's home page does not list the concern just raised: under “{heading}” it shows "
            f"{shown}, the oldest first, so the new one is only in “All open concerns”."
        )
    snap(dsl, "dsl-home")
    if row.count() == 0:
        open_concerns.get_by_role("link", name="All open concerns").click()
        expect(dsl.get_by_role("heading", level=1)).to_have_text("Open safeguarding concerns")
        row = dsl.get_by_role("row").filter(has_text="Carter, Mia").filter(has_text="Stu Green")
        expect(row).to_have_count(1)
        snap(dsl, "concern-queue")
    row.get_by_role("link", name="Carter, Mia").click()
    expect(dsl.get_by_role("heading", level=1)).to_have_text("Safeguarding concern")
    main = dsl.get_by_role("main")
    for text in (
        what,
        words,
        "Oaks room, nappy changing area",
        "Val Brown (volunteer)",
        "Left thigh, outer side",
        "told Dee (the DSL) in person",
    ):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text("Stu Green")
    handle = dsl.get_by_role("region", name="Handle this concern")
    expect(handle).to_be_visible()
    snap(dsl, "concern")
    concern_url = dsl.url

    # A decision not to refer needs its reason.
    field(dsl, "What are you recording?").select_option(label="A decision not to refer")
    handle.get_by_role("button", name="Record it").click()
    expect(dsl.locator(".error-summary")).to_contain_text("Write the details and your reasons.")
    snap(dsl, "decision-without-reason")
    reason = (
        "Spoke to Mia's mother, who explained the bruise (a fall at soft play, seen by staff there). "
        "Consistent with the injury; threshold for referral not met. Monitor and review in two weeks."
    )
    expect(field(dsl, "What are you recording?")).to_have_value("no_referral")
    fill(dsl, {"Details and reasons": reason})
    with dsl.expect_navigation():
        handle.get_by_role("button", name="Record it").click()
    expect(dsl.get_by_role("status")).to_have_text("Recorded on the concern.")
    entries = dsl.locator("ol.addenda > li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Decision not to refer")
    expect(entries.first).to_contain_text("Dee Okafor")
    expect(entries.first).to_contain_text(reason)
    snap(dsl, "decision-recorded")

    # Closed with its outcome.
    outcome = "No further action after review: no new marks, Mia settled. Closed; the chronology keeps it."
    fill(dsl, {"Outcome": outcome})
    with dsl.expect_navigation():
        dsl.get_by_role("button", name="Close with this outcome").click()
    expect(dsl.get_by_role("status")).to_have_text("The concern is closed.")
    status = dsl.locator("main dl.details dt", has_text=re.compile(r"^Status$")).locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(status).to_have_text("Closed")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("Decision not to refer")
    expect(entries.nth(1)).to_contain_text("Closed with outcome")
    expect(entries.nth(1)).to_contain_text(outcome)
    expect(dsl.get_by_role("region", name="Handle this concern")).to_have_count(0)
    snap(dsl, "closed")

    # No longer among the open concerns.
    dsl.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    dsl.get_by_role("link", name="All open concerns").click()
    expect(dsl.get_by_role("heading", level=1)).to_have_text("Open safeguarding concerns")
    expect(dsl.get_by_role("row").filter(has_text="Carter, Mia")).to_have_count(0)

    # Stu cannot open the concern, and still sees only that it was received.
    response = page.goto(concern_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main")).not_to_contain_text("Mia")
    snap(page, "concern-not-found")
    page.goto("/")
    raised = page.get_by_role("region", name="Concerns you raised")
    expect(raised.get_by_role("listitem")).to_have_text(RECEIVED)
    expect(page.get_by_role("main")).not_to_contain_text("Closed")

    assert not problems, "\n".join(problems)
