"""Reads for the governance pages, each starting from what access allows."""

from governance.selectors.people import (
    InductionStatus,
    induction_status,
    staff_checks,
    staff_member_get_for_induction,
)
from governance.selectors.policies import (
    acknowledgement_lists,
    current_for_parents,
    drafts_waiting,
    governance_numbers,
    my_acknowledgements,
    parent_notices_unseen,
    people_who_must_read,
    people_yet_to_read,
    policy_file_get_for_user,
    policy_get_for_register,
    portal_version_get,
    register,
    reviews_due,
    version_get_for_user,
    versions_to_read,
)

__all__ = [
    "InductionStatus",
    "acknowledgement_lists",
    "current_for_parents",
    "drafts_waiting",
    "governance_numbers",
    "induction_status",
    "my_acknowledgements",
    "parent_notices_unseen",
    "people_who_must_read",
    "people_yet_to_read",
    "policy_file_get_for_user",
    "policy_get_for_register",
    "portal_version_get",
    "register",
    "reviews_due",
    "staff_checks",
    "staff_member_get_for_induction",
    "version_get_for_user",
    "versions_to_read",
]
