from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A form sent with a one-time token, and where what it made can be seen.

    Holds no personal data: the token's random part, whose it was, and a path
    of ids. Deleted a day after the token stops being accepted (submissions.jobs)."""

    key = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "form submission"

    def __str__(self) -> str:
        return f"form submission {self.pk}"
