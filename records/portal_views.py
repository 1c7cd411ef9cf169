"""
The parent portal: a parent or carer with parental responsibility sees their
own children's files, as far as staff shared them, and nothing else.

Every read goes through access (portal_* selectors), answers 404 for anything
else, and writes one audit entry, as staff reads do.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import services as access_services
from access.models import Role
from access.selectors import (
    portal_access_history,
    portal_attachment_get,
    portal_carer,
    portal_child_get,
    portal_children,
    portal_record_get,
    portal_records,
)
from audit.models import Event, Tier
from audit.services import audit_event
from records import attachments, services
from records.forms import CorrectionForm, PortalCommentForm, PortalSendForm, WelcomeForm
from records.models import Addendum, Child, CorrectionRequest, Record
from records.pdf import child_file_pdf

PAGE_SIZE = 25


def portal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and a carer: staff who are not carers get 404 here."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        carer = portal_carer(request.user)
        if carer is None:
            raise Http404
        request.carer = carer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@portal_page
def portal_home(request: HttpRequest) -> HttpResponse:
    children = portal_children(user=request.user)
    if children:
        audit_event(
            actor=request.user,
            event=Event.LISTED,
            obj=Child,
            request=request,
            tier=Tier.NONE,
            reason="Portal: my children",
        )
    return render(request, "portal/home.html", {"children": children})


def _child_page(request: HttpRequest, child: Child, status: int = 200, **forms: Any) -> HttpResponse:
    carer = request.carer  # type: ignore[attr-defined]
    records = portal_records(user=request.user, child=child).select_related("author")
    page = Paginator(records.filter(visible_to_parents=True), PAGE_SIZE).get_page(request.GET.get("page"))
    sent = records.filter(author_id=request.user.pk)
    links = child.carer_links.select_related("carer").order_by("-parental_responsibility")
    corrections = CorrectionRequest.objects.filter(child=child, carer=carer).order_by("-created_at")[:20]
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Portal: child's file",
    )
    return render(
        request,
        "portal/child.html",
        {
            "child": child,
            "carer": carer,
            "page": page,
            "sent": sent,
            "links": links,
            "corrections": corrections,
            "send_form": forms.get("send_form") or PortalSendForm(),
            "correction_form": forms.get("correction_form") or CorrectionForm(),
        },
        status=status,
    )


@require_GET
@portal_page
def portal_child(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    return _child_page(request, portal_child_get(user=request.user, child_id=child_id))


@require_POST
@portal_page
def portal_send(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = portal_child_get(user=request.user, child_id=child_id)
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
    return _child_page(request, child, status=400, send_form=form)


@require_POST
@portal_page
def portal_correction(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = portal_child_get(user=request.user, child_id=child_id)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correction_request(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you. Staff will check it and correct the details.")
            return redirect("portal_child", child_id=child.pk)
    return _child_page(request, child, status=400, correction_form=form)


def _record_page(
    request: HttpRequest, record: Record, status: int = 200, form: PortalCommentForm | None = None
) -> HttpResponse:
    comments = record.addenda.filter(kind=Addendum.Kind.PARENT_COMMENT, author_id=request.user.pk)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=record,
        request=request,
        child_id=record.child_id,
        tier=Tier.GENERAL,
        reason="Portal",
    )
    return render(
        request,
        "portal/record.html",
        {
            "record": record,
            "child": record.child,
            "attachments": record.attachments.all(),
            "comments": comments,
            "form": form or PortalCommentForm(),
            "may_comment": record.visible_to_parents,
        },
        status=status,
    )


@require_GET
@portal_page
def portal_record(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_page(request, portal_record_get(user=request.user, record_id=record_id))


@require_POST
@portal_page
def portal_record_comment(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = portal_record_get(user=request.user, record_id=record_id)
    form = PortalCommentForm(request.POST)
    if form.is_valid():
        try:
            services.portal_comment(actor=request.user, record=record, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "Your comment is added to the record.")
            return redirect("portal_record", record_id=record.pk)
    return _record_page(request, record, status=400, form=form)


@require_GET
@portal_page
def portal_attachment(request: HttpRequest, attachment_id: uuid.UUID) -> StreamingHttpResponse:
    attachment = portal_attachment_get(user=request.user, attachment_id=attachment_id)
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


EVENT_WORDS = {
    Event.VIEWED: "Opened",
    Event.LISTED: "Listed",
    Event.DOWNLOADED: "Downloaded a file from",
    Event.CREATED: "Added to",
    Event.UPDATED: "Changed",
    Event.EXPORTED: "Exported",
    Event.SIGNED_OFF: "Signed off information in",
    Event.SHARED: "Shared",
}


@require_GET
@portal_page
def portal_history(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = portal_child_get(user=request.user, child_id=child_id)
    entries = portal_access_history(child=child)
    rows = []
    for entry in entries:
        # The safeguarding lead's role is not named: it would tell a parent that
        # safeguarding is involved.
        roles = [
            Role(g.name).label
            for g in entry.actor.groups.all()
            if g.name in Role.values and g.name != Role.DSL
        ]
        what = (
            "a record"
            if entry.content_type.model == "record"
            else ("an attachment" if entry.content_type.model == "attachment" else "the file")
        )
        rows.append(
            {
                "when": entry.timestamp,
                "who": entry.actor.get_full_name() or entry.actor.username,
                "role": ", ".join(roles) or "Staff",
                "what": f"{EVENT_WORDS.get(entry.event, entry.event)} {what}",
            }
        )
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
def portal_file_pdf(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = portal_child_get(user=request.user, child_id=child_id)
    # What staff shared, and what the parent sent themselves.
    records = list(portal_records(user=request.user, child=child).prefetch_related("attachments"))
    comments: dict[Any, list[Addendum]] = defaultdict(list)
    for comment in Addendum.objects.filter(
        record__in=[r.pk for r in records], author_id=request.user.pk, kind=Addendum.Kind.PARENT_COMMENT
    ):
        comments[comment.record_id].append(comment)
    data = child_file_pdf(
        child=child,
        carer_name=request.carer.full_name,  # type: ignore[attr-defined]
        records=records,
        comments=comments,
    )
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
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"file-{child.first_name.lower()}-{child.pk.hex[:8]}.pdf"
    )
    return response


@require_http_methods(["GET", "POST"])
def portal_welcome(request: HttpRequest, token: str) -> HttpResponse:
    """Setting up a portal account from the e-mailed link: once, within 7 days."""
    try:
        invitation = access_services.portal_invitation_check(token)
    except access_services.InvitationError as error:
        return render(request, "portal/welcome_refused.html", {"message": str(error)}, status=410)
    existing = invitation.carer.user.username if invitation.carer.user_id else ""
    form = WelcomeForm(request.POST or None, has_username=existing)
    if request.method == "POST" and form.is_valid():
        try:
            user = access_services.portal_invitation_accept(
                token=token,
                username=existing or form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except access_services.InvitationError as error:
            return render(request, "portal/welcome_refused.html", {"message": str(error)}, status=410)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is ready. Welcome.")
            return redirect("portal_home")
    return render(request, "portal/welcome.html", {"form": form, "username": existing})
