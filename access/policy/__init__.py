"""
Who may see and do what: every rule of need-to-know access, written once.

- ``facts``: who the person is to the data, read once per request;
- ``rules``: who may read what, each rule in SQL and in Python, side by side;
- ``actions``: what a person may do beyond reading;
- ``emergency``: the emergency card and break-glass;
- ``staff_concerns``: concerns and allegations about staff;
- ``governance``: the policy register, induction and training.
"""

from access.models import KEY_WORKER_ROLES, MANAGEMENT, MANAGERS, SAFEGUARDING_LEADS, SITE_READERS
from access.policy import emergency, governance, staff_concerns
from access.policy.actions import (
    SIGNERS,
    RecordAction,
    Standing,
    may_add_addendum,
    may_add_record,
    may_add_staff_record,
    may_amend,
    may_be_invited_to_portal,
    may_decide_corrections,
    may_grant,
    may_grant_safeguarding,
    may_grant_staff_file,
    may_handle_concern,
    may_handle_unidentified_concern,
    may_manage_access,
    may_raise_concern,
    may_raise_unidentified_concern,
    may_see_access,
    may_see_withheld_reason,
    may_sign_off,
    record_actions,
)
from access.policy.facts import (
    NOBODY,
    Facts,
    facts_if_read,
    facts_kept_for_request,
    facts_of,
    forget_facts,
    is_signed_in_person,
    load_facts,
)
from access.policy.messages import parent_reads_conversation, staff_messages_q, staff_reads_messages
from access.policy.rules import (
    NOTHING,
    child_filter,
    is_key_person,
    kept_out_of,
    not_conflicted_q,
    portal_child_filter,
    portal_record_filter,
    reads_general,
    reads_own_staff_file,
    reads_portal_child,
    reads_portal_record,
    reads_record,
    reads_safeguarding,
    reads_staff_file,
    record_filter,
    staff_file_filter,
)

# A person's standing is their facts, read once per request.
standing_of = facts_of

__all__ = [
    "KEY_WORKER_ROLES",
    "MANAGEMENT",
    "MANAGERS",
    "SAFEGUARDING_LEADS",
    "NOBODY",
    "NOTHING",
    "SIGNERS",
    "SITE_READERS",
    "Facts",
    "RecordAction",
    "Standing",
    "emergency",
    "governance",
    "staff_concerns",
    "child_filter",
    "facts_if_read",
    "facts_kept_for_request",
    "facts_of",
    "forget_facts",
    "is_key_person",
    "kept_out_of",
    "is_signed_in_person",
    "load_facts",
    "may_add_addendum",
    "may_add_record",
    "may_add_staff_record",
    "may_amend",
    "may_be_invited_to_portal",
    "may_decide_corrections",
    "may_grant",
    "may_grant_safeguarding",
    "may_grant_staff_file",
    "may_handle_concern",
    "may_handle_unidentified_concern",
    "may_manage_access",
    "may_raise_concern",
    "may_raise_unidentified_concern",
    "may_see_access",
    "may_see_withheld_reason",
    "may_sign_off",
    "not_conflicted_q",
    "portal_child_filter",
    "portal_record_filter",
    "reads_general",
    "reads_own_staff_file",
    "reads_portal_child",
    "reads_portal_record",
    "reads_record",
    "reads_safeguarding",
    "reads_staff_file",
    "record_actions",
    "record_filter",
    "staff_file_filter",
    "standing_of",
    "parent_reads_conversation",
    "staff_messages_q",
    "staff_reads_messages",
]
