"""Governance in the browser: a new student reads and acknowledges the policies before
her first page; a practitioner breaks the glass and the DSL reviews it; a practitioner
raises a low-level concern about a colleague and the manager records the outcome; the
chair adopts a new version of a policy and staff are asked to read it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import Snap, field, fill, sign_in

TODAY = datetime.datetime.now(ZoneInfo("Europe/London"))


def h1(page: Page):  # noqa: ANN201 - a locator
    return page.get_by_role("heading", level=1)


def test_a_new_student_reads_and_acknowledges_the_policies_then_sees_her_home(page: Page, snap: Snap) -> None:
    # Rosa starts her placement; her files stay closed until she has read what students must.
    sign_in(page, "newstudent")
    expect(h1(page)).to_have_text("Policies to read")
    expect(page.get_by_role("main")).to_contain_text("Before you can open any file")
    snap(page, "policies-to-read")
    page.get_by_role("link", name="Read Confidentiality").click()
    read = []
    while h1(page).inner_text() != "Hello, Rosa":
        title = h1(page).inner_text()
        read.append(title)
        expect(page.locator("article.policy-text h2").first).to_be_visible()
        if len(read) == 1:
            page.get_by_role("button", name="Confirm").click()  # not ticked: asked to
            expect(page.locator(".error-summary")).to_contain_text("Tick the box")
            snap(page, "acknowledge-not-ticked")
        field(page, "I have read this policy and I will follow it").check()
        snap(page, f"reading-{len(read)}")
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("status")).to_contain_text(f"you have acknowledged the {title} policy")
        assert len(read) <= 5, read
    assert read == ["Confidentiality", "Mobile phones and cameras", "Safeguarding and child protection"]
    expect(page.get_by_role("region", name="Policies to read")).to_have_count(0)
    snap(page, "home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Emergency cards").click()
    expect(h1(page)).to_have_text("Emergency cards")
    expect(page.get_by_role("table")).to_contain_text("Acorns")
    snap(page, "emergency-cards")
    page.locator("main table tbody th a").first.click()
    expect(page.get_by_role("heading", name="Allergies and dietary needs")).to_be_visible()
    expect(page.get_by_role("heading", name="Who may collect")).to_be_visible()
    snap(page, "emergency-card")


def test_a_practitioner_breaks_the_glass_and_the_dsl_reviews_it(
    page: Page, new_page: Callable[..., Page], snap: Snap
) -> None:
    sign_in(page, "keyworker2")
    page.get_by_role("link", name="Emergency access", exact=True).click()
    expect(h1(page)).to_have_text("Emergency access")
    snap(page, "choose-child")
    child = page.locator("main table tbody th a").first
    name = child.inner_text()
    child.click()
    expect(h1(page)).to_contain_text("Emergency access to")
    snap(page, "form")
    page.get_by_role("button", name="Open the file now").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose what is happening.")
    snap(page, "form-with-errors")
    fill(
        page,
        {
            "What is happening?": "An allergic reaction",
            "Why do you need the file, not only the emergency card?": (
                "Rash and swelling after snack; the card has no GP details and the parents are not answering."
            ),
        },
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Open the file now").click()
    expect(page.get_by_role("status")).to_contain_text("Emergency access is open")
    banner = page.get_by_role("note").filter(has_text="Emergency access")
    expect(banner).to_contain_text("this file is open to you until")
    reference = re.search(r"BG-[A-Z0-9]{6}", banner.inner_text())
    assert reference, banner.inner_text()
    snap(page, "file-open")
    with page.expect_navigation():
        page.get_by_role("button", name="I'm done: close it now").click()
    expect(page.get_by_role("status")).to_have_text("Emergency access is closed. Thank you.")

    dsl = new_page()
    sign_in(dsl, "dsl")
    dsl.get_by_role("region", name=re.compile(r"^Emergency access to review")).get_by_role("link").click()
    expect(h1(dsl)).to_have_text("Emergency access to review")
    snap(dsl, "review-queue")
    dsl.get_by_role("link", name=reference.group(0)).click()
    expect(h1(dsl)).to_have_text(f"Emergency access {reference.group(0)}")
    expect(dsl.get_by_role("main")).to_contain_text("Sam Jones")
    snap(dsl, "review")
    dsl.get_by_role("radio", name="Justified", exact=True).check()
    fill(dsl, {"Comment": "Right call: the card now carries the GP's details too."})
    with dsl.expect_navigation():
        dsl.get_by_role("button", name="Record the review").click()
    expect(dsl.get_by_role("status")).to_contain_text("Reviewed")
    snap(dsl, "reviewed")

    page.goto("/emergency-access/mine/")
    row = page.get_by_role("row").filter(has_text=reference.group(0))
    expect(row).to_contain_text("Justified")
    expect(row).to_contain_text(name.split(", ")[0])
    snap(page, "my-emergency-access")


def test_a_practitioner_raises_a_low_level_concern_and_the_manager_records_the_outcome(
    page: Page, new_page: Callable[..., Page], snap: Snap
) -> None:
    sign_in(page, "keyworker")
    page.get_by_role("link", name="A concern about a member of staff").click()
    expect(h1(page)).to_have_text("Concern about a member of staff")
    snap(page, "choose-colleague")
    page.get_by_role("link", name="Sam Jones").click()
    expect(h1(page)).to_have_text("Concern about Sam Jones")
    snap(page, "form")
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".error-summary")).to_contain_text("Describe what you saw, heard or were told.")
    snap(page, "form-with-errors")
    page.get_by_role("radio", name=re.compile("^A low-level concern")).check()
    when = TODAY - datetime.timedelta(hours=2)
    what = "Sam took a photo of the Saplings at play on his own phone and said he would send it to a friend."
    fill(page, {"What did you see, hear or were told?": what, "When": when.strftime("%Y-%m-%dT%H:%M")})
    with page.expect_navigation():
        page.get_by_role("button", name="Send the concern").click()
    expect(page.get_by_role("status")).to_contain_text("Your concern has been submitted")
    raised = page.get_by_role("region", name="Concerns about staff you raised")
    expect(raised.get_by_role("listitem").first).to_contain_text("submitted.")
    expect(page.get_by_role("main")).not_to_contain_text("own phone")
    snap(page, "home-submitted")

    manager = new_page()
    sign_in(manager, "manager")
    manager.get_by_role("region", name=re.compile(r"^Concerns about staff")).get_by_role("link").click()
    expect(h1(manager)).to_have_text("Concerns about staff")
    snap(manager, "cases")
    manager.get_by_role("link", name="Sam Jones").click()
    expect(h1(manager)).to_have_text("Low-level concern")
    expect(manager.get_by_role("main")).to_contain_text(what)
    snap(manager, "case")
    close = manager.get_by_role("region", name="Handle this case")
    close.get_by_role("button", name="Close the case").click()
    expect(manager.locator(".error-summary").first).to_contain_text("Choose an outcome from the list.")
    snap(manager, "close-with-errors")
    fill(
        manager,
        {
            "Outcome": "Discussed with the member of staff; guidance given",
            "What was decided, and why": (
                "Spoke with Sam: the photo was deleted in front of me; phones stay in the lockers."
            ),
        },
    )
    with manager.expect_navigation():
        manager.get_by_role("button", name="Close the case").click()
    expect(manager.get_by_role("status")).to_have_text("The case is closed with its outcome.")
    expect(manager.get_by_role("main")).to_contain_text("Outcome: Discussed with the member of staff")
    expect(manager.get_by_role("region", name="Handle this case")).to_have_count(0)
    snap(manager, "closed")

    # Kim still sees only that it was submitted.
    page.goto("/")
    expect(page.get_by_role("main")).not_to_contain_text("Discussed")


def test_the_chair_adopts_a_new_version_and_staff_are_asked_to_read_it(
    page: Page, new_page: Callable[..., Page], snap: Snap
) -> None:
    sign_in(page, "chair")
    expect(h1(page)).to_have_text("Hello, Ruth")
    expect(page.get_by_role("region", name="For the trustees")).to_contain_text("Policies in force")
    snap(page, "trustees-home")
    page.get_by_role("region", name="Waiting for adoption").get_by_role(
        "link", name="Complaints, version 2027"
    ).click()
    expect(h1(page)).to_have_text("Adopt version 2027 of Complaints")
    snap(page, "adopt")
    sign = page.get_by_role("region", name="Sign as chair")
    sign.get_by_label("Date of the meeting that adopted it").fill(TODAY.strftime("%Y-%m-%d"))
    sign.get_by_label("Your password").fill("not my password")
    sign.get_by_role("button", name="Adopt and sign").click()
    expect(page.locator(".error-summary").first).to_contain_text("not your password")
    snap(page, "adopt-wrong-password")
    sign = page.get_by_role("region", name="Sign as chair")
    sign.get_by_label("Your password").fill("confide-demo-2026")
    with page.expect_navigation():
        sign.get_by_role("button", name="Adopt and sign").click()
    expect(page.get_by_role("status")).to_contain_text("Adopted")
    expect(page.get_by_role("region", name=re.compile(r"^Version 2027"))).to_contain_text(
        "signed by Ruth Abbott"
    )
    snap(page, "adopted")

    senior = new_page()
    sign_in(senior, "senior")
    to_read = senior.get_by_role("region", name="Policies to read")
    expect(to_read).to_contain_text("Complaints")
    snap(senior, "asked-to-read")
    to_read.get_by_role("link", name="Complaints").click()
    expect(senior.get_by_role("main")).to_contain_text("20 working days")
    expect(senior.get_by_role("main")).to_contain_text(
        "Signed on behalf of the trustees: Ruth Abbott (Chair)"
    )
    field(senior, "I have read this policy and I will follow it").check()
    with senior.expect_navigation():
        senior.get_by_role("button", name="Confirm").click()
    expect(senior.get_by_role("status")).to_contain_text("you have acknowledged the Complaints policy")
    expect(senior.get_by_role("region", name="Policies to read")).to_have_count(0)
    snap(senior, "acknowledged")

    # The register shows who has read it, and who has not yet.
    page.reload()
    version = page.get_by_role("region", name=re.compile(r"^Version 2027"))
    expect(version).to_contain_text("Sunita Shah")
    expect(version.get_by_role("button", name=re.compile("Send a reminder"))).to_have_count(0)
