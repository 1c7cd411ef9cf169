"""The confidential files' models, one module per kind of thing (see each module)."""

from records.choices import CATEGORY_TIER, NEVER_TO_PARENTS, SIGN_OFF_CATEGORIES, Category, Source, Tier
from records.models.entries import Addendum, Attachment, Record
from records.models.inbox import CorrectionRequest, FileVisit, Notification
from records.models.messages import Conversation, Message
from records.models.people import Carer, Child, ChildCarer, Room, Site, StaffMember, file_context
from records.models.photos import ChildPhoto
from records.models.staff_concerns import StaffConcern, StaffConcernNote
from records.models.unidentified import UnidentifiedConcern

__all__ = [
    "CATEGORY_TIER",
    "NEVER_TO_PARENTS",
    "SIGN_OFF_CATEGORIES",
    "Addendum",
    "Attachment",
    "Carer",
    "Category",
    "Child",
    "ChildCarer",
    "ChildPhoto",
    "Conversation",
    "CorrectionRequest",
    "FileVisit",
    "Message",
    "Notification",
    "Record",
    "Room",
    "Site",
    "Source",
    "StaffConcern",
    "StaffConcernNote",
    "StaffMember",
    "Tier",
    "UnidentifiedConcern",
    "file_context",
]
