import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """Roles are Django groups of these names; a person may hold several."""

    MANAGER = "manager", "Manager"
    SENIOR = "senior", "Senior staff"
    PRACTITIONER = "practitioner", "Practitioner"
    DSL = "dsl", "Designated safeguarding lead"
    HR = "hr", "HR"
    STUDENT = "student", "Student on placement"
    VOLUNTEER = "volunteer", "Volunteer"
    TRUSTEE = "trustee", "Trustee"


class User(AbstractUser):
    """A person who signs in: staff member, trustee, or parent/carer through the portal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()
