"""
Changes to who may see what: key people, grants, conflicts, requests for access.

Each service checks the actor may make the change (raising PermissionDenied,
which becomes a 404), validates the change (raising ValidationError with a
message for people, keyed by form field), and writes its audit entry in the
same transaction.
"""

from access.services.accounts import (
    discreet_mode_set,
)
from access.services.common import (
    is_conflicted,
    person_name,
    require,
)
from access.services.conflicts import (
    conflict_clear,
    conflict_record,
)
from access.services.grants import (
    grant_child_access,
    grant_revoke,
    grant_staff_file_access,
    grant_tier,
)
from access.services.key_people import (
    key_worker_assign,
    key_worker_unassign,
)
from access.services.requests import (
    access_request_create,
    access_request_decide,
    access_request_deciders,
)

__all__ = [
    "access_request_create",
    "access_request_decide",
    "access_request_deciders",
    "conflict_clear",
    "conflict_record",
    "discreet_mode_set",
    "grant_child_access",
    "grant_revoke",
    "grant_staff_file_access",
    "grant_tier",
    "is_conflicted",
    "key_worker_assign",
    "key_worker_unassign",
    "person_name",
    "require",
]
