"""The fixed lists sharing speaks in: kinds of recipient, lawful bases and
conditions, purposes, channels, and what a request or a decision can be."""

from __future__ import annotations

from django.db import models

from records.choices import Category


class RecipientKind(models.TextChoices):
    """Who the setting shares with. There is no kind for the media: "under no
    circumstances would any information about children be passed to any branch
    of the media"."""

    HEALTH_VISITOR = "health_visitor", "Health visitor"
    HEALTH = "health", "GP or health service"
    SOCIAL_CARE = "social_care", "Children's social care"
    EDUCATION = "education", "Another early-years setting or school"
    POLICE = "police", "Police"
    EARLY_HELP = "early_help", "Local authority early help"
    OTHER = "other", "Other"


# Disclosures to these stay hidden from parents until the DSL releases them.
HIDDEN_KINDS = frozenset({RecipientKind.POLICE, RecipientKind.SOCIAL_CARE})


class SecureChannel(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure e-mail"
    ENCRYPTED_EMAIL = "encrypted_email", "Encrypted e-mail (for example Egress)"
    AGENCY_PORTAL = "agency_portal", "The agency's secure portal or online form"
    TRANSFER = "transfer", "Secure transfer (CPOMS, MyConcern or similar)"
    HAND = "hand", "By hand"
    RECORDED_POST = "recorded_post", "Recorded post"
    PHONE = "phone", "Phone only"
    NONE = "none", "None agreed yet"


class Basis(models.TextChoices):
    """UK GDPR Article 6(1). A court order is a legal obligation."""

    CONSENT = "consent", "Consent (Art. 6(1)(a))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation, for example a court order (Art. 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests: to protect someone's life (Art. 6(1)(d))"
    PUBLIC_TASK = "public_task", "Public task: maintained and local-authority settings (Art. 6(1)(e))"
    LEGITIMATE_INTERESTS = (
        "legitimate_interests",
        "Legitimate interests: private, voluntary and independent settings (Art. 6(1)(f))",
    )


class Condition(models.TextChoices):
    """The Article 9 / DPA 2018 Schedule 1 condition, for health or safeguarding information."""

    NONE = "", "None needed: no health or safeguarding information"
    EXPLICIT_CONSENT = "explicit_consent", "Explicit consent (Art. 9(2)(a))"
    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding of children and individuals at risk (DPA 2018 Sch. 1 para. 18)",
    )
    SUBSTANTIAL_PUBLIC_INTEREST = (
        "substantial_public_interest",
        "Substantial public interest (Art. 9(2)(g), DPA 2018 Sch. 1 Part 2)",
    )
    HEALTH_CARE = "health_care", "Health or social care (Art. 9(2)(h), DPA 2018 Sch. 1 para. 2)"
    VITAL_INTERESTS = "vital_interests", "Vital interests of someone unable to consent (Art. 9(2)(c))"
    LEGAL_CLAIMS = "legal_claims", "Legal proceedings, or a court acting judicially (Art. 9(2)(f))"


class Purpose(models.TextChoices):
    HEALTH = "health", "Health and development (for example the two-year check)"
    SEND = "send", "Special educational needs and disabilities support"
    THERAPY = "therapy", "Speech and language or other therapy"
    EARLY_HELP = "early_help", "Early help and family support"
    TRANSITION = "transition", "Moving to school or another setting"
    SAFEGUARDING = "safeguarding", "Safeguarding a child"
    CRIME = "crime", "Preventing or detecting a crime"
    LEGAL = "legal", "Legal proceedings or a court order"
    INSPECTION = "inspection", "Inspection or regulation"
    OTHER = "other", "Something else (described below)"


# What a parent's consent can be for: never safeguarding, crime or the courts,
# where consent is not the basis (DfE 2024, golden rule 3; ICO 10-step guide, step 8).
CONSENT_PURPOSES = (
    Purpose.HEALTH,
    Purpose.SEND,
    Purpose.THERAPY,
    Purpose.EARLY_HELP,
    Purpose.TRANSITION,
    Purpose.OTHER,
)


class Channel(models.TextChoices):
    BUNDLE = "bundle", "A bundle: a watermarked PDF of the chosen records, sent securely"
    PHONE = "phone", "Phone call"
    MEETING = "meeting", "Meeting (a team around the child, a conference)"
    LETTER = "letter", "Letter or the agency's written form"


class ParentsTold(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class ConsentPosition(models.TextChoices):
    """For a share on another basis, what happened about consent: a fact, never a block."""

    NOT_SOUGHT = "not_sought", "Consent was not sought: it is not the basis for this share"
    NOT_SOUGHT_RISK = (
        "not_sought_risk",
        "Consent was not sought: asking would put the child at risk or hinder an enquiry",
    )
    SOUGHT_GIVEN = "sought_given", "Consent was sought and given"
    SOUGHT_REFUSED = "sought_refused", "Consent was sought and refused"


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", "Signed form (attach the scan)"
    VERBAL = "verbal", "Verbal, with a witness"
    PORTAL = "portal", "Through the parent portal"


class RequestAuthority(models.TextChoices):
    POLICE_CRIME = "police_crime", "Police: preventing or detecting crime (DPA 2018 Sch. 2 Part 1 para. 2)"
    POLICE_THIRD_PARTY = "police_third_party", "Police: a third-party material request (2024 protocol)"
    COURT_ORDER = "court_order", "A court order"
    OFSTED = "ofsted", "Ofsted"
    LOCAL_AUTHORITY = "local_authority", "The local authority or children's social care"
    SETTING_OR_SCHOOL = "setting_or_school", "Another setting or school"
    PARENT_OTHER = "parent_other", "A parent asking about someone else"
    OTHER = "other", "Someone else"


class DecisionOutcome(models.TextChoices):
    SHARE = "share", "Share"
    SHARE_IN_PART = "share_in_part", "Share in part"
    NOT_SHARE = "not_share", "Do not share"


class ExportTier(models.TextChoices):
    GENERAL = "general", "Children's general files"
    SAFEGUARDING = "safeguarding", "Children's safeguarding files"
    PERSONNEL = "personnel", "Staff files"


# Health or safeguarding information: sharing it needs an Article 9 condition.
SPECIAL_CATEGORIES = frozenset(
    {
        Category.MEDICAL,
        Category.THERAPY_REPORT,
        Category.SOCIAL_CARE_REPORT,
        Category.SAFEGUARDING_CONCERN,
    }
)
# Documents received from another agency: not shared onward without the
# originator's consent, unless the DSL decides (the originator's information).
AGENCY_CATEGORIES = frozenset({Category.AGENCY_REPORT, Category.SOCIAL_CARE_REPORT, Category.THERAPY_REPORT})
