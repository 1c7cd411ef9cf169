"""Governance settings (docs/governance.md), from the environment: who adopts the
policies, how long people have to read a new version before files close to them, when
an unfinished induction is flagged, and how long emergency access lasts and how many
uses in how many days are flagged to the manager."""

import os

GOVERNANCE_ADOPTING_BODY = os.environ.get("GOVERNANCE_ADOPTING_BODY", "trustees")
GOVERNANCE_GRACE_DAYS = int(os.environ.get("GOVERNANCE_GRACE_DAYS", "7"))
GOVERNANCE_INDUCTION_DAYS = int(os.environ.get("GOVERNANCE_INDUCTION_DAYS", "28"))
BREAK_GLASS_MINUTES = int(os.environ.get("BREAK_GLASS_MINUTES", "60"))
BREAK_GLASS_REPEAT_COUNT = int(os.environ.get("BREAK_GLASS_REPEAT_COUNT", "3"))
BREAK_GLASS_REPEAT_DAYS = int(os.environ.get("BREAK_GLASS_REPEAT_DAYS", "30"))

__all__ = [
    "BREAK_GLASS_MINUTES",
    "BREAK_GLASS_REPEAT_COUNT",
    "BREAK_GLASS_REPEAT_DAYS",
    "GOVERNANCE_ADOPTING_BODY",
    "GOVERNANCE_GRACE_DAYS",
    "GOVERNANCE_INDUCTION_DAYS",
]
