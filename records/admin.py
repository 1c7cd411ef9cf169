"""The admin is for configuration. Children, carers, records and attachments are
deliberately not registered: nobody browses the files through it."""

from django.contrib import admin

from records.models import Site, StaffMember


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ["name", "phone"]
    search_fields = ["name"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin[StaffMember]):
    list_display = ["user", "job_title", "start_date", "end_date"]
    list_select_related = ["user"]
    fields = ["user", "job_title", "start_date", "end_date"]
    autocomplete_fields = ["user"]
