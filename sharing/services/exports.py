"""Bulk exports for an inspection or a transfer: general files by a manager,
safeguarding files by the DSL, staff files by HR; always with a reason, every
page watermarked with who exported it and when, one audit entry listing what
was included (by id)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from access import policy
from access.models import Membership, User
from access.selectors import records_for, staff_files_for
from access.services.common import person_name
from audit.models import Tier
from records.models import Child, Record, Site, StaffMember
from sharing import pdf
from sharing.models import BulkExport, ExportTier
from sharing.services import redaction
from sharing.services.common import Event, audit, require


def _record_lines(record: Record) -> tuple[str, list[tuple[str, str]]]:
    parts = {code for code, _label in redaction.record_parts(record)}
    lines = redaction.record_lines(record, parts, redaction.Redactor(on=False))
    return str(record.title), lines


def _child_sections(
    actor: User, children: Iterable[Child], tier: str
) -> tuple[list[pdf.ExportSection], list[str], list[str]]:
    children = list(children)
    records = (
        records_for(actor)
        .filter(child__in=children, tier=tier)
        .exclude(status=Record.Status.SUPERSEDED)
        .select_related("author")
        .order_by("occurred_at")
    )
    by_child: dict[object, list[Record]] = {}
    for record in records:
        by_child.setdefault(record.child_id, []).append(record)
    details = [code for code, _label, _category in redaction.CHILD_DETAILS]
    sections = [
        pdf.ExportSection(
            heading=f"{child.full_name} ({tier} file)",
            details=redaction.child_lines(child, details) if tier == ExportTier.GENERAL else [],
            records=[_record_lines(r) for r in by_child.get(child.pk, [])],
        )
        for child in children
    ]
    return sections, [str(c.pk) for c in children], [str(r.pk) for r in records]


def _staff_sections(
    actor: User, site: Site, staff_member: StaffMember | None
) -> tuple[list[pdf.ExportSection], list[str], list[str]]:
    there = Membership.objects.filter(site=site).values("user_id")
    files = staff_files_for(actor).filter(user_id__in=there).exclude(user_id=actor.pk).select_related("user")
    if staff_member is not None:
        files = files.filter(pk=staff_member.pk)
    members = list(files.order_by("user__last_name", "user__first_name"))
    records = list(
        records_for(actor)
        .filter(staff_member__in=members)
        .exclude(status=Record.Status.SUPERSEDED)
        .select_related("author")
        .order_by("occurred_at")
    )
    sections = [
        pdf.ExportSection(
            heading=f"Staff file: {person_name(m.user)}",
            details=[
                ("Job title", m.job_title),
                ("Started", f"{m.start_date:%-d %B %Y}" if m.start_date else ""),
            ],
            records=[_record_lines(r) for r in records if r.staff_member_id == m.pk],
        )
        for m in members
    ]
    return sections, [str(m.pk) for m in members], [str(r.pk) for r in records]


@transaction.atomic
def bulk_export(
    *,
    actor: User,
    site: Site,
    tier: str,
    reason: str,
    child: Child | None = None,
    staff_member: StaffMember | None = None,
) -> tuple[BulkExport, bytes]:
    """One watermarked PDF of a site's files of one tier (or one child's, one staff file)."""
    require(site.pk in policy.bulk_export_sites(policy.standing_of(actor), tier))
    if not reason.strip():
        raise ValidationError({"reason": "Say why the files are exported: for an inspection, a transfer…"})
    if child is not None and child.site_id != site.pk:
        raise ValidationError({"child": "Choose a child of this setting."})
    if tier == ExportTier.PERSONNEL:
        sections, files, records = _staff_sections(actor, site, staff_member)
        kind = "staff files"
    else:
        children = (
            [child] if child else Child.objects.filter(site=site).filter(policy.not_conflicted_q(actor))
        )
        sections, files, records = _child_sections(actor, children, tier)
        kind = f"children's {tier} files"
    title = f"{site.name}: {kind}"
    data = pdf.bulk_export_pdf(title=title, reason=reason.strip(), sections=sections, exported_by=actor)
    export = BulkExport(
        site=site,
        tier=tier,
        reason=reason.strip(),
        child=child,
        staff_member=staff_member,
        file_count=len(files),
        record_count=len(records),
        exported_by=actor,
        exported_at=timezone.now(),
    )
    export.full_clean()
    export.save()
    audit(
        actor=actor,
        event=Event.EXPORTED,
        obj=export,
        child=child,
        tier=Tier.PERSONNEL if tier == ExportTier.PERSONNEL else tier,
        reason=f"Bulk export of {kind}: {len(files)} files, {len(records)} records",
        data={"files": files, "records": records},
    )
    return export, data
