"""What the home page shows of governance: policies to read, reviews and adoptions
waiting, staff checks for managers, emergency access and concerns about staff, and
the trustees' numbers."""

from __future__ import annotations

from typing import Any

from access import policy as access_policy
from access import selectors as access_selectors
from access.models import User
from access.policy import governance as rules
from governance.selectors.people import staff_checks
from governance.selectors.policies import (
    drafts_waiting,
    governance_numbers,
    reviews_due,
    versions_to_read,
)


def home_panels(*, user: User) -> dict[str, Any]:
    facts = access_policy.facts_of(user)
    manages = bool(facts.sites_with(*access_policy.MANAGERS))
    inductions, training = staff_checks(user=user) if manages else ([], [])
    governor = rules.is_governor(facts)
    return {
        "to_read": versions_to_read(user=user),
        "gated": facts.gated,
        "reviews": reviews_due(user=user) if manages or governor else [],
        "drafts": drafts_waiting(user=user) if rules.may_sign_as_chair(facts) else [],
        "inductions": inductions,
        "training": training,
        "break_glass_waiting": access_selectors.break_glass_queue(user=user).count()
        if facts.sites_with(*access_policy.SAFEGUARDING_LEADS, *access_selectors.FALLBACK_REVIEWERS)
        else 0,
        "break_glass_mine": access_selectors.break_glass_of(user=user, limit=5)
        if facts.staff_site_ids
        else [],
        "staff_cases": access_selectors.open_staff_concerns(user=user).count() if facts.roles else 0,
        "staff_concerns_raised": access_selectors.staff_concerns_raised_by(user=user)
        if facts.staff_site_ids
        else [],
        "cards": bool(facts.staff_site_ids),
        "manages": manages,
        "governor": governor,
        "numbers": governance_numbers() if governor else None,
    }
