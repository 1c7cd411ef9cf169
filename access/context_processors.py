from typing import Any

from django.http import HttpRequest

from access import policy
from access.policy.circumstances import OPENERS
from access.selectors import sites_named


def files_closed(request: HttpRequest) -> dict[str, Any]:
    """The sites whose children's files are closed to the person now (where and when), for
    the notice on the pages that asked who the person is (never a query of its own)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def closed() -> list[Any]:
        facts = policy.facts_if_read(user)
        if facts is None or not facts.closed_sites:
            return []
        sites = sites_named(facts.closed_sites)
        for site in sites:
            site.may_open = facts.has_any(OPENERS, site.pk)  # type: ignore[attr-defined]
        return sites

    return {"files_closed": closed}
