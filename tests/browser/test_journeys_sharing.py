"""Information leaving the setting: Kim shares two records with the health visitor
under Amy's consent; Dee, the DSL, refers a concern to social care in one pass;
Amy withdraws a consent in the portal."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Snap, field, fill, sign_in

HEALTH_VISITOR = (
    "Leeds Community Healthcare Health Visiting Team (Headingley) (Hana Kowalski, health visitor)"
)
FRONT_DOOR = "Leeds Children's Social Work Service Front Door"


def open_avas_file(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Children").click()
    page.get_by_role("link", name="Smith, Ava").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ava Smith")


def record_parts(page: Page, category: str):
    """The checkboxes of the parts of the first record of this category on the share form."""
    return (
        page.locator("fieldset.record-parts")
        .filter(has=page.locator("legend", has_text=f"({category})"))
        .first
    )


def test_a_key_person_shares_two_records_with_the_health_visitor_under_a_consent(
    page: Page, snap: Snap
) -> None:
    sign_in(page, "keyworker")
    open_avas_file(page)
    consents = page.get_by_role("region", name="Consents to share")
    expect(consents).to_contain_text("Health and development")
    page.get_by_role("navigation", name="Child's file").get_by_role("link", name="Sharing").click()
    expect(page.get_by_role("heading", name="Consents")).to_be_visible()
    snap(page, "sharing-tab")

    page.get_by_role("link", name="Share information").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share information about Ava Smith")
    expect(page.locator("input[name=items]:checked")).to_have_count(0)  # nothing is chosen for you
    snap(page, "share-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the share").click()
    errors = page.locator(".error-summary")
    expect(errors).to_contain_text("Choose who the information goes to, from the directory.")
    expect(errors).to_contain_text("Choose at least one record to share.")
    snap(page, "share-form-with-errors")

    field(page, "Who it goes to").select_option(label=f"{HEALTH_VISITOR}: Health visitor")
    page.get_by_role("radio", name="Consent (Art. 6(1)(a))").check()
    field(page, "What it is for").select_option(
        label="Health and development (for example the two-year check)"
    )
    page.get_by_role("radio", name="Phone call").check()
    fill(
        page,
        {"What was said or shown": "Read Hana the latest progress and medical notes before the review."},
    )
    for category, body in (("Progress", "What you observed"), ("Medical", "Details")):
        parts = record_parts(page, category)
        parts.get_by_role("checkbox", name="Title, date and category").check()
        parts.get_by_role("checkbox", name=body).check()
    page.get_by_role("checkbox", name="Full name").check()
    page.get_by_role("checkbox", name="Date of birth").check()
    page.get_by_role("radio", name="Yes").check()
    snap(page, "share-form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the share").click()

    assert not page.locator(".error-summary").all_inner_texts(), page.locator(
        ".error-summary"
    ).all_inner_texts()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Recorded as SH-[A-Z0-9]{8}\."))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Disclosure SH-"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Given by Amy Smith")
    expect(main).to_contain_text("two-word phrases")
    expect(main.locator("article")).to_have_count(2)
    expect(main).not_to_contain_text("Hidden from parents")
    snap(page, "disclosure")


def test_the_dsl_refers_a_concern_to_social_care_in_one_pass(page: Page, snap: Snap) -> None:
    sign_in(page, "dsl")
    open_avas_file(page)
    page.get_by_role("region", name="Safeguarding file").get_by_role(
        "link", name="Bruise noticed on arrival"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bruise noticed on arrival")
    page.get_by_role("link", name="Refer to another agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer the concern about Ava Smith")
    expect(page.get_by_role("radio", name="Consent (Art. 6(1)(a))")).to_have_count(0)  # never the basis here
    snap(page, "referral-form")

    field(page, "Who it goes to").select_option(label=f"{FRONT_DOOR}: Children's social care")
    page.get_by_role("radio", name=re.compile(r"^Public task")).check()
    fill(
        page,
        {
            "Why this basis applies": "A bruise on the upper arm and Ava's words: risk of significant harm.",
            "What happened about consent": (
                "Consent was not sought: asking would put the child at risk or hinder an enquiry"
            ),
            "What was said or shown": "Rang the front door at 10:40; spoke to the duty social worker.",
        },
    )
    page.get_by_role("radio", name="Phone call").check()
    page.get_by_role("radio", name="No").check()
    fill(page, {"If not, why not": "The duty social worker asked us not to tell the parents today."})
    page.get_by_role(
        "checkbox", name="Social care was consulted before deciding not to tell the parents"
    ).check()
    snap(page, "referral-form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the referral").click()

    assert not page.locator(".error-summary").all_inner_texts(), page.locator(
        ".error-summary"
    ).all_inner_texts()
    expect(page.get_by_role("status")).to_contain_text("and noted on the concern")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Hidden from parents until the DSL releases it")
    expect(main).to_contain_text("Safeguarding of children and individuals at risk")
    expect(main).to_contain_text("Consent was not sought: asking would put the child at risk")
    expect(main).not_to_contain_text("refused")
    snap(page, "referral")
    page.get_by_role("link", name="The concern referred").click()
    expect(page.get_by_role("main")).to_contain_text(f"Referred to: {FRONT_DOOR}")
    snap(page, "concern-with-referral")


def test_a_parent_withdraws_a_consent_in_the_portal(page: Page, snap: Snap) -> None:
    sign_in(page, "parent")
    page.get_by_role("link", name=re.compile("Ava")).click()
    page.get_by_role("link", name="Consents and sharing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consents and sharing: Ava")
    shared = page.get_by_role("region", name="What has been shared, and with whom")
    expect(shared).to_contain_text("Leeds Community Healthcare Health Visiting Team")
    expect(shared).not_to_contain_text("Social Work")  # a referral is never shown unless released
    snap(page, "portal-sharing")

    page.get_by_role("link", name="Early help and family support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent to share information about Ava")
    snap(page, "portal-consent")
    page.get_by_role("button", name="Withdraw it").click()
    expect(page.locator(".error-summary")).to_contain_text("Tick to say you want to withdraw this consent.")
    snap(page, "portal-consent-withdraw-error")
    page.get_by_role("checkbox", name="I want to withdraw this consent").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw it").click()
    expect(page.get_by_role("status")).to_contain_text("Your consent is withdrawn")
    status = page.locator("main dl.details dt", has_text=re.compile(r"^Status$")).locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(status).to_have_text("Withdrawn")
    expect(page.get_by_role("button", name="Withdraw it")).to_have_count(0)
    snap(page, "portal-consent-withdrawn")
