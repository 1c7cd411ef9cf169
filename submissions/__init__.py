"""
Forms that create something are saved once, however often they are sent.

A form that adds a record, raises a concern, adds to a record, sends
information to the setting or asks for access carries a hidden one-time token
(`{% submission_field %}`), signed for the person it was shown to. The view's
decorator (`submitted_once`) claims the token in the same transaction as the
save: a second submission of the same form (a double click, "resend" after a
slow answer, the back button) finds it claimed and is sent, with a calm
message, to what the first one made. Two submissions at the same moment are
one after the other: the database lets one claim the token; the other waits
for it, then finds it taken.
"""
