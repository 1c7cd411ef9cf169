"""Where and when staff read files: an option per site (off by default).

A site records its opening hours (used elsewhere too: the closing-time list) and may
guard its children's files with them: staff read files only within the hours (plus a
margin), and optionally only on the site's registered devices and from its networks.
Outside them staff see their home and notifications but no file; the site's managers
and safeguarding leads may open files by stating a reason (audited)."""

from __future__ import annotations

import datetime
import ipaddress
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from access.models.people import User
from crypto.fields import EncryptedModel, EncryptedTextField

WEEKDAYS = [(1, "Monday"), (2, "Tuesday"), (3, "Wednesday"), (4, "Thursday"), (5, "Friday")]
WEEKDAYS += [(6, "Saturday"), (7, "Sunday")]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> list[Network]:
    """CIDR ranges, one per line (or separated by commas); a bad one is named."""
    found = []
    for part in text.replace(",", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValidationError(
                f"“{part}” is not a network address range, such as 203.0.113.0/24."
            ) from None
    return found


class WhereAndWhen(models.Model):
    """A site's opening hours, and whether its files may be read only within them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.OneToOneField("records.Site", on_delete=models.PROTECT, related_name="where_and_when")
    # ISO weekdays the site opens, as digits ("12345": Monday to Friday).
    open_days = models.CharField(max_length=7, default="12345")
    opens_at = models.TimeField(default=datetime.time(7, 30))
    closes_at = models.TimeField(default=datetime.time(18, 30))
    # Files stay open this long before opening and after closing (staff arrive early, leave late).
    margin_minutes = models.PositiveIntegerField(default=60)
    guard_files = models.BooleanField(
        "read files only within these hours",
        default=False,
        help_text="Off by default. Managers and safeguarding leads can still open files by saying why.",
    )
    require_device = models.BooleanField(
        "only on the setting's registered devices",
        default=False,
        help_text="Files open only in browsers registered on this page.",
    )
    allowed_networks = models.TextField(
        "only from these networks",
        blank=True,
        help_text="Optional. Address ranges, one per line (for example 203.0.113.0/24). Home broadband "
        "often changes address: prefer registered devices.",
    )
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "where and when files are read"
        verbose_name_plural = "where and when files are read"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="site_closes_after_it_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"Where and when {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": "access"}

    def clean(self) -> None:
        if self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The setting closes after it opens."})
        if not self.open_days or set(self.open_days) - set("1234567"):
            raise ValidationError({"open_days": "Choose the days the setting is open."})
        try:
            parse_networks(self.allowed_networks)
        except ValidationError as error:
            raise ValidationError({"allowed_networks": error.messages}) from None

    @property
    def days(self) -> list[int]:
        return sorted(int(day) for day in self.open_days)

    @property
    def day_names(self) -> list[tuple[int, str]]:
        return [(n, day) for n, day in WEEKDAYS if str(n) in self.open_days]

    def is_open(self, at: datetime.datetime, *, with_margin: bool = True) -> bool:
        """Within the opening hours (plus the margin either side, unless asked without), on
        an open day (local time)."""
        local = timezone.localtime(at)
        margin = datetime.timedelta(minutes=self.margin_minutes if with_margin else 0)
        today, one = local.date(), datetime.timedelta(days=1)
        for day in (today - one, today, today + one):  # the margin may cross midnight
            if str(day.isoweekday()) not in self.open_days:
                continue
            opens = timezone.make_aware(datetime.datetime.combine(day, self.opens_at)) - margin
            closes = timezone.make_aware(datetime.datetime.combine(day, self.closes_at)) + margin
            if opens <= local <= closes:
                return True
        return False

    def allows_address(self, address: str | None) -> bool:
        networks = parse_networks(self.allowed_networks)
        if not networks:
            return True
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in network for network in networks)

    def allows(self, *, at: datetime.datetime, address: str | None, devices: Iterable[uuid.UUID]) -> bool:
        """Whether staff may read this site's files here and now."""
        if not self.guard_files:
            return True
        on_device = not self.require_device or bool(set(devices))
        return self.is_open(at) and on_device and self.allows_address(address)


class SiteDevice(models.Model):
    """A browser the site registered as its own (a room's tablet, the office computer).
    It carries a signed cookie; only a hash of its secret is kept here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey("records.Site", on_delete=models.PROTECT, related_name="devices")
    name = models.CharField(max_length=100)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    registered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"Site device {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": "access"}


class FilesOpened(EncryptedModel):
    """A manager or safeguarding lead opened a closed site's files, saying why (sealed: the
    reason may name a child), for a while."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey("records.Site", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField()
    opened_at = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField()

    class Meta:
        verbose_name = "files opened with a reason"
        verbose_name_plural = "files opened with a reason"
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Files opened {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": "access"}
