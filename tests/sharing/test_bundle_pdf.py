"""The bundle: a watermarked PDF, "page N of M" on every page, no metadata, and
redaction that replaces the informant, third parties and marked passages
(read back with pypdf: text, metadata and annotations)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEntry, Event
from records.models import Category
from records.services import attachment_create
from sharing import services
from sharing.models import Basis, Channel, ConsentPosition, Disclosure, ParentsTold, Purpose
from tests.factories import RecordFactory
from tests.sharing.helpers import child_for, consent, parts, recipient, share, social_care

pytestmark = pytest.mark.django_db

INFORMANT = "Mrs Olive Neighbour"
PASSAGE = "the lady at number 4 who walks the grey whippet"
# A one-pixel PNG.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND"
    b"\xaeB`\x82"
)


def everything_in(data: bytes) -> str:
    """The PDF's page text, its metadata and its annotations, as one text."""
    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() for page in reader.pages]
    parts += [f"{k}={v}" for k, v in (reader.metadata or {}).items()]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            parts.append(str(annotation.get_object()))
    return "\n".join(parts)


def family_information(world):
    return RecordFactory(
        child=world.ava,
        author=world.keyworker,
        category=Category.FAMILY_INFORMATION,
        title="Worries at home",
        body=f"{INFORMANT} told us that {PASSAGE} hears shouting most nights.",
        source="other",
        source_name=INFORMANT,
        details={"who": INFORMANT, "affects_planning": "Ava is tired in the mornings."},
        occurred_at=world.ava_progress.occurred_at,
    )


def bundle_of(world, **fields) -> tuple[Disclosure, bytes]:
    record = family_information(world)
    consent(world, categories=(Category.FAMILY_INFORMATION, Category.PROGRESS))
    disclosure = share(
        world,
        world.keyworker,
        recipient(world),
        [],
        channel=Channel.BUNDLE,
        summary="",
        items=parts(record, "title", "body", "source", "d:who", "d:affects_planning"),
        child_details=["name", "date_of_birth"],
        **fields,
    )
    return disclosure, services.disclosure_bundle(actor=world.keyworker, disclosure=disclosure)


def test_the_bundle_names_the_recipient_and_reference_on_every_page_of_n(world) -> None:
    disclosure, data = bundle_of(world)
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert disclosure.reference in text and "Leeds Health Visiting Team (North)" in text
        assert "Produced by Kim Tester" in text
    assert "Ava Smith" in everything_in(data)  # the name was chosen: it is there


def test_the_bundle_carries_no_metadata(world) -> None:
    _disclosure, data = bundle_of(world)
    metadata = PdfReader(io.BytesIO(data)).metadata or {}
    for key in ("/Title", "/Author", "/Subject", "/Creator", "/Producer", "/Keywords"):
        assert not metadata.get(key), (key, metadata.get(key))
    assert "Ava" not in str(dict(metadata)) and "Oakfield" not in str(dict(metadata))


def test_redaction_removes_the_informant_and_a_marked_passage_from_text_metadata_and_annotations(
    world,
) -> None:
    _disclosure, data = bundle_of(world, redact_passages=PASSAGE)
    found = everything_in(data)
    assert INFORMANT not in found and "Olive" not in found
    assert "whippet" not in found and "number 4" not in found
    assert "[redacted: informant]" in found and "[redacted: third party]" in found
    assert "hears shouting" in found  # what is needed still goes


def test_without_redaction_the_informant_goes_as_written(world) -> None:
    _disclosure, data = bundle_of(world, redact_third_parties=False)
    assert INFORMANT in everything_in(data)


def test_the_stored_snapshot_is_redacted_too_not_only_the_pdf(world) -> None:
    disclosure, _data = bundle_of(world, redact_passages=PASSAGE)
    stored = "\n".join(v for item in disclosure.items.all() for _label, v in item.lines)
    assert INFORMANT not in stored and "whippet" not in stored


def test_a_passage_not_in_what_was_chosen_is_refused(world) -> None:
    with pytest.raises(ValidationError) as error:
        bundle_of(world, redact_passages="the man with the red van")
    assert "This passage is not in what you chose to share" in str(error.value)
    assert not Disclosure.objects.exists()


def test_downloading_the_bundle_is_one_audited_export_and_a_pdf(client, world) -> None:
    disclosure, _data = bundle_of(world)
    client.force_login(world.keyworker)
    before = AuditEntry.objects.filter(event=Event.EXPORTED).count()
    response = client.get(reverse("disclosure_bundle", args=[disclosure.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(event=Event.EXPORTED).count() == before + 1
    client.force_login(world.keyworker2)  # may read it, did not make it, does not lead
    assert client.get(reverse("disclosure_bundle", args=[disclosure.pk])).status_code == 404


# --- scans and images: only the DSL, only reviewed by hand ---------------------------------------


def scanned_concern(world):
    attachment_create(
        actor=world.dsl,
        record=world.ava_concern,
        uploaded=SimpleUploadedFile("bruise.png", PNG, content_type="image/png"),
    )
    return world.ava_concern


def dsl_share(world, **fields):
    values = {
        "actor": world.dsl,
        "child": child_for(world.dsl, world.ava),
        "recipient": social_care(world),
        "basis": Basis.PUBLIC_TASK,
        "condition": "safeguarding",
        "basis_reason": "Risk of harm.",
        "consent_position": ConsentPosition.NOT_SOUGHT_RISK,
        "purpose": Purpose.SAFEGUARDING,
        "channel": Channel.BUNDLE,
        "parents_told": ParentsTold.NO,
        "parents_not_told_reason": "Risk to Ava.",
        "items": parts(scanned_concern(world), "title", "body", "files"),
    }
    return services.disclosure_make(**(values | fields))


def test_scans_are_left_out_unless_the_dsl_ticks_reviewed_by_hand(world) -> None:
    with pytest.raises(ValidationError) as error:
        dsl_share(world)
    assert "reviewed the scans and images by hand" in str(error.value)
    disclosure = dsl_share(world, include_scans=True)
    item = disclosure.items.get()
    assert {a.original_filename for a in item.attachments.all()} == {"bruise.png", "body-map.txt"}
    data = services.disclosure_bundle(actor=world.dsl, disclosure=disclosure)
    reader = PdfReader(io.BytesIO(data))
    assert any(page.images for page in reader.pages)  # the image is embedded
    assert "body-map.txt" in everything_in(data)  # not an image: listed, sent separately
