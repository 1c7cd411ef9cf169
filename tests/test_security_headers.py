"""Every response carries the Content-Security-Policy and the Permissions-Policy:
each page of the URL conf is asked for, by a person who may see it and by one
who may not, and so are the error pages."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from config.middleware import permissions_policy
from tests.audit.test_completeness import PERSONAL, conflict_id, named_patterns, url_for  # noqa: F401
from tests.personas import World

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def with_any_ids(pattern: URLPattern) -> str:
    values = {"uuid": uuid.uuid4(), "str": "x" * 20, "int": 1, "path": "x", "slug": "x"}
    kwargs = {
        name: values.get(type(converter).__name__.removesuffix("Converter").lower(), "x")
        for name, converter in pattern.pattern.converters.items()
    }
    return reverse(pattern.name, kwargs=kwargs)


def assert_protected(response, url: str) -> None:
    policy = response.get(CSP, "")
    assert "default-src 'none'" in policy, url
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert "camera=()" in response.get("Permissions-Policy", ""), url


def test_the_permissions_policy_denies_what_confide_does_not_use(settings) -> None:
    header = permissions_policy(settings.PERMISSIONS_POLICY)
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header
    assert "publickey-credentials-get=(self)" in header


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_every_page_shown_to_someone_who_may_see_it_carries_the_policies(
    client: Client,
    world: World,
    conflict_id,  # noqa: F811 - the fixture imported above
    name: str,
) -> None:
    page = PERSONAL[name]
    client.force_login(world.people[page.persona])
    url = url_for(world, name, page, conflict_id)
    response = client.get(url)
    assert response.status_code == 200, url
    assert_protected(response, url)


def test_every_url_carries_the_policies_whatever_the_answer(client: Client, world: World) -> None:
    """Signed out, signed in as staff and as a parent, with ids that exist nowhere:
    redirects, 404s and 405s are covered too."""
    patterns = [p for p in named_patterns() if p.name]
    assert len(patterns) > 40
    for who in (None, world.manager, world.parent):
        client.logout()
        if who is not None:
            client.force_login(who)
        for pattern in patterns:
            url = with_any_ids(pattern)
            for response in (client.get(url), client.post(url)):
                assert_protected(response, url)


def test_the_error_pages_and_the_admin_carry_the_policies(client: Client, settings) -> None:
    client.raise_request_exception = False
    for url in ("/no-such-page/", "/accounts/login/", f"/{settings.ADMIN_URL}"):
        assert_protected(client.get(url), url)
