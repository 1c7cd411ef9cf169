from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access.models import Role
from access.selectors import (
    attachment_get_for_user,
    child_get_for_concern,
    child_get_for_user,
    children_for_concern,
    record_get_for_user,
    records_for_child,
    records_for_staff_member,
    safeguarding_reader_count,
    staff_files_for_user,
    staff_member_get_for_user,
    staff_site_ids,
)
from audit.models import Event, Tier
from audit.services import audit_event
from records import attachments, services
from records.forms import AmendForm, ChildSearchForm, ConcernForm, RecordForm
from records.models import Category, Child, Notification, Record, StaffMember
from records.selectors import child_count, child_list, child_search, record_history


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    standing = policy.standing_of(request.user)
    return render(request, "records/home.html", {
        "child_count": child_count(user=request.user),
        "may_see_audit": any(standing.has_any((Role.MANAGER, Role.DSL), s) for s in standing.site_ids),
    })


@require_http_methods(["GET", "POST"])
@login_required
def children(request: HttpRequest) -> HttpResponse:
    # Searching is a POST, so names never appear in URLs or server logs.
    form = ChildSearchForm(request.POST or None)
    searched = request.method == "POST" and form.is_valid()
    if searched:
        found = child_search(user=request.user, query=form.cleaned_data["query"])
    else:
        found = child_list(user=request.user)
    # What was searched for is never stored: it is usually a name.
    audit_event(actor=request.user, event=Event.SEARCHED if searched else Event.LISTED, obj=Child,
                request=request, tier=Tier.NONE, reason=f"{len(found)} children shown")
    return render(
        request, "records/child_list.html", {"form": form, "children": found, "searched": searched}
    )


@require_GET
@login_required
def child_file(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id)
    standing = policy.standing_of(request.user)
    carer_links = child.carer_links.select_related("carer").order_by("-parental_responsibility")
    records = records_for_child(user=request.user, child=child).select_related("author")
    by_category: dict[str, list[Record]] = defaultdict(list)
    safeguarding: list[Record] = []
    for record in records.prefetch_related("attachments"):
        if record.tier == Tier.SAFEGUARDING:
            safeguarding.append(record)
        else:
            by_category[Category(record.category).label].append(record)
    # Someone who reads only the safeguarding file opening it says safeguarding is involved.
    audit_event(actor=request.user, event=Event.VIEWED, obj=child, request=request, child_id=child.pk,
                tier=Tier.GENERAL if child.can_read_general else Tier.SAFEGUARDING)
    return render(request, "records/child_file.html", {
        "child": child, "carer_links": carer_links, "by_category": sorted(by_category.items()),
        "safeguarding": safeguarding,
        "safeguarding_readers": (
            safeguarding_reader_count(child=child) if child.can_read_safeguarding else None
        ),
        "may_add": policy.may_add_record(standing, child),
        "may_see_access": policy.may_see_access(standing, child),
        "may_raise_concern": policy.may_raise_concern(standing, child),
    })


@require_http_methods(["GET", "POST"])
@login_required
def record_add(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id)
    if not policy.may_add_record(policy.standing_of(request.user), child):
        raise Http404
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            record = services.record_add(actor=request.user, child=child, **fields,
                                         upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The record is saved.")
            return redirect("record_detail", record_id=record.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(actor=request.user, event=Event.VIEWED, obj=child, request=request,
                child_id=child.pk, tier=Tier.GENERAL, reason="Add-a-record page")
    return render(request, "records/record_form.html", {"child": child, "form": form})


@require_GET
@login_required
def record_detail(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = record_get_for_user(user=request.user, record_id=record_id)
    staff_sites = staff_site_ids(record)
    audit_event(actor=request.user, event=Event.VIEWED, obj=record, request=request,
                child_id=record.child_id, staff_member_id=record.staff_member_id, tier=record.tier)
    return render(request, "records/record_detail.html", {
        "record": record, "history": record_history(user=request.user, record=record),
        "attachments": record.attachments.all(),
        "may_amend": policy.may_amend(policy.standing_of(request.user), record, staff_site_ids=staff_sites),
    })


@require_http_methods(["GET", "POST"])
@login_required
def record_amend(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = record_get_for_user(user=request.user, record_id=record_id)
    staff_sites = staff_site_ids(record)
    if not policy.may_amend(policy.standing_of(request.user), record, staff_site_ids=staff_sites):
        raise Http404
    form = AmendForm(request.POST or None, initial={"title": record.title, "body": record.body})
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.record_amend(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "The amendment is saved; the original is kept in the history.")
            return redirect("record_detail", record_id=revision.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(actor=request.user, event=Event.VIEWED, obj=record, request=request,
                child_id=record.child_id, staff_member_id=record.staff_member_id, tier=record.tier,
                reason="Amend page")
    return render(request, "records/record_amend.html", {"record": record, "form": form})


@require_GET
@login_required
def concern_start(request: HttpRequest) -> HttpResponse:
    children = children_for_concern(user=request.user)
    audit_event(actor=request.user, event=Event.LISTED, obj=Child, request=request, tier=Tier.SAFEGUARDING,
                reason=f"Raise-a-concern list: {len(children)} children shown")
    return render(request, "records/concern_start.html", {"children": children})


@require_http_methods(["GET", "POST"])
@login_required
def concern_raise(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_concern(user=request.user, child_id=child_id)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_raise(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you. Your concern has been received by the designated "
                                      "safeguarding lead, who will decide what happens next.")
            return redirect("home")
    # Shown (or shown again with errors): an entry either way.
    # Raising is not reading: the page shows who the child is, nothing of the file.
    audit_event(actor=request.user, event=Event.VIEWED, obj=child, request=request,
                child_id=child.pk, tier=Tier.SAFEGUARDING,
                reason="Raise-a-concern page (name, date of birth, room)")
    return render(request, "records/concern_form.html", {"child": child, "form": form})


@require_GET
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    members = staff_files_for_user(user=request.user)
    audit_event(actor=request.user, event=Event.LISTED, obj=StaffMember, request=request,
                tier=Tier.PERSONNEL, reason=f"{len(members)} staff files shown")
    return render(request, "records/staff_list.html", {"members": members})


@require_GET
@login_required
def staff_file(request: HttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member = staff_member_get_for_user(user=request.user, staff_member_id=staff_member_id)
    records = records_for_staff_member(user=request.user, staff_member=member).select_related("author")
    sites = frozenset(member.sites.values_list("pk", flat=True))
    audit_event(actor=request.user, event=Event.VIEWED, obj=member, request=request,
                staff_member_id=member.pk, tier=Tier.PERSONNEL)
    return render(request, "records/staff_file.html", {
        "member": member, "records": records.prefetch_related("attachments"),
        "may_grant": policy.may_grant_staff_file(policy.standing_of(request.user), member, sites),
    })


@require_GET
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "records/notifications.html", {"notes": notes})


@require_POST
@login_required
def notification_open(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    note = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
    if note is None:
        raise Http404
    services.notification_mark_read(actor=request.user, notification_id=note.pk)
    return redirect(note.url or "notifications")


@require_GET
@login_required
def attachment_download(request: HttpRequest, attachment_id: uuid.UUID) -> StreamingHttpResponse:
    attachment = attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    content = attachments.open_plaintext(
        attachment_id=attachment.pk, stored_name=attachment.stored_name
    )
    audit_event(
        actor=request.user, event=Event.DOWNLOADED, obj=attachment, request=request,
        child_id=attachment.record.child_id, staff_member_id=attachment.record.staff_member_id,
        tier=attachment.record.tier,
    )
    response = StreamingHttpResponse(content, content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.original_filename
    )
    return response
