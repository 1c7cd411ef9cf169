"""Every page of the staff side, as the people who use it, checked with axe.

Each page is reached the way a person reaches it, by following links and
submitting forms (no ids from the database). Problems are gathered page by
page and reported together at the end, so one failing page does not hide the
others. Some forms are also shown again with errors (nothing is saved); the
journeys check the others' errors, and the sign-in page's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Snap, field, fill, sign_in


class Survey:
    """Checks each page and keeps what went wrong, instead of stopping at the first problem."""

    def __init__(self, snap: Snap) -> None:
        self.snap = snap
        self.problems: list[str] = []

    def check(self, page: Page, name: str, heading: str | re.Pattern[str] | None = None) -> None:
        if heading is not None:
            try:
                expect(page.get_by_role("heading", level=1)).to_have_text(heading, timeout=2_000)
            except AssertionError as error:
                self.problems.append(f"{name} ({page.url}): unexpected main heading. {error}")
        doubled = [t for t in page.locator("label").all_inner_texts() if t.count("(optional)") > 1]
        if doubled:
            self.problems.append(f"{name} ({page.url}): labels say “(optional)” twice: {doubled}")
        try:
            self.snap(page, name)
        except pytest.fail.Exception as failure:
            self.problems.append(f"{name}: {failure.msg}")

    def note(self, problem: str) -> None:
        self.problems.append(problem)


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Child's file").get_by_role("link", name=name, exact=True).click()


def find_ava(page: Page) -> None:
    nav(page, "Children")
    field(page, "Search by name or date of birth").fill("Ava Smith")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Smith, Ava").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ava Smith")


def choose_category(page: Page, category: str) -> None:
    page.get_by_role("link", name=re.compile(rf"^{re.escape(category)}(\s|$)")).click()


def test_every_staff_page_passes_the_accessibility_checks(
    page: Page, new_page: Callable[..., Page], snap: Snap
) -> None:
    survey = Survey(snap)

    # --- before signing in ------------------------------------------------------------------
    page.goto("/accounts/login/")
    survey.check(page, "login", "Sign in")

    # --- Kim, a key person --------------------------------------------------------------------
    kim = page
    sign_in(kim, "keyworker")
    survey.check(kim, "home-key-person", "Hello, Kim")

    nav(kim, "Children")
    survey.check(kim, "children", "Children")
    field(kim, "Key person").select_option(label="Me")
    kim.get_by_role("button", name="Filter").click()
    expect(kim).to_have_url(re.compile(r"key_worker=me"))
    survey.check(kim, "children-filtered", "Children")
    field(kim, "Search by name or date of birth").fill("Ava Smith")
    kim.get_by_role("button", name="Search").click()
    expect(kim.get_by_role("status")).to_have_text("1 match.")
    survey.check(kim, "search-results", "Children")

    find_ava(kim)
    survey.check(kim, "child-file", "Ava Smith")
    child_file = kim.url

    tab(kim, "Chronology")
    survey.check(kim, "chronology", re.compile(r"^Chronology"))
    field(kim, "Category").select_option(label="Progress")
    kim.get_by_role("button", name="Show").click()
    expect(kim).to_have_url(re.compile(r"category=progress"))
    survey.check(kim, "chronology-by-category", re.compile(r"^Chronology"))
    kim.locator("ol.records .record-title a").first.click()
    survey.check(kim, "record-general", None)
    expect(kim.locator("main dl.details")).to_contain_text("Progress")
    kim.go_back()
    field(kim, "Category").select_option(label="All categories")
    field(kim, "Part of the file").select_option(label="Safeguarding")
    kim.get_by_role("button", name="Show").click()
    expect(kim).to_have_url(re.compile(r"tier=safeguarding"))
    survey.check(kim, "chronology-safeguarding", re.compile(r"^Chronology"))

    kim.goto(child_file)
    kim.get_by_role("link", name="Add a record").click()
    survey.check(kim, "add-record-categories", "Add a record")
    add_record = kim.url
    # (The form of a conversation with a parent is checked in the sign-off journeys.)
    for category in ("Progress", "Contact with parents"):
        kim.goto(add_record)
        choose_category(kim, category)
        survey.check(kim, f"add-record-{category}", f"Add a record: {category.lower()}")
    kim.goto(add_record)
    choose_category(kim, "Report from another agency")
    survey.check(kim, "add-record-agency-report", "Add a record: report from another agency")
    kim.get_by_role("button", name="Save the record").click()
    errors = kim.locator(".error-summary")
    expect(errors).to_contain_text("Give the record a short title.")
    expect(errors).to_contain_text("Answer “Agency or professional”.")
    survey.check(kim, "add-record-agency-report-with-errors", "Add a record: report from another agency")

    nav(kim, "Raise a concern")
    survey.check(kim, "raise-concern-choose-child", "Raise a safeguarding concern")
    kim.get_by_role("link", name="Smith, Ava").click()
    survey.check(kim, "raise-concern-form", "Concern about Ava Smith")

    nav(kim, "Notifications")
    survey.check(kim, "notifications", "Notifications")
    nav(kim, "Home")
    kim.get_by_role("link", name="My activity").click()
    survey.check(kim, "my-activity", "My activity")

    # The hide-screen link's own address: the blank page for browsers without JavaScript.
    kim.goto(child_file)
    kim.goto(kim.get_by_role("link", name="Hide screen").get_attribute("href") or "")
    expect(kim.get_by_role("link", name="Show the page again")).to_be_visible()
    survey.check(kim, "screen-hidden", "Screen hidden")

    response = kim.goto("/no-such-page/")
    assert response is not None and response.status == 404
    survey.check(kim, "not-found", "Page not found")

    # --- Sunita, senior staff: the sign-off queue ---------------------------------------------
    senior = new_page()
    sign_in(senior, "senior")
    survey.check(senior, "home-senior", "Hello, Sunita")
    senior.get_by_role("link", name="The whole sign-off queue").click()
    survey.check(senior, "sign-off-queue", "Waiting for sign-off")
    senior.locator("main table tbody tr th a").first.click()
    expect(senior.get_by_role("region", name="Sign off")).to_be_visible()
    survey.check(senior, "record-awaiting-sign-off", None)

    # --- Dee, the designated safeguarding lead --------------------------------------------------
    dsl = new_page()
    sign_in(dsl, "dsl")
    survey.check(dsl, "home-dsl", "Hello, Dee")
    dsl.get_by_role("link", name="All open concerns").click()
    survey.check(dsl, "concern-queue", "Open safeguarding concerns")
    dsl.locator("main table tbody tr th a").first.click()
    expect(dsl.get_by_role("region", name="Handle this concern")).to_be_visible()
    survey.check(dsl, "concern", None)
    find_ava(dsl)
    tab(dsl, "Access")
    dsl.get_by_role("link", name="Name someone who needs to know").click()
    survey.check(dsl, "grant-safeguarding-file", re.compile(r"^Give access"))

    # --- Stu, a student, asks for access to a child's file ----------------------------------------
    student = new_page()
    sign_in(student, "student")
    student.get_by_role("link", name="Ask for access").click()
    survey.check(student, "access-request-choose-child", "Ask for access to a child's file")
    fill(student, {"First name": "Mia", "Last name": "Carter", "Date of birth": "2023-06-20"})
    student.get_by_role("button", name="Find the child").click()
    survey.check(student, "access-request-child-found", "Ask for access to a child's file")
    student.get_by_role("link", name="Carter, Mia").click()
    survey.check(student, "access-request-form", "Ask for access to Mia Carter's file")
    field(student, "Why do you need to read this child's file?").fill("Covering the Oaks room this week.")
    student.get_by_role("button", name="Ask the manager").click()
    expect(student.get_by_role("status")).to_contain_text("Your request has gone to the manager.")
    survey.check(student, "access-request-sent", "Ask for access to a child's file")

    # --- Maria, the centre manager --------------------------------------------------------------
    manager = new_page()
    sign_in(manager, "manager")
    survey.check(manager, "home-manager", "Hello, Maria")
    manager.get_by_role("region", name=re.compile(r"^Asking for access")).get_by_role(
        "link", name="Stu Green asks to read Mia Carter's file"
    ).click()
    survey.check(manager, "access-request-decide", "Access request")
    nav(manager, "Home")
    find_ava(manager)
    tab(manager, "Access")
    survey.check(manager, "access", "Ava Smith")
    manager.get_by_role("link", name="Give someone access").click()
    survey.check(manager, "grant-child-file", re.compile(r"^Give access"))
    manager.go_back()
    tab(manager, "Access history")
    survey.check(manager, "access-history", "Ava Smith")
    tab(manager, "Chronology")
    field(manager, "Category").select_option(label="Progress")
    manager.get_by_role("button", name="Show").click()
    manager.locator("ol.records .record-title a").first.click()
    manager.get_by_role("link", name="Amend this record").click()
    survey.check(manager, "amend", re.compile(r"^Amend “"))
    manager.get_by_role("button", name="Save the amendment").click()
    expect(manager.locator(".error-summary")).to_contain_text("Say why you are amending the record.")
    survey.check(manager, "amend-with-errors", re.compile(r"^Amend “"))

    nav(manager, "Home")
    manager.get_by_role("link", name="Audit log").click()
    survey.check(manager, "audit-log", "Audit log")
    # Who is kept out of a file: the conflict of interest recorded for Val, the volunteer.
    field(manager, "What").select_option(label="Revoked")
    manager.get_by_role("button", name="Filter").click()
    survey.check(manager, "audit-log-filtered", "Audit log")
    manager.get_by_role("row").filter(has_text="Conflict of interest recorded for Val Brown").get_by_role(
        "link"
    ).first.click()
    tab(manager, "Access")
    manager.get_by_role("link", name="Clear").first.click()
    survey.check(manager, "conflict-clear", re.compile(r"^Clear the conflict of interest for Val Brown"))

    manager.goto("/corrections/")  # linked from nowhere yet
    survey.check(manager, "correction-queue", "Corrections asked for by parents")

    # --- Harriet, HR: staff files --------------------------------------------------------------
    hr = new_page()
    sign_in(hr, "hr")
    survey.check(hr, "home-hr", "Hello, Harriet")
    nav(hr, "Staff files")
    survey.check(hr, "staff-files", "Staff files")
    hr.get_by_role("link", name="Kim Patel").click()
    survey.check(hr, "staff-file", "Kim Patel")
    staff_file = hr.url
    hr.get_by_role("link", name="Contract of employment").first.click()
    survey.check(hr, "staff-record", "Contract of employment")
    hr.goto(staff_file)
    hr.get_by_role("link", name="Add a record").click()
    survey.check(hr, "staff-add-record-categories", "Add a record")
    choose_category(hr, "Staff record (employment)")
    survey.check(hr, "staff-add-record", "Add a record: staff record (employment)")
    hr.goto(staff_file)
    hr.get_by_role("link", name="Give someone access to this file").click()
    survey.check(hr, "grant-staff-file", re.compile(r"^Give access: staff file of Kim Patel"))

    assert not survey.problems, f"{len(survey.problems)} problem(s):\n" + "\n\n".join(survey.problems)
