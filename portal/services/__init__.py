"""The parent portal's writes: invitations and accounts, and what parents send the setting."""

from portal.services.family import (
    correction_request,
    portal_comment,
    portal_send_information,
)
from portal.services.invitations import (
    INVITATION_DAYS,
    InvitationError,
    portal_account_disable,
    portal_invitation_accept,
    portal_invitation_check,
    portal_invite,
)

__all__ = [
    "INVITATION_DAYS",
    "InvitationError",
    "correction_request",
    "portal_account_disable",
    "portal_comment",
    "portal_invitation_accept",
    "portal_invitation_check",
    "portal_invite",
    "portal_send_information",
]
