from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from access.models import User


@admin.register(User)
class AccountAdmin(UserAdmin[User]):
    """Accounts for the technical admin. Names and e-mail addresses are sealed, so the
    admin searches and sorts by username only; roles are given on the managers' pages."""

    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    search_fields = ("username",)
    ordering = ("username",)
