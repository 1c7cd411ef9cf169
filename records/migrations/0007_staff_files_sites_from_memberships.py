"""A staff file's sites are now those of its person's memberships (access.Membership),
copied there by access 0006; the list kept on the staff file goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_rooms"),
        ("access", "0006_memberships_and_rooms"),
    ]

    operations = [migrations.RemoveField(model_name="staffmember", name="sites")]
