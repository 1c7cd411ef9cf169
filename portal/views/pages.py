"""
The parent portal: a parent or carer with parental responsibility sees their
own children's files, as far as staff shared them, and nothing else.

Every read goes through access (portal_* selectors), answers 404 for anything
else, and writes one audit entry, as staff reads do.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from access import selectors
from access.http import AuthenticatedHttpRequest
from access.models import SAFEGUARDING_LEADS, Role
from audit.models import AuditEntry, Event, Tier
from audit.services import audit_event
from crypto import attachments
from governance import selectors as governance_selectors
from portal import services
from portal.forms import CorrectionForm, PortalCommentForm, PortalSendForm
from portal.pdf import child_file_pdf
from records.models import Carer, Child, Record
from submissions.decorators import submitted_once

PAGE_SIZE = 25
P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


class PortalHttpRequest(AuthenticatedHttpRequest):
    """A portal page's request: the signed-in person is this carer."""

    carer: Carer


def portal_page(
    view: Callable[Concatenate[PortalHttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """Signed in, and a carer: staff who are not carers get 404 here."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
        portal_request = cast(PortalHttpRequest, request)  # signed in (login_required); carer set below
        carer = selectors.portal_carer(portal_request.user)
        if carer is None:
            raise Http404
        portal_request.carer = carer
        return view(portal_request, *args, **kwargs)

    return wrapped


@require_GET
@portal_page
def portal_home(request: PortalHttpRequest) -> HttpResponse:
    children = selectors.portal_children(user=request.user)
    if children:
        audit_event(
            actor=request.user,
            event=Event.LISTED,
            obj=Child,
            request=request,
            tier=Tier.NONE,
            reason="Portal: my children",
        )
    notices = governance_selectors.parent_notices_unseen(user=request.user)
    return render(request, "portal/home.html", {"children": children, "notices": notices})


def _child_page(request: PortalHttpRequest, child: Child, **forms: Any) -> HttpResponse:
    """A child's page, with a form shown again with its errors if there is one."""
    records = selectors.portal_records(user=request.user, child=child).select_related("author")
    page = Paginator(records.filter(visible_to_parents=True), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Portal: child's file",
    )
    context = {
        "child": child,
        "carer": request.carer,
        "page": page,
        "sent": records.filter(author_id=request.user.pk),
        "links": child.carer_links.select_related("carer").order_by("-parental_responsibility"),
        "corrections": selectors.portal_corrections(carer=request.carer, child=child),
        "send_form": forms.get("send_form") or PortalSendForm(),
        "correction_form": forms.get("correction_form") or CorrectionForm(),
    }
    return render(request, "portal/child.html", context, status=400 if forms else 200)


@require_GET
@portal_page
def portal_child(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    return _child_page(request, selectors.portal_child_get(user=request.user, child_id=child_id))


@require_POST
@portal_page
@submitted_once
def portal_send(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.portal_child_get(user=request.user, child_id=child_id)
    form = PortalSendForm(request.POST)
    if form.is_valid():
        try:
            services.portal_send_information(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Thank you. Senior staff will read it and share it with the key person."
            )
            return redirect("portal_child", child_id=child.pk)
    return _child_page(request, child, send_form=form)


@require_POST
@portal_page
def portal_correction(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.portal_child_get(user=request.user, child_id=child_id)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correction_request(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you. Staff will check it and correct the details.")
            return redirect("portal_child", child_id=child.pk)
    return _child_page(request, child, correction_form=form)


def _record_page(
    request: PortalHttpRequest, record: Record, form: PortalCommentForm | None = None
) -> HttpResponse:
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=record,
        request=request,
        child_id=record.child_id,
        tier=Tier.GENERAL,
        reason="Portal",
    )
    context = {
        "record": record,
        "child": record.child,
        "attachments": record.attachments.all(),
        "comments": selectors.portal_comments(user=request.user, records=[record]).get(record.pk, []),
        "form": form or PortalCommentForm(),
        "may_comment": record.visible_to_parents,
    }
    return render(request, "portal/record.html", context, status=400 if form else 200)


@require_GET
@portal_page
def portal_record(request: PortalHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_page(request, selectors.portal_record_get(user=request.user, record_id=record_id))


@require_POST
@portal_page
def portal_record_comment(request: PortalHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = selectors.portal_record_get(user=request.user, record_id=record_id)
    form = PortalCommentForm(request.POST)
    if form.is_valid():
        try:
            services.portal_comment(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your comment is added to the record.")
            return redirect("portal_record", record_id=record.pk)
    return _record_page(request, record, form=form)


@require_GET
@portal_page
def portal_attachment(request: PortalHttpRequest, attachment_id: uuid.UUID) -> StreamingHttpResponse:
    attachment = selectors.portal_attachment_get(user=request.user, attachment_id=attachment_id)
    response = attachments.download_response(attachment)
    audit_event(
        actor=request.user,
        event=Event.DOWNLOADED,
        obj=attachment,
        request=request,
        child_id=attachment.record.child_id,
        tier=Tier.GENERAL,
        reason="Portal",
    )
    return response


# What a member of staff did, as a parent reads it: by what happened and to what.
THINGS = {
    "record": "a record",
    "attachment": "a document",
    "addendum": "a note on a record",
    "disclosure": "information from the file",
}
EVENT_WORDS: dict[str, str] = {
    Event.VIEWED: "Read {thing}",
    Event.LISTED: "Saw the file in a list",
    Event.SEARCHED: "Found the file by searching",
    Event.DOWNLOADED: "Downloaded {thing}",
    Event.CREATED: "Added {thing}",
    Event.UPDATED: "Changed {thing}",
    Event.EXPORTED: "Exported the file (printed or saved as a document)",
    Event.SIGNED_OFF: "Signed off {thing}",
    Event.SHARED: "Shared {thing} with another professional",
    Event.DELETED: "Removed {thing}",
}


def history_words(entry: AuditEntry) -> str:
    thing = THINGS.get(entry.content_type.model, "the file")
    if thing == "the file":
        thing = "the file" if entry.event != Event.UPDATED else "the file's details"
    if entry.event == Event.VIEWED and thing == "the file":
        return "Opened the file"
    return EVENT_WORDS.get(entry.event, "Opened {thing}").format(thing=thing)


def _history_row(entry: AuditEntry) -> dict[str, Any]:
    staff = entry.actor
    if staff is None:  # the history holds staff's entries only (access.selectors.portal)
        raise ValueError(f"audit entry {entry.pk} names nobody")
    # The safeguarding lead's role is not named: it would tell a parent that
    # safeguarding is involved.
    roles = sorted({Role(m.role).label for m in staff.memberships.all() if m.role not in SAFEGUARDING_LEADS})
    return {
        "when": entry.timestamp,
        "who": staff.get_full_name() or staff.username,
        "role": ", ".join(roles) or "Staff",
        "what": history_words(entry),
    }


@require_GET
@portal_page
def portal_history(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.portal_child_get(user=request.user, child_id=child_id)
    rows = [_history_row(entry) for entry in selectors.portal_access_history(child=child)]
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Portal: who has accessed the file",
    )
    return render(request, "portal/history.html", {"child": child, "rows": rows})


@require_GET
@portal_page
def portal_file_pdf(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.portal_child_get(user=request.user, child_id=child_id)
    # What staff shared, and what the parent sent themselves.
    records = list(selectors.portal_records(user=request.user, child=child).prefetch_related("attachments"))
    comments = selectors.portal_comments(user=request.user, records=records)
    links = child.carer_links.select_related("carer").order_by("-parental_responsibility", "pk")
    data = child_file_pdf(child=child, carer=request.carer, links=links, records=records, comments=comments)
    audit_event(
        actor=request.user,
        event=Event.EXPORTED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason=f"Portal: whole file as PDF, {len(records)} records",
    )
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"file-{child.first_name.lower()}-{child.pk.hex[:8]}.pdf"
    # Never None for a download (as_attachment): the "or" is for the type checker.
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    return response
