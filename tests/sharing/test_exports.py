"""Bulk export: general files by managers, safeguarding files by the DSL, staff files
by HR; always with a reason, every page watermarked with who and when, and one audit
entry listing what was included."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEntry, Event
from sharing import services
from sharing.models import BulkExport

pytestmark = pytest.mark.django_db


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_manager_exports_the_general_files_with_a_reason_and_a_watermark_on_every_page(
    client, world
) -> None:
    client.force_login(world.manager)
    url = reverse("bulk_export") + "?tier=general"
    assert client.get(url).status_code == 200
    response = client.post(url, {"site": world.site.pk, "reason": "Ofsted inspection on 12 March"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text and "Exported by Maria Tester" in text
    everything = "\n".join(pages)
    assert "Progress for Ava" in everything and "Bruise on arrival" not in everything  # general only
    export = BulkExport.objects.get()
    [entry] = AuditEntry.objects.filter(event=Event.EXPORTED, object_pk=str(export.pk))
    assert entry.actor == world.manager and str(world.ava.pk) in entry.additional_data["files"]
    assert str(world.ava_progress.pk) in entry.additional_data["records"]
    assert str(world.ava_concern.pk) not in entry.additional_data["records"]


def test_an_export_needs_its_reason(client, world) -> None:
    client.force_login(world.manager)
    response = client.post(reverse("bulk_export") + "?tier=general", {"site": world.site.pk, "reason": ""})
    assert response.status_code == 400 and "Say why the files are exported" in response.content.decode()
    assert not BulkExport.objects.exists()


def test_the_safeguarding_files_are_exported_by_the_dsl_only(world) -> None:
    export, data = services.bulk_export(
        actor=world.dsl,
        site=world.site,
        tier="safeguarding",
        reason="Transfer to Oakfield Primary",
        child=world.ava,
    )
    assert "Bruise on arrival" in "\n".join(pdf_pages(data))
    for person in (world.manager, world.hr, world.named):
        with pytest.raises(PermissionDenied):
            services.bulk_export(actor=person, site=world.site, tier="safeguarding", reason="Inspection")


def test_staff_files_are_exported_by_hr_only_and_never_their_own(world) -> None:
    _export, data = services.bulk_export(
        actor=world.hr, site=world.site, tier="personnel", reason="Tribunal bundle"
    )
    text = "\n".join(pdf_pages(data))
    assert "Contract of employment" in text and "Staff file: Harriet Tester" not in text
    for person in (world.manager, world.dsl, world.keyworker):
        with pytest.raises(PermissionDenied):
            services.bulk_export(actor=person, site=world.site, tier="personnel", reason="Inspection")


def test_the_export_page_is_not_found_for_people_who_may_not_export(client, world) -> None:
    for person, tier in (
        (world.keyworker, "general"),
        (world.manager, "safeguarding"),
        (world.dsl, "personnel"),
    ):
        client.force_login(person)
        assert client.get(reverse("bulk_export") + f"?tier={tier}").status_code == 404


def test_an_export_of_one_child_of_another_setting_is_refused(world) -> None:
    with pytest.raises(ValidationError):
        services.bulk_export(
            actor=world.manager, site=world.site, tier="general", reason="Transfer", child=world.other_child
        )
