"""The admin is for configuration: the media list is kept here. The directory is
shown, never added to or changed here: entries are added by managers on their
pages (with a second approver for kind "other"), and the media is refused there
and by the model, whatever the route."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from sharing.models import MediaOutlet, Recipient


@admin.register(MediaOutlet)
class MediaOutletAdmin(admin.ModelAdmin[MediaOutlet]):
    list_display = ["name", "domain", "added_at"]
    search_fields = ["name", "domain"]


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin[Recipient]):
    list_display = ["pk", "kind", "site", "status", "created_at"]
    list_filter = ["kind", "status", "site"]
    fields = ["site", "kind", "status", "secure_channel", "default_basis", "created_at"]
    readonly_fields = ["site", "kind", "status", "secure_channel", "default_basis", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Recipient | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Recipient | None = None) -> bool:
        return False
