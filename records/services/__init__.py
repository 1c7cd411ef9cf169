"""Writes to the files, one module per job. Each is one transaction and leaves its audit entry."""

from records.services.concerns import (
    concern_close,
    concern_link,
    concern_raise,
    concern_record_action,
)
from records.services.corrections import (
    correction_decide,
)
from records.services.entries import (
    addendum_add,
    addendum_create,
    ask_for_sign_off,
    attachment_create,
    attachment_store,
    lock_record,
    record_add,
    record_amend,
    record_create,
    staff_record_add,
)
from records.services.notifications import (
    notification_digests,
    notification_mail_set,
    notification_mark_read,
    notify,
)
from records.services.sign_off import (
    key_people_to_tell,
    record_return,
    record_sign_off,
)
from records.services.staff_concerns import (
    staff_concern_add_note,
    staff_concern_close,
    staff_concern_raise,
    staff_concern_record,
    staff_concern_refer_as_allegation,
    staff_concern_remove_details,
)
from records.services.unidentified import (
    unidentified_concern_link,
    unidentified_concern_raise,
)
from records.services.visits import file_visited

__all__ = [
    "addendum_add",
    "addendum_create",
    "ask_for_sign_off",
    "attachment_create",
    "attachment_store",
    "file_visited",
    "concern_close",
    "concern_link",
    "concern_raise",
    "concern_record_action",
    "correction_decide",
    "key_people_to_tell",
    "lock_record",
    "notification_digests",
    "notification_mail_set",
    "notification_mark_read",
    "notify",
    "record_add",
    "record_amend",
    "record_create",
    "record_return",
    "record_sign_off",
    "staff_concern_add_note",
    "staff_concern_close",
    "staff_concern_raise",
    "staff_concern_record",
    "staff_concern_refer_as_allegation",
    "staff_concern_remove_details",
    "staff_record_add",
    "unidentified_concern_link",
    "unidentified_concern_raise",
]
