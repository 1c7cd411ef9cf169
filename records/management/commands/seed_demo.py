"""
Demo data: two settings, their staff, children, carers and records of every kind.

Deterministic (the same data every time, down to the ids) and idempotent (a
second run changes nothing). Every personal value is encrypted exactly as the
application encrypts it; bulk inserts go through the same field code.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any
from uuid import UUID  # in Command, annotations would take "uuid" for its uuid() method

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from access import services as access_services
from access.management import demo_two_factor
from access.models import KeyWorkerAssignment, Membership, Role, RoomAssignment, Scope, User
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from crypto import attachments
from governance.management import demo_governance
from records.management.demo_data import (
    BASE_TIME,
    BATCH,
    DEMO_PASSWORD,
    MINIMAL_PNG,
    PARENTS,
    ROOMS,
    SEED,
    SITES,
    STAFF,
    TRUSTEE,
    minimal_pdf,
)
from records.management.demo_families import DemoFamilies
from records.models import (
    Attachment,
    Category,
    Child,
    Record,
    Room,
    Site,
    StaffMember,
    Tier,
)
from sharing.management import demo_sharing

KEY_CHILDREN_EACH = 12


class Command(DemoFamilies, BaseCommand):
    help = "Load deterministic demo data (two settings, staff, ~40 children). Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=40, help="How many children (default 40).")
        parser.add_argument(
            "--records-per-child", type=int, default=6, help="Records in each child's file (default 6)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on live data)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a production system, so demo data was not loaded. "
                "Use --force only on a disposable database."
            )
        if options["children"] < 1 or options["records_per_child"] < 0:
            raise CommandError("--children must be at least 1 and --records-per-child at least 0.")
        self.rng = random.Random(SEED)
        site_ids = [self.uuid() for _ in SITES]
        if Site.objects.filter(pk=site_ids[0]).exists():
            self.stdout.write("Demo data is already loaded; nothing changed.")
        elif options["if_empty"] and Site.objects.exists():
            self.stdout.write("The database already holds settings; demo data was not loaded.")
            return
        else:
            # One summary entry for the whole load, not one per row or role.
            with transaction.atomic(), disable_auditlog():
                self.load(site_ids, options["children"], options["records_per_child"])
            if connection.vendor == "postgresql":
                # After a bulk load the planner's statistics are stale until autovacuum
                # gets round to them; without them it plans the first queries badly.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        self.print_logins()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def print_logins(self) -> None:
        usernames = [s[0] for s in STAFF] + [TRUSTEE[0]] + [p[0] for p in PARENTS]
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        self.stdout.write("  " + ", ".join(usernames))
        self.stdout.write(
            "Staff sign in with a two-factor code too: `manage.py totp_code USER` prints it (README)."
        )

    def load(self, site_ids: list[UUID], n_children: int, per_child: int) -> None:
        sites = [
            Site.objects.create(id=site_ids[i], name=name, address=address, phone=phone)
            for i, (name, address, phone) in enumerate(SITES)
        ]
        self.rooms = {
            (site.pk, name): Room.objects.create(id=self.uuid(), site=site, name=name)
            for site in sites
            for name in ROOMS
        }
        password = make_password(DEMO_PASSWORD)
        staff: dict[str, StaffMember] = {}
        for username, first, last, roles, site_indexes, job in STAFF:
            user = User.objects.create(
                id=self.uuid(),
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                password=password,
            )
            member = StaffMember.objects.create(
                id=self.uuid(),
                user=user,
                job_title=job,
                start_date=datetime.date(2020, 9, 1),
                phone="07700 900" + f"{len(staff):03d}",
                address=f"{len(staff) + 1} Staff Street, Leeds",
            )
            for i in site_indexes:
                for role in roles:
                    self.membership(user, sites[i], role)
            staff[username] = member
        trustee = User.objects.create(
            id=self.uuid(),
            username=TRUSTEE[0],
            first_name=TRUSTEE[1],
            last_name=TRUSTEE[2],
            email="trustee@example.org",
            password=password,
        )
        for site in sites:
            self.membership(trustee, site, Role.TRUSTEE)
        # Portal logins carry no names or e-mail: those are personal data of a
        # family, kept encrypted on the Carer. The login is only a username.
        parents = [
            User.objects.create(id=self.uuid(), username=u, password=password, is_portal_user=True)
            for u, _f, _l in PARENTS
        ]
        authors = [staff["keyworker"].user, staff["keyworker2"].user, staff["senior"].user]
        self.load_children(sites, parents, authors, staff, n_children, per_child)
        self.load_staff_records(staff)
        self.attach_files(staff["keyworker"].user)
        self.load_access(staff, sites)
        self.load_rooms(staff, sites)
        demo_sharing.load(staff, sites)
        demo_two_factor.load(member.user for member in staff.values())
        demo_governance.load(self.uuid, password, staff, sites)
        audit_event(
            actor=None,
            event=Event.MAINTENANCE,
            obj=sites[0],
            tier=AuditTier.NONE,
            reason=f"Demo data loaded: {n_children} children, {per_child} records each.",
        )

    def load_staff_records(self, staff: dict[str, StaffMember]) -> None:
        records = [
            Record(
                id=self.uuid(),
                staff_member=member,
                category=Category.STAFF_RECORD,
                tier=Tier.PERSONNEL,
                title="Contract of employment",
                body=f"Permanent contract for {member.user.get_full_name()}, 37.5 hours a week.",
                occurred_at=BASE_TIME - datetime.timedelta(days=700),
                author=staff["hr"].user,
            )
            for member in staff.values()
        ]
        records.append(
            Record(
                id=self.uuid(),
                staff_member=staff["keyworker2"],
                category=Category.STAFF_RECORD,
                tier=Tier.PERSONNEL,
                title="Allegation against a member of staff",
                body="A parent alleged rough handling at nappy change; LADO consulted.",
                occurred_at=BASE_TIME - datetime.timedelta(days=20),
                author=staff["hr"].user,
                subject_staff_member=staff["keyworker2"],
                is_allegation=True,
            )
        )
        Record.objects.bulk_create(records)

    def membership(self, user: User, site: Site, role: str) -> Membership:
        """A role held since the demo's staff started, confirmed as the pages would leave it."""
        began = datetime.datetime(2020, 9, 1, 9, tzinfo=datetime.UTC)
        return Membership.objects.create(
            id=self.uuid(),
            user=user,
            site=site,
            role=role,
            starts_at=began,
            created_at=began,
            confirmed_at=began,
        )

    def load_rooms(self, staff: dict[str, StaffMember], sites: list[Site]) -> None:
        """Who works in which room at Oakfield (the emergency cards and room lists follow this)."""
        for username, room in (
            ("keyworker", "Acorns"),
            ("keyworker2", "Saplings"),
            ("student", "Acorns"),
            ("volunteer", "Oaks"),
        ):
            RoomAssignment.objects.create(
                id=self.uuid(),
                user=staff[username].user,
                room=self.rooms[(sites[0].pk, room)],
                starts_at=BASE_TIME,
            )

    def load_access(self, staff: dict[str, StaffMember], sites: list[Site]) -> None:
        """Key people for Oakfield's children, a grant, a named safeguarding reader and a conflict."""
        manager, dsl = staff["manager"].user, staff["dsl"].user
        kim, sam = staff["keyworker"].user, staff["keyworker2"].user
        oakfield = Child.objects.filter(site=sites[0]).order_by("pk")
        ava = Child.objects.get(first_name_bidx=Child._meta.get_field("first_name_bidx").digest("Ava"))
        assignments = [
            KeyWorkerAssignment(child=ava, user=kim, assigned_by=manager, assigned_at=BASE_TIME),
            KeyWorkerAssignment(child=ava, user=sam, assigned_by=manager, assigned_at=BASE_TIME),
        ]
        # A key person has a dozen or so key children, as in a real setting; in a
        # larger demo (make bench) the other children have key people not in the demo.
        others = oakfield.exclude(pk=ava.pk).values_list("pk", flat=True)[: 2 * KEY_CHILDREN_EACH]
        for index, child_id in enumerate(others):
            assignments.append(
                KeyWorkerAssignment(
                    child_id=child_id,
                    user=kim if index % 2 == 0 else sam,
                    assigned_by=manager,
                    assigned_at=BASE_TIME,
                )
            )
        KeyWorkerAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        access_services.grant_child_access(
            actor=manager,
            child=ava,
            grantee=staff["senior"].user,
            scope=Scope.CHILD_FILE,
            reason="Covering Ava's transition to the Oaks room",
        )
        access_services.grant_child_access(
            actor=dsl,
            child=ava,
            grantee=kim,
            scope=Scope.SAFEGUARDING_FILE,
            reason="Kim is Ava's key person and attends the core group meetings",
        )
        conflicted = oakfield.exclude(pk=ava.pk).first()
        if conflicted is not None:
            access_services.conflict_record(
                actor=manager,
                child=conflicted,
                user=staff["volunteer"].user,
                reason="Val is the child's grandmother",
            )

    def attach_files(self, uploader: User) -> None:
        ava_records = list(
            Record.objects.filter(
                child__first_name_bidx=Child._meta.get_field("first_name_bidx").digest("Ava")
            )
            .filter(category__in=[Category.AGENCY_REPORT, Category.PROGRESS, Category.SIGNED_CONSENT])
            .only("id", "category")
        )
        files = {
            Category.AGENCY_REPORT: (
                "health-visitor-2yr-check.pdf",
                minimal_pdf("Two year check: Ava Smith"),
            ),
            Category.PROGRESS: ("ava-painting.png", MINIMAL_PNG),
            Category.SIGNED_CONSENT: ("photo-consent.txt", b"Photo consent signed by Amy Smith.\n"),
        }
        for record in ava_records:
            name, data = files[Category(record.category)]
            attachment = Attachment(
                id=self.uuid(),
                record=record,
                original_filename=name,
                content_type=attachments.sniff_content_type(data) or "",
                size=len(data),
                uploaded_by=uploader,
            )
            stored, key_id, digest = attachments.seal_and_store(attachment_id=attachment.pk, data=data)
            attachment.stored_name, attachment.key_id, attachment.sha256 = stored, key_id, digest
            attachment.save()
