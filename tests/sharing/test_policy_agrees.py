"""The sharing rule in SQL (lists) and in Python (one object) agree, for every persona."""

from __future__ import annotations

import pytest

from access import policy, selectors
from sharing import services
from sharing.models import Disclosure, InformationRequest, SharingDecision
from tests.sharing.helpers import make_sharing_objects

pytestmark = pytest.mark.django_db


def test_sql_and_python_agree_on_who_sees_each_share_request_and_decision(world) -> None:
    objects = make_sharing_objects(world)
    services.concern_decide_not_to_refer(actor=world.dsl, record=world.ava_concern, text="Below threshold.")
    services.request_decide(
        actor=world.manager, information_request=objects.request, outcome="not_share", reason="No."
    )
    checked = 0
    for person in world.people.values():
        facts = policy.facts_of(person)
        for listed, model in (
            (selectors.disclosures_for(person), Disclosure),
            (selectors.requests_for(person), InformationRequest),
            (selectors.decisions_for(person), SharingDecision),
        ):
            in_sql = set(listed.values_list("pk", flat=True))
            every = model.objects.select_related("child")  # type: ignore[attr-defined]
            in_python = {item.pk for item in every if policy.reads_shared(facts, item)}
            assert in_sql == in_python, (person.username, model.__name__)
            checked += len(in_python)
    assert checked > 30
