from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from access.selectors import attachment_get_for_user, child_get_for_user, records_for_child
from audit.models import Event
from audit.services import audit_event
from records import attachments
from records.forms import ChildSearchForm
from records.models import Category
from records.selectors import child_list, child_search


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    children = child_list(user=request.user)
    return render(request, "records/home.html", {"child_count": len(children)})


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
    return render(
        request, "records/child_list.html", {"form": form, "children": found, "searched": searched}
    )


@require_GET
@login_required
def child_file(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id)
    carer_links = child.carer_links.select_related("carer").order_by("-parental_responsibility")
    records = records_for_child(user=request.user, child=child).prefetch_related("attachments")
    by_category = defaultdict(list)
    for record in records.select_related("author"):
        by_category[Category(record.category).label].append(record)
    audit_event(
        actor=request.user, event=Event.VIEWED, obj=child, request=request, child_id=child.pk,
        tier="general",
    )
    return render(
        request,
        "records/child_file.html",
        {"child": child, "carer_links": carer_links, "by_category": sorted(by_category.items())},
    )


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
