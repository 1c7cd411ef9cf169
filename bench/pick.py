"""Which child and record the benchmark reads: ``python -m bench.pick`` prints them as JSON.

Ava Smith, whom Kim (``keyworker``) is key person for at every size of the demo, and her latest
general record without attachments. Run by bench/run.py with the benchmark's environment.
"""

from __future__ import annotations

import json
import sys

import django


def pick() -> dict[str, str]:
    # Imported here, once django.setup() has run.
    from access.models import KeyWorkerAssignment
    from crypto.fields import blind_index_field
    from records.models import Child, Record, Tier

    ava = Child.objects.get(
        first_name_bidx=blind_index_field(Child, "first_name_bidx").digest("Ava"),
        last_name_bidx=blind_index_field(Child, "last_name_bidx").digest("Smith"),
    )
    if not KeyWorkerAssignment.objects.filter(child=ava, user__username="keyworker", ended_at=None).exists():
        raise SystemExit("bench.pick: keyworker is not Ava Smith's key person in this database")
    record = (
        Record.objects.filter(child=ava, tier=Tier.GENERAL, status=Record.Status.ACTIVE)
        .filter(attachments__isnull=True)
        .order_by("-occurred_at", "pk")
        .first()
    )
    if record is None:
        raise SystemExit("bench.pick: Ava Smith has no general record")
    return {"child": str(ava.pk), "record": str(record.pk)}


def main() -> None:
    django.setup()
    json.dump(pick(), sys.stdout)


if __name__ == "__main__":
    main()
