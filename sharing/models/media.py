"""The media list: organisations that are never recipients, whatever anyone types.

"Under no circumstances would any information about children be passed to any
branch of the media." There is no media kind of recipient and no free-text
recipient; on top of that, a directory entry whose name or e-mail domain
matches this list is refused, by the form, the admin and the service alike
(``Recipient.clean``). The list is kept in the database so a setting can add
its local paper; a sensible default is loaded by the migration.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from django.db import models
from django.db.models import Q


class MediaOutlet(models.Model):
    """One media organisation (by name), or one of its e-mail domains."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        max_length=200, blank=True, help_text="Matched as whole words, ignoring case and punctuation."
    )
    domain = models.CharField(
        max_length=200, blank=True, help_text="An e-mail domain; its subdomains match too (bbc.co.uk)."
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "domain"]
        verbose_name = "media organisation"
        constraints = [
            models.CheckConstraint(condition=~Q(name="", domain=""), name="media_outlet_has_name_or_domain")
        ]

    def __str__(self) -> str:
        return self.name or self.domain


def _words(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces, with a space at each end."""
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split()) + " "


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().casefold().rstrip(".")


def media_match(*, names: Iterable[str], addresses: Iterable[str]) -> str | None:
    """The media organisation these names or e-mail addresses belong to, if any."""
    outlets = list(MediaOutlet.objects.all())
    spoken = [_words(n) for n in names if n and n.strip()]
    domains = [_domain_of(a) for a in addresses if a and "@" in a]
    for outlet in outlets:
        if outlet.name and any(_words(outlet.name) in said for said in spoken):
            return outlet.name
        wanted = outlet.domain.casefold().strip().lstrip("@").rstrip(".")
        if wanted and any(d == wanted or d.endswith("." + wanted) for d in domains):
            return outlet.name or outlet.domain
    return None
