"""The access matrix's rows for the emergency card, break-glass and concerns about staff
(tests/access/test_matrix.py): the objects they need are made when a row is expanded,
inside the persona's test (so rolled back with it)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.test import Client
from django.urls import reverse

from access.models import BreakGlass
from tests.governance.objects import allegation_about_accused, break_glass_use, concern_about_manager
from tests.personas import World, ava_in_a_room

Request = tuple[str, Callable[[Client], str]]


def status(code: int) -> str:
    return {200: "Y", 404: "."}.get(code, f"HTTP {code}")


def card(world: World) -> list[Request]:
    ava_in_a_room(world)
    url = reverse("emergency_card", args=[world.ava.pk])
    return [(url, lambda client: status(client.get(url).status_code))]


def break_glass(world: World) -> list[Request]:
    """Y: the person opened emergency access to Ava's file, and the file then opens to them."""
    url = reverse("break_glass_new", args=[world.ava.pk])

    def attempt(client: Client) -> str:
        # Undone afterwards, so the emergency access opens nothing for the matrix's later rows.
        with transaction.atomic():
            user = client.get(reverse("home")).wsgi_request.user
            before = BreakGlass.objects.filter(user_id=user.pk).count()
            client.post(url, {"reason_kind": "allergic_reaction", "reason": "Swelling lips, key person out"})
            opened = BreakGlass.objects.filter(user_id=user.pk).count() > before
            file_opened = client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200
            transaction.set_rollback(True)
        if opened and not file_opened:
            return "opened, but the file did not open"
        return "Y" if opened else "."

    return [(f"POST {url}", attempt)]


def review(world: World) -> list[Request]:
    url = reverse("break_glass_review", args=[break_glass_use(world).pk])
    return [(url, lambda client: status(client.get(url).status_code))]


def case_page(make: Callable[[World], object], *, handle: bool = False) -> Callable[[World], list[Request]]:
    def expand(world: World) -> list[Request]:
        case = make(world)
        name = "staff_concern_note" if handle else "staff_concern_detail"
        url = reverse(name, args=[case.pk])  # type: ignore[attr-defined]
        if not handle:
            return [(url, lambda client: status(client.get(url).status_code))]

        def post(client: Client) -> str:
            code = client.post(url, {"note-text": "Spoke to the parent again."}).status_code
            return "Y" if code == 302 else status(code)

        return [(f"POST {url}", post)]

    return expand


EMERGENCY_AND_CASES: dict[tuple[str, str], Callable[[World], list[Request]]] = {
    ("emergency-card", "view"): card,
    ("child", "break-glass"): break_glass,
    ("break-glass-use", "review"): review,
    ("allegation-case", "view"): case_page(allegation_about_accused),
    ("allegation-case", "handle"): case_page(allegation_about_accused, handle=True),
    ("case-about-manager", "view"): case_page(concern_about_manager),
}
