"""Invariant 1: every path from a URL to a child's data goes through access.

The URL conf is walked, so a new view cannot be missed: every URL that takes
an object id answers 404 to people who may not see the object, exactly as for
an id that does not exist.
"""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from records.services import attachment_create

ROOT = Path(__file__).resolve().parents[2]
# Which model each id in a URL names. A URL with an id not listed here fails
# the test until someone decides who may see that kind of object.
ID_KINDS = {"child_id": "child", "attachment_id": "attachment", "record_id": "record"}
FILE_MODELS = {"Child", "Carer", "ChildCarer", "StaffMember", "Record", "Attachment"}


def patterns_with_ids(
    resolver: URLResolver | None = None, prefix: str = ""
) -> list[tuple[str, str, list[str]]]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin":
                continue  # the admin has its own guard: files are not registered there
            found += patterns_with_ids(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.pattern.converters:
            found.append((entry.name or "", prefix + str(entry.pattern), list(entry.pattern.converters)))
    return found


@pytest.fixture
def objects(world) -> dict[str, list[uuid.UUID]]:
    letter = attachment_create(
        actor=world.keyworker, record=world.ava_progress,
        uploaded=SimpleUploadedFile("letter.txt", b"A letter about Ava.\n"),
    )
    return {
        "child": [world.ava.pk, world.other_child.pk],
        "record": [world.ava_progress.pk, world.ava_concern.pk],
        "attachment": [letter.pk],
    }


def test_every_url_with_an_id_is_known_to_this_test() -> None:
    for _name, route, params in patterns_with_ids():
        assert set(params) <= set(ID_KINDS), f"{route} takes {params}: add them to ID_KINDS"
    assert patterns_with_ids(), "the walk found no URLs with ids"


@pytest.mark.parametrize("persona", ["outsider", "colleague", "parent", "other_parent", "superuser"])
def test_every_object_url_is_404_for_people_who_may_not_see_it(client, world, objects, persona) -> None:
    client.force_login(getattr(world, persona))
    checked = 0
    for name, _route, params in patterns_with_ids():
        for object_id in objects[ID_KINDS[params[0]]]:
            url = reverse(name, kwargs={params[0]: object_id})
            assert client.get(url).status_code == 404, (persona, url)
            checked += 1
    assert checked >= 3


def test_views_never_query_the_files_directly() -> None:
    """Views ask access for objects; `Child.objects…` in a view is a bypass."""
    offenders = []
    for path in ROOT.glob("*/views*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"objects", "_default_manager", "_base_manager"}
                and isinstance(node.value, ast.Name)
                and node.value.id in FILE_MODELS
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert offenders == []
