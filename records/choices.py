"""What a record is and which part of a file it belongs to, in the words of the policies."""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    """What a record is, in the words of the policies."""

    REGISTRATION = "registration", "Registration and admission form"
    SIGNED_CONSENT = "signed_consent", "Signed consent"
    CORRESPONDENCE = "correspondence", "Correspondence"
    AGENCY_REPORT = "agency_report", "Report from another agency"
    MEETING_MINUTES = "meeting_minutes", "Minutes of a meeting"
    PARENT_CONTACT = "parent_contact", "Contact with parents"
    PARENT_CONVERSATION = "parent_conversation", "Conversation with parent or carer"
    FAMILY_INFORMATION = "family_information", "Family information"
    PROGRESS = "progress", "Progress"
    BEHAVIOUR = "behaviour", "Behaviour"
    MEDICAL = "medical", "Medical"
    SOCIAL_CARE_REPORT = "social_care_report", "Social care report"
    THERAPY_REPORT = "therapy_report", "Therapy report"
    SAFEGUARDING_CONCERN = "safeguarding_concern", "Safeguarding concern"
    STAFF_RECORD = "staff_record", "Staff record (employment)"
    OTHER = "other", "Other"


class Tier(models.TextChoices):
    GENERAL = "general", "General"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    PERSONNEL = "personnel", "Personnel"


# Categories whose tier is fixed, whatever the author asks for.
CATEGORY_TIER = {
    Category.SAFEGUARDING_CONCERN: Tier.SAFEGUARDING,
    Category.STAFF_RECORD: Tier.PERSONNEL,
}


# "Information shared by families is recorded, shown to and signed by senior
# staff and shared with the key worker."
SIGN_OFF_CATEGORIES = frozenset({Category.PARENT_CONVERSATION, Category.FAMILY_INFORMATION})


# Never shown in the parent portal, whatever a record says (docs/portal.md):
# a social care report is another agency's, shared with parents by that agency.
NEVER_TO_PARENTS = frozenset(
    {
        Category.SOCIAL_CARE_REPORT,
        Category.SAFEGUARDING_CONCERN,
        Category.STAFF_RECORD,
    }
)


class Source(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    STAFF = "staff", "Staff"
    CHILD = "child", "The child"
    AGENCY = "agency", "Another agency"
    OTHER = "other", "Other"
