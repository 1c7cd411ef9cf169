"""The access app's models: people and their roles at sites, need-to-know access, requests."""

from access.models.break_glass import BreakGlass
from access.models.devices import (
    BackupCode,
    BackupCodeDevice,
    TOTPDevice,
    TrustedBrowser,
    TwoFactorReset,
)
from access.models.grants import (
    SCOPE_PERMISSION,
    ChildGroupObjectPermission,
    ChildUserObjectPermission,
    Conflict,
    Grant,
    KeyWorkerAssignment,
    Scope,
    StaffMemberGroupObjectPermission,
    StaffMemberUserObjectPermission,
)
from access.models.people import (
    CONFIRMED_ROLES,
    CONFIRMERS,
    KEY_WORKER_ROLES,
    MANAGEMENT,
    MANAGERS,
    SAFEGUARDING_LEADS,
    SITE_READERS,
    STAFF_ROLES,
    Membership,
    MembershipQuerySet,
    Role,
    RoomAssignment,
    User,
)
from access.models.requests import (
    AccessRequest,
    PortalInvitation,
)

# After devices (and so the user model): django-otp-webauthn's models ask for the user model.
from access.models.security_keys import SecurityKey, SecurityKeyAttestation
from access.models.where_and_when import FilesOpened, SiteDevice, WhereAndWhen, parse_networks

__all__ = [
    "AccessRequest",
    "BackupCode",
    "BackupCodeDevice",
    "BreakGlass",
    "CONFIRMED_ROLES",
    "CONFIRMERS",
    "ChildGroupObjectPermission",
    "ChildUserObjectPermission",
    "Conflict",
    "Grant",
    "KEY_WORKER_ROLES",
    "KeyWorkerAssignment",
    "MANAGEMENT",
    "MANAGERS",
    "Membership",
    "MembershipQuerySet",
    "PortalInvitation",
    "Role",
    "RoomAssignment",
    "SecurityKey",
    "SecurityKeyAttestation",
    "SAFEGUARDING_LEADS",
    "SCOPE_PERMISSION",
    "SITE_READERS",
    "STAFF_ROLES",
    "Scope",
    "StaffMemberGroupObjectPermission",
    "StaffMemberUserObjectPermission",
    "TOTPDevice",
    "TrustedBrowser",
    "TwoFactorReset",
    "User",
    "FilesOpened",
    "SiteDevice",
    "WhereAndWhen",
    "parse_networks",
]
