"""Rooms become places of their own (records.Room), so staff can be assigned to them.

Each child's room, which was a name, becomes a link to the room of that name at
the child's site (created as needed); going back turns the links into names.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def rooms_from_names(apps, schema_editor):
    Child = apps.get_model("records", "Child")
    Room = apps.get_model("records", "Room")
    for child in Child.objects.exclude(room_name="").only("id", "site_id", "room_name"):
        room, _created = Room.objects.get_or_create(site_id=child.site_id, name=child.room_name)
        Child.objects.filter(pk=child.pk).update(room=room)


def names_from_rooms(apps, schema_editor):
    Child = apps.get_model("records", "Child")
    for child in Child.objects.filter(room__isnull=False).select_related("room").only("id", "room__name"):
        Child.objects.filter(pk=child.pk).update(room_name=child.room.name)


class Migration(migrations.Migration):
    dependencies = [("records", "0005_index_records_by_author_and_category")]

    operations = [
        migrations.CreateModel(
            name="Room",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=100)),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="rooms", to="records.site"
                    ),
                ),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddConstraint(
            model_name="room",
            constraint=models.UniqueConstraint(fields=("site", "name"), name="room_name_once_per_site"),
        ),
        migrations.RenameField(model_name="child", old_name="room", new_name="room_name"),
        migrations.AddField(
            model_name="child",
            name="room",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="records.room",
                verbose_name="room or group",
            ),
        ),
        migrations.RunPython(rooms_from_names, names_from_rooms),
        migrations.RemoveField(model_name="child", name="room_name"),
    ]
