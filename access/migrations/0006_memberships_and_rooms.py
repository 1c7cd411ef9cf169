"""Roles become memberships: a role at a site, from a moment, until a moment.

Until now a role was a Django group held everywhere, counted at the sites of
the person's staff file. Each (group role, staff-file site) pair becomes a
membership that began when the person joined, already confirmed; a trustee,
who had no site, becomes a trustee of every site. Going back rebuilds the
groups and the staff files' sites from the memberships.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROLES = {
    "manager",
    "deputy_manager",
    "senior",
    "practitioner",
    "room_lead",
    "dsl",
    "deputy_dsl",
    "hr",
    "student",
    "volunteer",
    "kitchen",
    "trustee",
    "chair",
    "proprietor",
    "data_protection_lead",
    "admin",
}
SITELESS = {"trustee", "chair", "proprietor", "data_protection_lead"}


def memberships_from_groups(apps, schema_editor):
    User = apps.get_model("access", "User")
    Site = apps.get_model("records", "Site")
    StaffMember = apps.get_model("records", "StaffMember")
    Membership = apps.get_model("access", "Membership")
    all_sites = list(Site.objects.values_list("pk", flat=True))
    for user in User.objects.prefetch_related("groups"):
        roles = [g.name for g in user.groups.all() if g.name in ROLES]
        member = StaffMember.objects.filter(user=user).first()
        sites = list(member.sites.values_list("pk", flat=True)) if member else []
        for role in roles:
            for site in sites or (all_sites if role in SITELESS else []):
                Membership.objects.create(
                    user=user,
                    site_id=site,
                    role=role,
                    starts_at=user.date_joined,
                    created_at=user.date_joined,
                    confirmed_at=user.date_joined,
                )


def groups_from_memberships(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    StaffMember = apps.get_model("records", "StaffMember")
    Membership = apps.get_model("access", "Membership")
    for membership in Membership.objects.filter(ends_at__isnull=True):
        group, _created = Group.objects.get_or_create(name=membership.role)
        membership.user.groups.add(group)
        member = StaffMember.objects.filter(user=membership.user).first()
        if member and membership.role not in SITELESS:
            member.sites.add(membership.site_id)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0005_access_requests"),
        ("records", "0006_rooms"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("manager", "Manager"),
                            ("deputy_manager", "Deputy manager"),
                            ("senior", "Senior practitioner"),
                            ("practitioner", "Practitioner"),
                            ("room_lead", "Room lead"),
                            ("dsl", "Designated safeguarding lead"),
                            ("deputy_dsl", "Deputy safeguarding lead"),
                            ("hr", "HR"),
                            ("student", "Student on placement"),
                            ("volunteer", "Volunteer"),
                            ("kitchen", "Kitchen staff"),
                            ("trustee", "Trustee"),
                            ("chair", "Chair of trustees"),
                            ("proprietor", "Proprietor"),
                            ("data_protection_lead", "Data-protection lead"),
                            ("admin", "Technical admin"),
                        ],
                        max_length=32,
                    ),
                ),
                ("starts_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("ends_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memberships",
                        to="records.site",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["starts_at"]},
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ends_at__isnull", True), ("ends_at__gt", models.F("starts_at")), _connector="OR"
                ),
                name="membership_ends_after_it_starts",
            ),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["user", "site"], name="membership_person_site"),
        ),
        migrations.CreateModel(
            name="RoomAssignment",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                ("starts_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("ends_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="records.room",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="room_assignments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["starts_at"]},
        ),
        migrations.AddConstraint(
            model_name="roomassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ends_at__isnull", True), ("ends_at__gt", models.F("starts_at")), _connector="OR"
                ),
                name="room_assignment_ends_after_it_starts",
            ),
        ),
        migrations.RunPython(memberships_from_groups, groups_from_memberships),
    ]
