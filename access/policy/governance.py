"""
Who may do what with the policy register, induction and training.

| who | what |
|---|---|
| everyone signed in with a role | reads the current policies, acknowledges those their role must |
| managers (any site), trustees, the chair, the proprietor | the register: versions, who has read what |
| managers | draft versions, record an adoption with a signed copy, send reminders |
| the chair of trustees (or the proprietor) | adopts a version by signing with their password |
| the managers and HR of a staff member's sites | induction and training; the staff member sees their own |
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from access.models import MANAGERS, Role
from access.policy.facts import Facts

GOVERNORS = (Role.TRUSTEE, Role.CHAIR, Role.PROPRIETOR)
SIGNERS_FOR_THE_BODY = (Role.CHAIR, Role.PROPRIETOR)


def reads_policies(f: Facts) -> bool:
    return f.user_id is not None and bool(f.roles)


def sees_register(f: Facts) -> bool:
    """Every version, adoption and acknowledgement list."""
    return bool(f.sites_with(*MANAGERS, *GOVERNORS, Role.DATA_PROTECTION_LEAD))


def may_draft_policy(f: Facts) -> bool:
    return bool(f.sites_with(*MANAGERS))


def may_sign_as_chair(f: Facts) -> bool:
    return bool(f.sites_with(*SIGNERS_FOR_THE_BODY))


def may_record_adoption(f: Facts) -> bool:
    """With an uploaded signed copy: a manager, or the chair."""
    return may_draft_policy(f) or may_sign_as_chair(f)


def is_governor(f: Facts) -> bool:
    """A trustee, the chair or the proprietor, who is not on the staff: the trustees' home."""
    return bool(f.sites_with(*GOVERNORS)) and not f.staff_site_ids


def manages_induction(f: Facts, staff_site_ids: Collection[uuid.UUID]) -> bool:
    return bool(f.sites_with(*MANAGERS, Role.HR).intersection(staff_site_ids))


def reads_induction(f: Facts, staff_user_id: uuid.UUID, staff_site_ids: Collection[uuid.UUID]) -> bool:
    return staff_user_id == f.user_id or manages_induction(f, staff_site_ids)
