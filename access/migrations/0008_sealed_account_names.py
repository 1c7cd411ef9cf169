"""Account names and e-mail addresses are sealed like every other personal field.

The plaintext columns are renamed aside, sealed columns added under the original
names (a sealed value is bound to its field's name and row), every account copied
across through the historical model (whose encrypted fields seal on save), and the
plaintext columns dropped. Reversible: the reverse copies the opened values back.
"""

from django.db import migrations

import crypto.fields

FIELDS = ("first_name", "last_name", "email")


def seal(apps, schema_editor):
    User = apps.get_model("access", "User")
    for user in User.objects.using(schema_editor.connection.alias).order_by("pk").iterator(chunk_size=500):
        for name in FIELDS:
            setattr(user, name, getattr(user, f"{name}_plain"))
        user.save(update_fields=list(FIELDS))


def unseal(apps, schema_editor):
    User = apps.get_model("access", "User")
    for user in User.objects.using(schema_editor.connection.alias).order_by("pk").iterator(chunk_size=500):
        for name in FIELDS:
            setattr(user, f"{name}_plain", getattr(user, name) or "")
        user.save(update_fields=[f"{name}_plain" for name in FIELDS])


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0007_sign_in_devices_and_resets"),
    ]

    operations = [
        migrations.AlterModelManagers(name="user", managers=[]),
        migrations.AlterModelOptions(
            name="user",
            options={"ordering": ["username"], "verbose_name": "user", "verbose_name_plural": "users"},
        ),
        *(migrations.RenameField("user", name, f"{name}_plain") for name in FIELDS),
        migrations.AddField(
            model_name="user",
            name="first_name",
            field=crypto.fields.EncryptedCharField(
                blank=True, max_length=150, null=True, verbose_name="first name"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="last_name",
            field=crypto.fields.EncryptedCharField(
                blank=True, max_length=150, null=True, verbose_name="last name"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="email",
            field=crypto.fields.EncryptedEmailField(
                blank=True, max_length=254, null=True, verbose_name="email address"
            ),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
        *(migrations.RemoveField("user", f"{name}_plain") for name in FIELDS),
    ]
