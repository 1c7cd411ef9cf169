"""The demo's early-years policy set (``seed_demo``): plain, short versions of the
policies an English setting keeps, in the words such policies use. Made up for the demo."""

from __future__ import annotations

from governance.models import PolicyKind

ALL_STAFF = [
    "manager",
    "deputy_manager",
    "senior",
    "practitioner",
    "room_lead",
    "dsl",
    "deputy_dsl",
    "hr",
    "kitchen",
]
STUDENTS_AND_VOLUNTEERS = ["student", "volunteer"]
GOVERNORS = ["trustee", "chair"]

CONFIDENTIALITY = """\
## Our aim

Oakfield Children's Centre and Riverside Nursery keep information about children, families and \
staff securely, \
in a lockable file, whilst keeping it as accessible as possible to those who need it. Information \
is seen only \
by people who need to know.

## What this means for you

- Records are kept in Confide. Do not keep copies on paper, on your phone or in your own e-mail.
- Staff do not discuss personal information given by parents with other staff, except where it affects \
planning for the child's needs.
- Information shared by families is recorded, shown to and signed by senior staff, and shared with \
the key person.
- We ask parents' permission before we discuss their child with other professionals, unless a child \
is at risk.
- Concerns about a child's safety are kept in the safeguarding file and shared with as few people \
as possible.
- Employment issues are confidential to the people making personnel decisions. Staff do not discuss \
confidential matters about other staff members.
- No information about children is given to any branch of the media.

## Students and volunteers

Students on placement and volunteers are shown this policy before they start, and do not open any \
child's file \
until they have read it. The emergency card of the children in their room is always open to them.

## If confidentiality is broken

Staff who do not respect confidentiality may face disciplinary action. Every view of a file is recorded.

All staff, volunteers, students, trustees and parents are required to respect this policy.
"""

SAFEGUARDING = """\
## Our commitment

Everyone at the setting shares the responsibility to keep children safe. Our designated \
safeguarding lead (DSL) \
is Dee Okafor; in her absence, speak to the manager.

## If you are worried about a child

1. If a child is in immediate danger, call 999.
2. Tell the DSL straight away, in person if you can.
3. Record what you saw or heard, in the child's own words, in Confide ("Raise a concern"), the same day. \
Do not investigate or ask leading questions.

The DSL decides what happens next, including referral to children's social care (MASH) or the police.

## Allegations about staff

An allegation that a member of staff has harmed a child goes to the manager (or, if it is about the \
manager, \
the chair of trustees). The manager contacts the local authority designated officer (LADO) within \
24 hours and \
tells Ofsted within 14 days. Low-level concerns, including about yourself, are shared in the same way.

## Training

All staff complete safeguarding training at induction and every three years; the DSL refreshes \
their training \
at least every two years.
"""

DATA_PROTECTION = """\
## Why we hold information

We hold information about children, families and staff to provide safe care and education, and because the \
law requires it (the Early Years Foundation Stage, UK GDPR and the Data Protection Act 2018).

## Your responsibilities

- Open only the files you need for your work. Every opening is recorded and checked.
- Lock the screen (or press "Hide screen") when you step away.
- Report a lost device, a wrongly sent e-mail or any other data breach to the manager at once: we \
may have to \
tell the Information Commissioner's Office within 72 hours.

## People's rights

Parents, carers and staff may ask for a copy of the information we hold about them. Pass any such \
request to \
the manager on the day you receive it.

## How long we keep records

Records are kept for the periods in our retention schedule, then securely destroyed.
"""

MOBILE_PHONES = """\
## Phones and cameras in the rooms

- Staff, students and volunteers keep personal phones, smart watches with cameras and other devices in the \
lockers in the staff room. They are not used where children are.
- Photographs of children are taken only on the setting's tablets, for the children's learning \
journals, and \
never leave the setting's systems.
- Parents and visitors are asked not to use their phones in the rooms.

## In an emergency

On outings the room lead carries the setting's mobile phone. Staff may give the setting's number to their \
families for emergencies.
"""

LOST_CHILD = """\
## If a child cannot be found

1. Tell the room lead at once and check the room, the toilets and the garden.
2. The manager organises a search of the building and grounds, and checks the register and the gates.
3. If the child is not found within 10 minutes, the manager calls the police (999) and then the parents.
4. The manager tells Ofsted and the local authority as soon as possible.

Staff open the child's emergency card for a description, the contacts and who may collect.

## Afterwards

The manager and the DSL review what happened and record it; the review is shared with the trustees.
"""

FAILURE_TO_COLLECT = """\
## If a child is not collected

- If a child is not collected at the end of their session, the key person or room lead rings the parents, \
then the other emergency contacts on the child's emergency card.
- Two members of staff stay with the child. The child is never taken home by a member of staff.
- If nobody can be reached within an hour of closing, the manager contacts children's social care \
(the emergency duty team out of hours) and follows their advice.

## Collection by someone else

A child goes home only with an adult the parents have named to us. If a restriction applies, the \
emergency card \
says "collection restricted — ask the manager": ask the manager before the child leaves.
"""

COMPLAINTS = """\
## Making a complaint

We want to hear when something is not right. Speak first to your child's key person or the manager; most \
concerns are settled that way.

If you are not satisfied, write to the manager. We will acknowledge your complaint within 2 working \
days and \
reply in full within 28 days, saying what we found and what we will do.

If you are still not satisfied, you may write to the chair of trustees, or contact Ofsted on 0300 123 1231.

## Records

We keep a record of every complaint and its outcome for at least three years, and make it available \
to Ofsted.
"""

PRIVACY_NOTICE = """\
## Who we are

Oakfield Children's Centre and Riverside Nursery are run by a registered charity. We are the \
controller of the \
information we hold about your family.

## What we hold and why

Your child's registration details, health and dietary needs, records of their care and progress, \
and what you \
share with us. We hold them to care for your child safely and to meet the law (the Early Years \
Foundation Stage).

## Who sees it

Your child's key people and the setting's managers; the designated safeguarding lead where a child \
may be at \
risk. We share information with other agencies only with your permission, unless a child is at risk of harm.

## Your rights

You can see your child's file in the parent portal, ask us to correct it, and ask for a copy of \
what we hold. \
You can complain to the Information Commissioner's Office (ico.org.uk).
"""

# title, kind, text, roles that must acknowledge, published to parents, months until review
POLICIES = [
    (
        "Confidentiality",
        PolicyKind.CONFIDENTIALITY,
        CONFIDENTIALITY,
        ALL_STAFF + STUDENTS_AND_VOLUNTEERS + GOVERNORS,
        True,
        12,
    ),
    (
        "Safeguarding and child protection",
        PolicyKind.SAFEGUARDING,
        SAFEGUARDING,
        ALL_STAFF + STUDENTS_AND_VOLUNTEERS,
        True,
        12,
    ),
    ("Data protection", PolicyKind.DATA_PROTECTION, DATA_PROTECTION, ALL_STAFF, True, 12),
    (
        "Mobile phones and cameras",
        PolicyKind.MOBILE_PHONES,
        MOBILE_PHONES,
        ALL_STAFF + STUDENTS_AND_VOLUNTEERS,
        True,
        12,
    ),
    ("Lost or missing child", PolicyKind.LOST_CHILD, LOST_CHILD, ALL_STAFF, True, 12),
    ("Failure to collect", PolicyKind.FAILURE_TO_COLLECT, FAILURE_TO_COLLECT, ALL_STAFF, True, 12),
    ("Complaints", PolicyKind.COMPLAINTS, COMPLAINTS, ["manager", "deputy_manager", "senior"], True, 4),
    ("Privacy notice for parents", PolicyKind.PRIVACY_NOTICE, PRIVACY_NOTICE, [], True, 12),
]

COMPLAINTS_V2_CHANGES = (
    "The reply in full now comes within 20 working days, and complaints are reported to the trustees "
    "each term."
)

INDUCTION_ITEMS = [
    ("Confidentiality and the key person's role", []),
    ("Safeguarding and child protection: who the DSL is, raising a concern", []),
    ("Data protection and using Confide (the hide-screen button, locking the screen)", []),
    ("Emergency evacuation procedures", []),
    ("Health and safety, and the equality policy", []),
    ("Allergies, dietary needs and the kitchen's list", ["kitchen"]),
]
