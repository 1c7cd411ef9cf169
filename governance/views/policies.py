"""The policies: what waits for a person to read, reading and acknowledging a version,
and the register (versions, adoption, who has read what)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy as access_policy
from access.http import AuthenticatedHttpRequest
from access.policy import governance as rules
from audit.models import Event, Tier
from audit.services import audit_event
from crypto import attachments
from governance import selectors, services
from governance.forms import AcknowledgeForm, PolicyForm, SignedCopyForm, SignForm, VersionForm
from governance.models import PolicyVersion
from submissions.decorators import submitted_once


def _version_for_user(request: AuthenticatedHttpRequest, version_id: uuid.UUID) -> PolicyVersion:
    return selectors.version_get_for_user(user=request.user, version_id=version_id)


def _facts(request: AuthenticatedHttpRequest) -> access_policy.Facts:
    return access_policy.facts_of(request.user)


@require_GET
@login_required
def policies_to_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The policies waiting for this person: the first page after signing in while any
    keep their files closed."""
    waiting = selectors.versions_to_read(user=request.user)
    if not waiting:
        return redirect("policies")
    return render(request, "governance/to_read.html", {"waiting": waiting, "gated": _facts(request).gated})


@require_GET
@login_required
def policies(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The current policies for everyone with a role; the register for managers and trustees."""
    facts = _facts(request)
    if not rules.reads_policies(facts):
        raise Http404
    context = {
        "waiting": selectors.versions_to_read(user=request.user),
        "register": selectors.register(user=request.user),
        "readable": selectors.current_versions(),
        "mine": selectors.my_acknowledgements(user=request.user),
        "reviews": selectors.reviews_due(user=request.user),
        "drafts": selectors.drafts_waiting(user=request.user),
        "may_draft": rules.may_draft_policy(facts),
        "may_sign": rules.may_sign_as_chair(facts),
    }
    return render(request, "governance/policies.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def policy_read(request: AuthenticatedHttpRequest, version_id: uuid.UUID) -> HttpResponse:
    """A version to read; the current one can be acknowledged here (ticked and confirmed)."""
    version = _version_for_user(request, version_id)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_acknowledge(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Thank you: you have acknowledged the {version.policy.title} policy.")
            more = selectors.versions_to_read(user=request.user)
            return redirect("policy_read", version_id=more[0].pk) if more else redirect("home")
    acknowledged = selectors.acknowledged_by(user=request.user, version=version)
    context = {"version": version, "form": form, "acknowledged": acknowledged}
    return render(request, "governance/read.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def policy_file(request: AuthenticatedHttpRequest, file_id: uuid.UUID) -> StreamingHttpResponse:
    found = selectors.policy_file_get_for_user(user=request.user, file_id=file_id)
    response = attachments.download_response(found)
    audit_event(actor=request.user, event=Event.DOWNLOADED, obj=found, request=request, tier=Tier.NONE)
    return response


# --- the register ------------------------------------------------------------------------


@require_GET
@login_required
def policy_detail(request: AuthenticatedHttpRequest, policy_id: uuid.UUID) -> HttpResponse:
    """Every version of a policy, with who acknowledged each (and who has not, for the current one)."""
    found = selectors.policy_get_for_register(user=request.user, policy_id=policy_id)
    versions = [(v, *selectors.acknowledgement_lists(v)) for v in selectors.versions_of(found)]
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=found,
        request=request,
        tier=Tier.NONE,
        reason="Policy register: who has acknowledged each version",
    )
    facts = _facts(request)
    context = {
        "policy": found,
        "versions": versions,
        "may_draft": rules.may_draft_policy(facts),
        "may_sign": rules.may_sign_as_chair(facts),
        "may_record": rules.may_record_adoption(facts),
    }
    return render(request, "governance/policy.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def policy_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not rules.may_draft_policy(_facts(request)):
        raise Http404
    form = PolicyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.policy_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The policy is in the register. Now write its first version.")
            return redirect("version_new", policy_id=made.pk)
    return render(request, "governance/policy_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def version_new(request: AuthenticatedHttpRequest, policy_id: uuid.UUID) -> HttpResponse:
    found = selectors.policy_get_for_register(user=request.user, policy_id=policy_id)
    if not rules.may_draft_policy(_facts(request)):
        raise Http404
    current = found.current_version
    initial: dict[str, Any] = {"roles": current.roles, "text": current.text} if current else {}
    form = VersionForm(
        request.POST if request.method == "POST" else None, request.FILES or None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            drafted = services.version_draft(actor=request.user, policy=found, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The new version is drafted. It waits for adoption by the trustees.")
            return redirect("version_adopt", version_id=drafted.pk)
    context = {"policy": found, "form": form}
    return render(request, "governance/version_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def version_adopt(request: AuthenticatedHttpRequest, version_id: uuid.UUID) -> HttpResponse:
    """The chair signs with their password; or a manager records a paper adoption with the signed copy."""
    version = _version_for_user(request, version_id)
    facts = _facts(request)
    if version.status != PolicyVersion.Status.DRAFT or not rules.may_record_adoption(facts):
        raise Http404
    sign = SignForm(request.POST if "sign" in request.POST else None)
    copy = SignedCopyForm(request.POST if "copy" in request.POST else None, request.FILES or None)
    if request.method == "POST":
        chosen, call = (sign, services.version_adopt_sign) if "sign" in request.POST else (copy, None)
        if chosen.is_valid():
            try:
                if call is not None:
                    call(actor=request.user, version=version, request=request, **chosen.cleaned_data)
                else:
                    services.version_adopt_with_copy(
                        actor=request.user, version=version, **chosen.cleaned_data
                    )
            except ValidationError as error:
                chosen.add_error(None, error)
            else:
                messages.success(request, "Adopted. Everyone who must read it has been asked to.")
                return redirect("policy_detail", policy_id=version.policy_id)
    context = {"version": version, "sign": sign, "copy": copy, "may_sign": rules.may_sign_as_chair(facts)}
    errors = sign.errors or copy.errors
    return render(request, "governance/adopt.html", context, status=400 if errors else 200)


@require_POST
@login_required
def policy_remind(request: AuthenticatedHttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = _version_for_user(request, version_id)
    if not rules.may_draft_policy(_facts(request)):
        raise Http404
    try:
        sent = services.acknowledgement_remind(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Reminder sent to {sent} {'person' if sent == 1 else 'people'}.")
    return redirect("policy_detail", policy_id=version.policy_id)
