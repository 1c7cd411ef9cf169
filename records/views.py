from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.models import Role
from access.selectors import (
    attachment_get_for_user,
    child_get_for_concern,
    child_get_for_user,
    children_for_concern,
    record_get_for_user,
    records_for_staff_member,
    safeguarding_reader_count,
    staff_files_for_user,
    staff_member_get_for_user,
    staff_site_ids,
)
from audit.models import Event, Tier
from audit.services import audit_event
from records import attachments, selectors, services
from records.categories import CHILD_CATEGORIES, STAFF_CATEGORIES, spec_for
from records.forms import (
    AddendumForm,
    AmendForm,
    ChildFilterForm,
    ChildSearchForm,
    ConcernActionForm,
    ConcernCloseForm,
    ConcernForm,
    ConcernLinkForm,
    CorrectionDecisionForm,
    RecordForm,
    ReturnForm,
    SignOffForm,
)
from records.models import (
    SIGN_OFF_CATEGORIES,
    Category,
    Child,
    CorrectionRequest,
    Notification,
    Record,
    StaffMember,
)
from records.selectors import child_count, child_search, record_history

# How many of the latest records the file's summary shows.
RECENT = 10


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What is waiting for this person: their key children and messages, the
    sign-off queue, open concerns, their sites' numbers."""
    user = request.user
    standing = policy.standing_of(user)
    context = {
        "child_count": child_count(user=user),
        "may_see_audit": any(standing.has_any((Role.MANAGER, Role.DSL), s) for s in standing.site_ids),
        "key_children": selectors.key_children(user=user),
        "notes": Notification.objects.filter(recipient=user, read_at__isnull=True)[:5],
        "sign_off_queue": selectors.sign_off_queue(user=user, standing=standing),
        "returned": selectors.returned_to_me(user=user),
        # New concerns first, newest first; then those in hand, oldest first.
        "concern_queue": sorted(
            selectors.concern_queue(user=user, standing=standing),
            key=lambda r: (
                r.addendum_count > 0,
                -r.created_at.timestamp() if not r.addendum_count else r.created_at.timestamp(),
            ),
        ),
        "may_decide_corrections": any(standing.has_any(policy.MANAGEMENT, s) for s in standing.site_ids),
        "site_numbers": selectors.site_numbers(user=user, standing=standing),
        "overdue": selectors.overdue_sign_offs(user=user, standing=standing),
        "concerns_raised": selectors.concerns_raised_by(user=user),
        "access_requests": access_selectors.pending_access_requests(standing=standing),
    }
    shown = {
        "key children": len(context["key_children"]),
        "awaiting sign-off": len(context["sign_off_queue"]),
        "returned": len(context["returned"]),
        "open concerns": len(context["concern_queue"]),
        "overdue": len(context["overdue"]),
        "access requests": len(context["access_requests"]),
    }
    if any(shown.values()):
        # Names are shown: an entry, without saying what kinds of list were shown.
        audit_event(
            actor=user, event=Event.LISTED, obj=Child, request=request, tier=Tier.NONE, reason="Home page"
        )
    return render(request, "records/home.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def children(request: HttpRequest) -> HttpResponse:
    # Searching is a POST, so names never appear in URLs or server logs;
    # the filters (setting, room, key person, status) are not personal.
    form = ChildSearchForm(request.POST or None)
    filters = ChildFilterForm(request.GET or None, **selectors.child_filter_options(user=request.user))
    searched = request.method == "POST" and form.is_valid()
    if searched:
        found = child_search(user=request.user, query=form.cleaned_data["query"])
    else:
        chosen = filters.cleaned_data if filters.is_valid() else {}
        found = selectors.child_list(
            user=request.user,
            site=chosen.get("site", ""),
            room=chosen.get("room", ""),
            key_worker=chosen.get("key_worker", ""),
            status=chosen.get("status", ""),
        )
    # What was searched for is never stored: it is usually a name.
    audit_event(
        actor=request.user,
        event=Event.SEARCHED if searched else Event.LISTED,
        obj=Child,
        request=request,
        tier=Tier.NONE,
        reason=f"{len(found)} children shown",
    )
    return render(
        request,
        "records/child_list.html",
        {
            "form": form,
            "filters": filters,
            "children": found,
            "searched": searched,
            "filtered": bool(request.GET),
        },
    )


@require_GET
@login_required
def child_file(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """The summary: details, carers and their rights, key people, alerts, what
    the file holds by category, and the latest records."""
    child = child_get_for_user(user=request.user, child_id=child_id)
    standing = policy.standing_of(request.user)
    context: dict[str, Any] = {
        "child": child,
        "may_add": policy.may_add_record(standing, child),
        "may_see_access": policy.may_see_access(standing, child),
        "may_raise_concern": policy.may_raise_concern(standing, child),
    }
    if child.can_read_general:
        context |= {
            "carer_links": child.carer_links.select_related("carer__user").order_by(
                "-parental_responsibility"
            ),
            "may_invite": policy.may_manage_access(standing, child),
            "key_workers": child.key_workers.filter(ended_at__isnull=True).select_related("user"),
            "categories": selectors.category_counts(user=request.user, child=child),
            "recent": selectors.chronology(user=request.user, child=child, tier=Tier.GENERAL)[:RECENT],
        }
    if child.can_read_safeguarding:
        concerns = selectors.chronology(user=request.user, child=child, tier=Tier.SAFEGUARDING)
        context |= {
            "safeguarding": concerns[:RECENT],
            "safeguarding_readers": safeguarding_reader_count(child=child),
        }
    # Someone who reads only the safeguarding file opening it says safeguarding is involved.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL if child.can_read_general else Tier.SAFEGUARDING,
    )
    return render(request, "records/child_file.html", context)


@require_GET
@login_required
def child_chronology(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """Every record of the file this person may read, newest first, one page at a time."""
    child = child_get_for_user(user=request.user, child_id=child_id)
    tiers = [
        t
        for t, may in (
            (Tier.GENERAL, child.can_read_general),
            (Tier.SAFEGUARDING, child.can_read_safeguarding),
        )
        if may
    ]
    category = request.GET.get("category", "")
    tier = request.GET.get("tier", "")
    if category not in Category.values:
        category = ""
    if tier not in tiers:
        tier = ""
    records = selectors.chronology(user=request.user, child=child, category=category, tier=tier)
    page = Paginator(records, selectors.CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    shown_tier = tier or (Tier.GENERAL if child.can_read_general else Tier.SAFEGUARDING)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=shown_tier,
        reason="Chronology",
    )
    query = {k: v for k, v in (("category", category), ("tier", tier)) if v}
    return render(
        request,
        "records/chronology.html",
        {
            "child": child,
            "page": page,
            "category": category,
            "tier": tier,
            "query": urlencode(query),
            "categories": [
                c
                for c in Category
                if c != Category.STAFF_RECORD
                and (c != Category.SAFEGUARDING_CONCERN or child.can_read_safeguarding)
            ],
            "tiers": tiers if len(tiers) > 1 else [],
            "may_see_access": policy.may_see_access(policy.standing_of(request.user), child),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def record_add(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """First the category, then a form that asks what that category needs."""
    child = child_get_for_user(user=request.user, child_id=child_id)
    if not policy.may_add_record(policy.standing_of(request.user), child):
        raise Http404
    category = request.GET.get("category", "")
    if category not in CHILD_CATEGORIES:
        audit_event(
            actor=request.user,
            event=Event.VIEWED,
            obj=child,
            request=request,
            child_id=child.pk,
            tier=Tier.GENERAL,
            reason="Add-a-record page",
        )
        return render(
            request,
            "records/record_category.html",
            {
                "child": child,
                "choices": [(c, spec_for(c)) for c in CHILD_CATEGORIES],
                "sign_off_categories": SIGN_OFF_CATEGORIES,
            },
        )
    form = RecordForm(request.POST or None, request.FILES or None, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_add(
                actor=request.user, child=child, **form.record_fields(), upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if record.status == Record.Status.AWAITING_SIGN_OFF:
                messages.success(request, "The record is saved. Senior staff have been asked to sign it off.")
            else:
                messages.success(request, "The record is saved.")
            return redirect("record_detail", record_id=record.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Add-a-record page",
    )
    return render(
        request,
        "records/record_form.html",
        {
            "child": child,
            "form": form,
            "category": Category(category),
            "spec": form.spec,
            "needs_sign_off": category in SIGN_OFF_CATEGORIES,
        },
    )


def _record_page(request: HttpRequest, record: Record, status: int = 200, **forms: Any) -> HttpResponse:
    """The record page, with any of its forms bound (shown again with errors).
    Writes the page's audit entry."""
    user = request.user
    standing = policy.standing_of(user)
    staff_sites = staff_site_ids(record)
    context: dict[str, Any] = {
        "record": record,
        "history": record_history(user=user, record=record),
        "attachments": record.attachments.all(),
        "addenda": selectors.addenda_for(record),
        "may_amend": policy.may_amend(standing, record, staff_site_ids=staff_sites),
        "may_add_addendum": policy.may_add_addendum(standing, record, staff_site_ids=staff_sites),
        "may_sign_off": policy.may_sign_off(standing, record),
        "may_handle": policy.may_handle_concern(standing, record),
        "may_see_withheld_reason": record.child_id is not None
        and (record.author_id == user.pk or standing.has_any(policy.SITE_READERS, record.child.site_id)),
    }
    if context["may_add_addendum"]:
        context["addendum_form"] = forms.get("addendum_form") or AddendumForm()
    if context["may_sign_off"]:
        context["sign_off_form"] = forms.get("sign_off_form") or SignOffForm(user=user)
        context["return_form"] = forms.get("return_form") or ReturnForm()
    if record.is_concern:
        context["linked"] = selectors.linked_concerns(user=user, record=record)
    if context["may_handle"] and record.status != Record.Status.CLOSED:
        others = selectors.linkable_concerns(user=user, record=record)
        context["action_form"] = forms.get("action_form") or ConcernActionForm()
        context["link_form"] = forms.get("link_form") or (ConcernLinkForm(others=others) if others else None)
        context["close_form"] = forms.get("close_form") or ConcernCloseForm()
    # A form shown again with its errors is shown even if the record has moved
    # on since (a concern closed in another tab), so the message is seen.
    context |= forms
    audit_event(
        actor=user,
        event=Event.VIEWED,
        obj=record,
        request=request,
        child_id=record.child_id,
        staff_member_id=record.staff_member_id,
        tier=record.tier,
    )
    return render(request, "records/record_detail.html", context, status=status)


@require_GET
@login_required
def record_detail(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_page(request, record_get_for_user(user=request.user, record_id=record_id))


def _record_action(
    request: HttpRequest,
    record_id: uuid.UUID,
    *,
    form_name: str,
    form: Any,
    action: Any,
    done: str,
    allowed: Any,
) -> HttpResponse:
    """A form posted from the record page: done and back to the page, or the
    page again with the form's errors and what was typed. Someone who may not
    do this gets 404 before the form is looked at."""
    record = record_get_for_user(user=request.user, record_id=record_id)
    if not allowed(policy.standing_of(request.user), record):
        raise Http404
    if form.is_valid():
        try:
            action(record, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, done)
            return redirect("record_detail", record_id=record.pk)
    return _record_page(request, record, status=400, **{form_name: form})


@require_POST
@login_required
def record_addendum(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_action(
        request,
        record_id,
        form_name="addendum_form",
        form=AddendumForm(request.POST),
        action=lambda r, d: services.addendum_add(actor=request.user, record=r, text=d["text"]),
        done="Added to the record.",
        allowed=lambda standing, r: policy.may_add_addendum(standing, r, staff_site_ids=staff_site_ids(r)),
    )


@require_POST
@login_required
def record_sign_off(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_action(
        request,
        record_id,
        form_name="sign_off_form",
        form=SignOffForm(request.POST, user=request.user),
        action=lambda r, d: services.record_sign_off(actor=request.user, record=r, comment=d["comment"]),
        done="Signed off. The key person has been told.",
        allowed=policy.may_sign_off,
    )


@require_POST
@login_required
def record_return(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_action(
        request,
        record_id,
        form_name="return_form",
        form=ReturnForm(request.POST),
        action=lambda r, d: services.record_return(actor=request.user, record=r, reason=d["reason"]),
        done="Returned to its author for correction.",
        allowed=policy.may_sign_off,
    )


@require_POST
@login_required
def concern_action(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_action(
        request,
        record_id,
        form_name="action_form",
        form=ConcernActionForm(request.POST),
        action=lambda r, d: services.concern_record_action(
            actor=request.user, record=r, kind=d["kind"], text=d["text"], agency=d["agency"]
        ),
        done="Recorded on the concern.",
        allowed=policy.may_handle_concern,
    )


@require_POST
@login_required
def concern_link(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = record_get_for_user(user=request.user, record_id=record_id)
    form = ConcernLinkForm(request.POST, others=selectors.linkable_concerns(user=request.user, record=record))
    return _record_action(
        request,
        record_id,
        form_name="link_form",
        form=form,
        action=lambda r, d: services.concern_link(
            actor=request.user, record=r, other_id=d["other"], text=d["text"]
        ),
        done="The concerns are linked.",
        allowed=policy.may_handle_concern,
    )


@require_POST
@login_required
def concern_close(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_action(
        request,
        record_id,
        form_name="close_form",
        form=ConcernCloseForm(request.POST),
        action=lambda r, d: services.concern_close(actor=request.user, record=r, outcome=d["outcome"]),
        done="The concern is closed.",
        allowed=policy.may_handle_concern,
    )


@require_http_methods(["GET", "POST"])
@login_required
def record_amend(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = record_get_for_user(user=request.user, record_id=record_id)
    staff_sites = staff_site_ids(record)
    if not policy.may_amend(policy.standing_of(request.user), record, staff_site_ids=staff_sites):
        raise Http404
    initial = {"title": record.title, "body": record.body, **(record.details or {})}
    form = AmendForm(request.POST or None, initial=initial, category=record.category)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.record_amend(actor=request.user, record=record, **form.amendment())
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "The amendment is saved; the original is kept in the history.")
            return redirect("record_detail", record_id=revision.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=record,
        request=request,
        child_id=record.child_id,
        staff_member_id=record.staff_member_id,
        tier=record.tier,
        reason="Amend page",
    )
    return render(request, "records/record_amend.html", {"record": record, "form": form})


@require_GET
@login_required
def sign_off_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.sign_off_queue(user=request.user, standing=policy.standing_of(request.user))
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Record,
        request=request,
        tier=Tier.NONE,
        reason=f"Sign-off queue: {len(queue)} shown",
    )
    return render(request, "records/sign_off_queue.html", {"queue": queue})


@require_GET
@login_required
def concern_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.concern_queue(user=request.user, standing=policy.standing_of(request.user))
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Record,
        request=request,
        tier=Tier.SAFEGUARDING,
        reason=f"Open concerns: {len(queue)} shown",
    )
    return render(request, "records/concern_queue.html", {"queue": queue})


@require_GET
@login_required
def concern_start(request: HttpRequest) -> HttpResponse:
    children = children_for_concern(user=request.user)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Child,
        request=request,
        tier=Tier.SAFEGUARDING,
        reason=f"Raise-a-concern list: {len(children)} children shown",
    )
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
            messages.success(
                request,
                "Thank you. Your concern has been received by the designated "
                "safeguarding lead, who will decide what happens next.",
            )
            return redirect("home")
    # Shown (or shown again with errors): an entry either way.
    # Raising is not reading: the page shows who the child is, nothing of the file.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.SAFEGUARDING,
        reason="Raise-a-concern page (name, date of birth, room)",
    )
    return render(request, "records/concern_form.html", {"child": child, "form": form})


@require_GET
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    members = staff_files_for_user(user=request.user)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=StaffMember,
        request=request,
        tier=Tier.PERSONNEL,
        reason=f"{len(members)} staff files shown",
    )
    return render(request, "records/staff_list.html", {"members": members})


@require_GET
@login_required
def staff_file(request: HttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member = staff_member_get_for_user(user=request.user, staff_member_id=staff_member_id)
    records = (
        records_for_staff_member(user=request.user, staff_member=member)
        .select_related("author", "signed_off_by")
        .annotate(
            attachment_count=Count("attachments", distinct=True),
            addendum_count=Count("addenda", distinct=True),
        )
        .order_by("-occurred_at", "-created_at")
    )
    page = Paginator(records, selectors.CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    sites = frozenset(member.sites.values_list("pk", flat=True))
    standing = policy.standing_of(request.user)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=member,
        request=request,
        staff_member_id=member.pk,
        tier=Tier.PERSONNEL,
    )
    return render(
        request,
        "records/staff_file.html",
        {
            "member": member,
            "page": page,
            "may_grant": policy.may_grant_staff_file(standing, member, sites),
            "may_add": policy.may_add_staff_record(standing, member, sites),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_record_add(request: HttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member = staff_member_get_for_user(user=request.user, staff_member_id=staff_member_id)
    sites = frozenset(member.sites.values_list("pk", flat=True))
    if not policy.may_add_staff_record(policy.standing_of(request.user), member, sites):
        raise Http404
    category = request.GET.get("category", "")
    if category not in STAFF_CATEGORIES:
        audit_event(
            actor=request.user,
            event=Event.VIEWED,
            obj=member,
            request=request,
            staff_member_id=member.pk,
            tier=Tier.PERSONNEL,
            reason="Add-a-record page",
        )
        return render(
            request,
            "records/record_category.html",
            {
                "member": member,
                "choices": [(c, spec_for(c)) for c in STAFF_CATEGORIES],
            },
        )
    form = RecordForm(request.POST or None, request.FILES or None, category=category, in_staff_file=True)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.staff_record_add(
                actor=request.user,
                staff_member=member,
                **form.record_fields(),
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The record is saved in the staff file.")
            return redirect("record_detail", record_id=record.pk)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=member,
        request=request,
        staff_member_id=member.pk,
        tier=Tier.PERSONNEL,
        reason="Add-a-record page",
    )
    return render(
        request,
        "records/record_form.html",
        {
            "member": member,
            "form": form,
            "category": Category(category),
            "spec": form.spec,
        },
    )


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
    response = attachments.download_response(attachment)
    audit_event(
        actor=request.user,
        event=Event.DOWNLOADED,
        obj=attachment,
        request=request,
        child_id=attachment.record.child_id,
        staff_member_id=attachment.record.staff_member_id,
        tier=attachment.record.tier,
    )
    return response


@require_http_methods(["GET"])
def screen_hidden(request: HttpRequest) -> HttpResponse:
    """The hide-screen button without JavaScript: a page with nothing on it,
    and a way back to where the person was (the page that linked here, so no
    address is written into every page)."""
    back = request.GET.get("next") or request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")
    return render(request, "records/screen_hidden.html", {"back": back})


@require_POST
@login_required
def discreet_mode(request: HttpRequest) -> HttpResponse:
    """Initials instead of names in lists, for screens in shared rooms."""
    on = request.POST.get("on") == "1"
    services.discreet_mode_set(actor=request.user, on=on)
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")
    return redirect(back)


@require_GET
@login_required
def correction_queue(request: HttpRequest) -> HttpResponse:
    """Corrections parents asked for, at the sites the person manages."""
    standing = policy.standing_of(request.user)
    pending = selectors.correction_queue(user=request.user, standing=standing)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=CorrectionRequest,
        request=request,
        tier=Tier.NONE,
        reason=f"Correction requests: {len(pending)} shown",
    )
    return render(
        request,
        "records/correction_queue.html",
        {
            "pending": pending,
            "forms": {r.pk: CorrectionDecisionForm(prefix=str(r.pk)) for r in pending},
        },
    )


@require_POST
@login_required
def correction_decide(request: HttpRequest, correction_id: uuid.UUID) -> HttpResponse:
    standing = policy.standing_of(request.user)
    pending = selectors.correction_queue(user=request.user, standing=standing)
    found = next((r for r in pending if r.pk == correction_id), None)
    if found is None:
        raise Http404
    form = CorrectionDecisionForm(request.POST, prefix=str(found.pk))
    if form.is_valid():
        try:
            services.correction_decide(
                actor=request.user,
                request=found,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "Decided. The parent sees the outcome in the portal.")
            return redirect("correction_queue")
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=CorrectionRequest,
        request=request,
        tier=Tier.NONE,
        reason=f"Correction requests: {len(pending)} shown",
    )
    forms_by_pk = {r.pk: CorrectionDecisionForm(prefix=str(r.pk)) for r in pending}
    forms_by_pk[found.pk] = form
    return render(
        request, "records/correction_queue.html", {"pending": pending, "forms": forms_by_pk}, status=400
    )
