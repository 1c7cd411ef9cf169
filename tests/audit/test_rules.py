"""Rules that keep the trail complete, checked on the code and on requests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from audit.middleware import client_ip
from audit.models import AuditEntry, Event

ROOT = Path(__file__).resolve().parents[2]
# Bulk writes skip django-auditlog: only the loaders, which write one summary entry, may use them.
ALLOWED = {
    "records/management/commands/seed_demo.py",
    "records/management/demo_families.py",
    "records/management/demo_rows.py",
    "governance/management/demo_governance.py",
    "crypto/fields.py",
    "audit/chain.py",
    "audit/management/commands/bench_audit.py",
}
BULK = {"bulk_create", "bulk_update"}
APPS = {"crypto", "audit", "records", "access", "portal", "sharing", "governance", "submissions"}
# Models django-auditlog does not follow (sign-in's own rows change at every sign-in; their
# services write the entries that matter): bulk writes to them hide nothing from the trail.
NOT_AUDITED = {"TrustedBrowser", "BackupCode", "Submission", "FileVisit"}


def _model_written(node: ast.Call) -> str | None:
    """`Model` in `Model.objects.filter(...).update(...)`, if the chain starts at a name."""
    target: ast.expr = node.func
    while isinstance(target, ast.Attribute | ast.Call):
        target = target.func if isinstance(target, ast.Call) else target.value
    return target.id if isinstance(target, ast.Name) else None


def test_no_code_writes_audited_models_in_bulk_behind_the_trails_back() -> None:
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = str(path.relative_to(ROOT))
        if relative.split("/")[0] not in APPS or "/migrations/" in relative:
            continue
        if relative in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                queryset_update = name == "update" and not (
                    isinstance(node.func.value, ast.Name) and node.func.value.id in {"progress", "kwargs"}
                )
                if (name in BULK or queryset_update) and _model_written(node) not in NOT_AUDITED:
                    offenders.append(f"{relative}:{node.lineno} .{name}()")
    assert offenders == []


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2", "10.0.0.2"),  # no proxy trusted: the header is anyone's to forge
        (1, "198.51.100.9, 203.0.113.7", "10.0.0.2", "203.0.113.7"),  # what our one proxy saw
        (2, "198.51.100.9, 203.0.113.7", "10.0.0.2", "198.51.100.9"),
        (2, "203.0.113.7", "10.0.0.2", "10.0.0.2"),  # fewer hops than proxies: not trusted
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, remote, expected
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_an_entry_records_the_address_from_the_trusted_proxy(client, world, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(world.manager)
    client.get(
        reverse("child_file", args=[world.ava.pk]),
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
        REMOTE_ADDR="10.0.0.2",
    )
    assert AuditEntry.objects.get(event=Event.VIEWED).remote_addr == "203.0.113.7"


@pytest.mark.django_db
def test_the_entries_of_one_request_share_its_id_and_other_requests_do_not(client, world) -> None:
    client.force_login(world.manager)
    client.post(
        reverse("grant_child_file", args=[world.ava.pk]),
        {"grantee": world.volunteer.pk, "reason": "Settling-in visits"},
    )
    client.get(reverse("child_file", args=[world.ava.pk]))
    granted = AuditEntry.objects.get(event=Event.GRANTED, reason__contains=f"person {world.volunteer.pk}")
    same_request = AuditEntry.objects.filter(request_id=granted.request_id)
    assert {e.event for e in same_request} >= {Event.GRANTED, Event.CREATED}
    viewed = AuditEntry.objects.get(event=Event.VIEWED)
    assert viewed.request_id != granted.request_id
