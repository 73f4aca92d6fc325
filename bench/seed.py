"""Fill one workspace with a freelancer studio's worth of years of data, for the benchmarks.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_bench \\
        .venv/bin/python bench/seed.py [--scale 0.1]

At scale 1: 10,000 clients, 30,000 contacts, 50,000 projects, 250,000 milestones, plus
deliverables, important dates, timeline events and the open commitments of the ledger
(``--ledger all`` adds the kept and broken ones, ``none`` skips it), all in the workspace of
bench@rapport.local (created with ``user_signup``). Rows are written with ``bulk_create`` in
batches, filling the denormalised fields exactly as the services would (``Client.tag_index``,
lower-case emails unique per client, milestone status/progress/completed_at in agreement).
Dates are spread around today so that about 1.5 % of the open milestones are due in the next
three days, as in a busy but ordinary week. The database must be migrated; the bench account
must not exist yet (seed a fresh database).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

import _setup

_setup.django_setup()

from django.db import connection, connections, transaction  # noqa: E402
from tqdm import tqdm  # noqa: E402

from rapport.accounts.models import Membership, User  # noqa: E402
from rapport.accounts.services import user_signup  # noqa: E402
from rapport.clients.models import Client, Contact, ImportantDate  # noqa: E402
from rapport.commitments.models import Commitment  # noqa: E402
from rapport.core.clock import end_of_day  # noqa: E402
from rapport.core.models import TimelineEvent  # noqa: E402
from rapport.projects.cadence import next_update_date  # noqa: E402
from rapport.projects.models import Deliverable, Milestone, Project  # noqa: E402

# Per client: 3 contacts and 5 projects; per project: 5 milestones (10k/30k/50k/250k at scale 1).
CLIENTS = 10_000
CONTACTS_PER_CLIENT = 3
PROJECTS_PER_CLIENT = 5
MILESTONES_PER_PROJECT = 5
CLIENTS_PER_CHUNK = 250  # one transaction per chunk; bounded memory
BATCH_SIZE = 2_000  # rows per INSERT statement

# Chance that a running project's next open milestone falls in [today, today + 3]. Tuned so that
# about 1.5 % of all open milestones are due in the next three days (printed at the end).
P_NEXT_DUE_SOON = 0.065
P_NEXT_OVERDUE = 0.12


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ADJECTIVES = words(
    "Blue Red Green Silver Golden Northern Southern Eastern Western Bright Quiet Swift Bold "
    "Clear Deep Royal Urban Coastal Alpine Prime Modern Classic Lucky Happy Brave Little Grand "
    "Olive Amber Cedar Copper Ivory Crimson Azure Misty Sunny Stone Iron Velvet Maple"
)
NOUNS = words(
    "Harbor Bridge Garden Forge Lantern Anchor Compass Falcon Meadow River Summit Orchard "
    "Beacon Canyon Harvest Island Kettle Lighthouse Mill Owl Pine Quarry Ridge Sparrow Tide "
    "Valley Willow Atlas Bakery Clinic Dental Vineyard Olive Pixel Studio Works Cellar Loom Hive"
)
SUFFIXES = (
    "Ltd",
    "SRL",
    "S.A.",
    "PT",
    "& Co",
    "Studio",
    "Group",
    "Labs",
    "IKE",
    "Partners",
    "",
    "",
)
INDUSTRIES = words(
    "design web retail hospitality fintech health education legal logistics manufacturing "
    "real-estate tourism food nonprofit media saas energy construction fashion automotive"
)
COMPETITORS = words(
    "acme globex initech umbrella hooli vandelay wonka stark wayne cyberdyne soylent tyrell"
)
FIRST_NAMES = words(
    "Maria Eleni Ioana Andrei Nikos Dimitra Putri Budi Sari Agus Anna John Emma Liam Sofia "
    "George Ana Elena Mihai Kostas Giorgos Dewi Rina Wayan Carol Alice Paul Irene Vasilis Ion"
)
LAST_NAMES = words(
    "Papadopoulos Popescu Ionescu Santoso Wijaya Smith Jones Georgiou Nikolaidou Dumitru Lestari "
    "Hartono Brown Taylor Constantin Stan Pappas Kusuma Wilson Marin Vlachos Rahman Nistor Evans"
)
LANGUAGES = ("en", "el", "ro", "id")
TIMEZONES = ("Europe/Athens", "Europe/Bucharest", "Asia/Jakarta", "Europe/London", "UTC")
CURRENCIES = ("EUR", "RON", "IDR", "USD", "GBP")
CHANNELS = ("email", "email", "email", "sms", "whatsapp", "telegram")
PROJECT_KINDS = ("Website", "Brand", "App", "Shop", "Campaign", "Audit")
PROJECT_WORDS = ("redesign", "launch", "refresh", "phase 2", "maintenance")
MILESTONE_WORDS = ("Discovery", "Wireframes", "Design", "Build", "Launch")
SEEDED_MODELS: tuple[type[Any], ...] = (
    Client,
    Contact,
    ImportantDate,
    Project,
    Milestone,
    Deliverable,
    Commitment,
    TimelineEvent,
)
DELIVERABLE_FORMATS = ("PDF", "Figma file", "ZIP of PNG exports", "Git tag", "Deployed URL", "DOCX")


@dataclass
class Counts:
    clients: int
    contacts: int
    projects: int
    milestones: int

    @property
    def total(self) -> int:
        # deliverables, important dates and events are not known up front; estimated
        return int((self.clients + self.contacts + self.projects + self.milestones) * 1.75)


@dataclass
class Chunk:
    """The rows of one chunk of clients, built in memory before they are written."""

    clients: list[Client] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    dates: list[ImportantDate] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    # per project (same order as ``projects``): its milestones
    milestones: list[list[Milestone]] = field(default_factory=list)


def aware(day: date, rng: random.Random) -> datetime:
    """A moment during working hours on ``day``, in UTC."""
    return datetime.combine(day, dtime(rng.randint(7, 18), rng.randint(0, 59)), tzinfo=UTC)


def make_client(ws_id: int, owner_id: int, number: int, today: date, rng: random.Random) -> Client:
    industry = rng.sample(INDUSTRIES, rng.randint(0, 3))
    competitors = rng.sample(COMPETITORS, rng.choice((0, 0, 1, 2)))
    # As rapport.clients.services._client_clean: the sorted union, "|a|b|", or "" when none.
    tags = sorted(set(industry) | set(competitors))
    created = today - timedelta(days=rng.randint(30, 1500))
    name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SUFFIXES)}".strip()
    status = rng.choices(
        (Client.Status.ACTIVE, Client.Status.PAST, Client.Status.LEAD, Client.Status.DECLINED),
        weights=(55, 30, 10, 5),
    )[0]
    return Client(
        workspace_id=ws_id,
        name=name,
        kind=Client.Kind.COMPANY if rng.random() < 0.8 else Client.Kind.PERSON,
        status=status,
        industry_tags=industry,
        competitor_tags=competitors,
        tag_index="|" + "|".join(tags) + "|" if tags else "",
        account_owner_id=owner_id,
        language=rng.choice(LANGUAGES),
        timezone=rng.choice(TIMEZONES),
        currency=rng.choice(CURRENCIES),
        referral_source=rng.choice(("", "", "referral", "website", "conference")),
        temperament_notes="Prefers short calls; decides fast." if number % 7 == 0 else "",
        glossary=[{"term": "final", "meaning": "ready for print"}] if number % 11 == 0 else [],
        created_at=aware(created, rng),
        archived_at=aware(today - timedelta(days=rng.randint(1, 300)), rng)
        if rng.random() < 0.04
        else None,
    )


def make_contacts(client: Client, number: int, today: date, rng: random.Random) -> list[Contact]:
    domain = f"client{number}.example"
    contacts: list[Contact] = []
    emails: set[str] = set()
    for _ in range(CONTACTS_PER_CLIENT):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}@{domain}".lower()
        while email in emails:  # unique per client, as the services require
            email = f"{first}.{last}{rng.randint(2, 99)}@{domain}".lower()
        emails.add(email)
        channel = rng.choice(CHANNELS)
        phone = f"+30 69{rng.randint(10_000_000, 99_999_999)}"
        contacts.append(
            Contact(
                workspace_id=client.workspace_id,
                client=client,
                name=f"{first} {last}",
                role=rng.choice(("Owner", "Marketing", "CTO", "Office manager", "")),
                email=email,
                phone=phone,
                telegram=f"@{first.lower()}{rng.randint(1, 999)}" if channel == "telegram" else "",
                whatsapp=phone if channel == "whatsapp" else "",
                preferred_channel=channel,
                language=rng.choice(("",) * 3 + LANGUAGES),
                timezone="",
                created_at=client.created_at,
                archived_at=client.archived_at
                or (aware(today, rng) if rng.random() < 0.03 else None),
            )
        )
    return contacts


def milestone_dates(kind: str, today: date, rng: random.Random) -> tuple[list[date], int]:
    """The due dates of a project's milestones (ascending) and how many of them are done."""
    n = MILESTONES_PER_PROJECT
    if kind == "finished":
        last = today - timedelta(days=rng.randint(20, 1000))
        days = [last]
        for _ in range(n - 1):
            days.append(days[-1] - timedelta(days=rng.randint(7, 45)))
        return sorted(days), n
    done = rng.randint(0, n - 1) if kind == "running" else 0
    past = []
    if done:
        past = [today - timedelta(days=rng.randint(1, 30))]
        for _ in range(done - 1):
            past.append(past[-1] - timedelta(days=rng.randint(7, 45)))
    if kind == "proposed":
        first_open = today + timedelta(days=rng.randint(7, 120))
    else:
        roll = rng.random()
        if roll < P_NEXT_DUE_SOON:
            first_open = today + timedelta(days=rng.randint(0, 3))
        elif roll < P_NEXT_DUE_SOON + P_NEXT_OVERDUE:
            first_open = today - timedelta(days=rng.randint(1, 20))
        else:
            first_open = today + timedelta(days=rng.randint(4, 60))
    future = [first_open]
    for _ in range(n - done - 1):
        future.append(future[-1] + timedelta(days=rng.randint(14, 45)))
    return sorted(past) + future, done


def make_projects(
    client: Client, today: date, rng: random.Random
) -> list[tuple[Project, list[Milestone]]]:
    out: list[tuple[Project, list[Milestone]]] = []
    for index in range(PROJECTS_PER_CLIENT):
        kind = rng.choices(("finished", "running", "proposed"), weights=(35, 50, 15))[0]
        if kind == "finished":
            status = rng.choice((Project.Status.DELIVERED, Project.Status.CLOSED))
        elif kind == "running":
            status = Project.Status.ACTIVE if rng.random() < 0.85 else Project.Status.ON_HOLD
        else:
            status = Project.Status.PROPOSED
        days, done = milestone_dates(kind, today, rng)
        start = days[0] - timedelta(days=rng.randint(3, 30))
        project = Project(
            workspace_id=client.workspace_id,
            client=client,
            title=f"{rng.choice(PROJECT_KINDS)} {rng.choice(PROJECT_WORDS)} #{index + 1}",
            goal="More bookings from the website." if index == 0 else "",
            start_date=start,
            due_date=days[-1] + timedelta(days=rng.randint(0, 30)),
            budget=Decimal(rng.randint(5, 400) * 100) if rng.random() < 0.8 else None,
            currency=client.currency,
            status=status,
            out_of_scope="Copywriting, hosting." if index == 1 else "",
            update_cadence=rng.choice(Project.Cadence.values),
            update_weekday=rng.randint(0, 4),
            created_at=aware(start - timedelta(days=rng.randint(0, 14)), rng),
            archived_at=aware(today, rng) if rng.random() < 0.03 else None,
        )
        milestones: list[Milestone] = []
        for position, due in enumerate(days):
            if position < done:
                status_ms, progress = Milestone.Status.DONE, 100
                completed: datetime | None = aware(due - timedelta(days=rng.randint(0, 3)), rng)
            elif position == done and kind == "running" and (due < today or rng.random() < 0.7):
                status_ms, progress = Milestone.Status.IN_PROGRESS, rng.randint(5, 95)
                completed = None
            else:
                status_ms, progress, completed = Milestone.Status.PLANNED, 0, None
            milestones.append(
                Milestone(
                    workspace_id=client.workspace_id,
                    title=f"{MILESTONE_WORDS[position % 5]} {position + 1}",
                    due_date=due,
                    progress=progress,
                    status=status_ms,
                    completed_at=completed,
                    created_at=project.created_at,
                    archived_at=aware(today, rng) if rng.random() < 0.01 else None,
                )
            )
        out.append((project, milestones))
    return out


def build_chunk(
    ws_id: int, owner_id: int, first: int, count: int, today: date, rng: random.Random
) -> Chunk:
    chunk = Chunk()
    for number in range(first, first + count):
        client = make_client(ws_id, owner_id, number, today, rng)
        chunk.clients.append(client)
        contacts = make_contacts(client, number, today, rng)
        chunk.contacts.extend(contacts)
        if rng.random() < 0.3:
            chunk.dates.append(
                ImportantDate(
                    workspace_id=ws_id,
                    contact=contacts[0],
                    kind=ImportantDate.Kind.BIRTHDAY,
                    month=rng.randint(1, 12),
                    day=rng.randint(1, 28),
                )
            )
        for project, milestones in make_projects(client, today, rng):
            chunk.projects.append(project)
            chunk.milestones.append(milestones)
    return chunk


def write(model: type[Any], rows: list[Any], seconds: dict[str, float]) -> None:
    """Insert ``rows`` in batches; add the time taken to ``seconds[<model's plural name>]``."""
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH_SIZE):
        model.objects.bulk_create(rows[start : start + BATCH_SIZE])
    name = str(model._meta.verbose_name_plural)
    seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started


def ledger(chunk: Chunk, tz: str, today: date, mode: str) -> list[Commitment]:
    """The commitments the services keep in step (rapport.commitments): one per milestone
    (open; kept when done; broken once past due, as the scanner leaves it) and one open
    "update due" per active project with a cadence. ``mode`` "open" writes only the open
    ones (what the tick scans), "all" the history too, "none" nothing."""
    now = datetime.now(tz=UTC)
    rows: list[Commitment] = []
    if mode == "none":
        return rows
    for project, items in zip(chunk.projects, chunk.milestones, strict=True):
        owner_id = project.client.account_owner_id
        for m in items:
            if m.archived_at is not None:
                continue  # cancelled with the milestone; not worth the rows
            due_at = end_of_day(m.due_date, tz)
            if m.status == Milestone.Status.DONE:
                state, resolved = Commitment.State.KEPT, m.completed_at
            elif due_at < now:
                state, resolved = Commitment.State.BROKEN, due_at
            else:
                state, resolved = Commitment.State.OPEN, None
            if mode == "open" and state != Commitment.State.OPEN:
                continue
            rows.append(
                Commitment(
                    workspace_id=m.workspace_id,
                    client_id=project.client_id,
                    project_id=project.pk,
                    milestone_id=m.pk,
                    kind=Commitment.Kind.MILESTONE,
                    wording=m.title,
                    due_at=due_at,
                    state=state,
                    owner_id=owner_id,
                    resolved_at=resolved,
                    dedupe_key=f"milestone:{m.pk}:{m.due_date.isoformat()}",
                    created_at=m.created_at,
                )
            )
        if project.status == Project.Status.ACTIVE and project.archived_at is None:
            day = next_update_date(project, today=today, last_sent=None)
            if day is not None:
                rows.append(
                    Commitment(
                        workspace_id=project.workspace_id,
                        client_id=project.client_id,
                        project_id=project.pk,
                        kind=Commitment.Kind.UPDATE,
                        wording=f"Progress update on {project.title}",
                        due_at=end_of_day(day, tz),
                        owner_id=owner_id,
                        dedupe_key=f"update:{project.pk}:{day.isoformat()}",
                        created_at=project.created_at,
                    )
                )
    return rows


def write_chunk(
    chunk: Chunk, actor_id: int, tz: str, today: date, ledger_mode: str, rng: random.Random
) -> tuple[int, dict[str, float]]:
    """Write one chunk in one transaction; return the rows written and the seconds per model."""
    seconds: dict[str, float] = {}
    with transaction.atomic():
        write(Client, chunk.clients, seconds)
        for contact in chunk.contacts:  # re-point at the saved clients (ids now known)
            contact.client_id = contact.client.pk
        write(Contact, chunk.contacts, seconds)
        for item in chunk.dates:
            item.contact_id = item.contact.pk
        write(ImportantDate, chunk.dates, seconds)
        for project in chunk.projects:
            project.client_id = project.client.pk
        write(Project, chunk.projects, seconds)
        milestones: list[Milestone] = []
        for project, items in zip(chunk.projects, chunk.milestones, strict=True):
            for milestone in items:
                milestone.project_id = project.pk
                milestones.append(milestone)
        write(Milestone, milestones, seconds)
        deliverables = [
            Deliverable(
                workspace_id=m.workspace_id,
                milestone_id=m.pk,
                title=f"{m.title} files",
                spec="Final files as agreed in the brief, with sources.",
                format=rng.choice(DELIVERABLE_FORMATS),
                status=Deliverable.Status.ACCEPTED
                if m.status == Milestone.Status.DONE
                else Deliverable.Status.PENDING,
                created_at=m.created_at,
            )
            for m in milestones
            if rng.random() < 0.2
        ]
        write(Deliverable, deliverables, seconds)
        commitments = ledger(chunk, tz, today, ledger_mode)
        write(Commitment, commitments, seconds)
        # The audit trail the services would have left (a sample of it: creations, completions).
        events: list[TimelineEvent] = []
        for client in chunk.clients:
            events.append(
                TimelineEvent(
                    workspace_id=client.workspace_id,
                    client_id=client.pk,
                    actor_id=actor_id,
                    verb="client.created",
                    data={"name": client.name},
                    created_at=client.created_at,
                )
            )
        for project, items in zip(chunk.projects, chunk.milestones, strict=True):
            events.append(
                TimelineEvent(
                    workspace_id=project.workspace_id,
                    client_id=project.client_id,
                    actor_id=actor_id,
                    verb="project.created",
                    subject_type="project",
                    subject_id=project.pk,
                    data={"title": project.title},
                    created_at=project.created_at,
                )
            )
            events.extend(
                TimelineEvent(
                    workspace_id=m.workspace_id,
                    client_id=project.client_id,
                    actor_id=actor_id,
                    verb="milestone.done",
                    subject_type="milestone",
                    subject_id=m.pk,
                    data={"title": m.title},
                    created_at=m.completed_at,
                )
                for m in items
                if m.completed_at is not None and rng.random() < 0.3
            )
        write(TimelineEvent, events, seconds)
    rows = len(chunk.clients) + len(chunk.contacts) + len(chunk.dates) + len(chunk.projects)
    rows += len(milestones) + len(deliverables) + len(commitments)
    return rows + len(events), seconds


@dataclass(frozen=True)
class Job:
    ws_id: int
    user_id: int
    first: int
    size: int
    today: date
    seed: int
    tz: str  # the workspace's time zone (deadlines end at midnight there)
    ledger: str  # which commitments to write: none, open, all


def backend_cpu() -> tuple[int, float] | None:
    """(pid, CPU seconds so far) of this connection's PostgreSQL backend, when it runs on this
    machine (read from /proc); None otherwise. SQLite's work is in this process's own CPU."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed_chunk(job: Job) -> tuple[int, dict[str, float], tuple[int, float] | None]:
    """Build and write clients ``first`` .. ``first + size - 1`` (runs in a worker process).

    Each chunk has its own random generator, so the data does not depend on the worker count.
    Returns the rows written, seconds per model (and "cpu" of this process), and the CPU
    used so far by the database backend serving this worker.
    """
    started = time.process_time()
    rng = random.Random(f"{job.seed}:{job.first}")
    chunk = build_chunk(job.ws_id, job.user_id, job.first, job.size, job.today, rng)
    rows, seconds = write_chunk(chunk, job.user_id, job.tz, job.today, job.ledger, rng)
    seconds["cpu"] = time.process_time() - started
    return rows, seconds, backend_cpu()


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (PostgreSQL) or ``PRAGMA optimize`` would."""
    tables = [m._meta.db_table for m in SEEDED_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        else:
            cursor.execute("ANALYZE")


def run_jobs(jobs: list[Job], workers: int, bar: tqdm) -> tuple[dict[str, float], float]:
    """Run the chunks, in ``workers`` processes (forked: each opens its own connection).

    Returns the seconds per model (summed over workers, "cpu": the workers' CPU) and the
    CPU seconds of the PostgreSQL backends that served them (0 for SQLite or a remote server).
    """
    seconds: dict[str, float] = {}
    backends: dict[int, float] = {}

    def done(rows: int, spent: dict[str, float], backend: tuple[int, float] | None) -> None:
        bar.update(rows)
        for name, value in spent.items():
            seconds[name] = seconds.get(name, 0.0) + value
        if backend is not None:
            backends[backend[0]] = max(backends.get(backend[0], 0.0), backend[1])

    if workers <= 1:
        for job in jobs:
            done(*seed_chunk(job))
        return seconds, sum(backends.values())
    connections.close_all()  # never share a connection with the children
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for rows, spent, backend in pool.imap_unordered(seed_chunk, jobs):
            done(rows, spent, backend)
    return seconds, sum(backends.values())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full size (0.1: quick run)"
    )
    parser.add_argument("--email", default=_setup.BENCH_EMAIL, help="the bench account to create")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same data each run)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes building and writing chunks (default: 2 on PostgreSQL, 1 on SQLite)",
    )
    parser.add_argument(
        "--ledger",
        choices=("none", "open", "all"),
        default="open",
        help="commitments to write: the open ones (default), all with history, or none",
    )
    args = parser.parse_args()
    if args.scale <= 0:
        parser.error("--scale must be positive")

    _setup.require_migrated()
    print(f"Database: {_setup.database_label()}")
    print(f"CPUs {os.cpu_count()}; load average before {_setup.load_average()}")
    if User.objects.filter(email__iexact=args.email).exists():
        print(f"{args.email} exists: seed a fresh database (or pass --email).", file=sys.stderr)
        return 1
    workers = args.workers or (2 if connection.vendor == "postgresql" else 1)

    today = date.today()  # the date milestone_list() counts "due within N days" from
    n_clients = max(1, round(CLIENTS * args.scale))
    counts = Counts(
        clients=n_clients,
        contacts=n_clients * CONTACTS_PER_CLIENT,
        projects=n_clients * PROJECTS_PER_CLIENT,
        milestones=n_clients * PROJECTS_PER_CLIENT * MILESTONES_PER_PROJECT,
    )
    started = time.perf_counter()
    membership: Membership = user_signup(
        email=args.email,
        name="Bench Studio",
        password=_setup.BENCH_PASSWORD,
        workspace_name="Bench Studio",
    )
    ws_id, user_id = membership.workspace_id, membership.user_id
    tz = membership.workspace.timezone
    jobs = [
        Job(
            ws_id,
            user_id,
            first,
            min(CLIENTS_PER_CHUNK, n_clients - first),
            today,
            args.seed,
            tz,
            args.ledger,
        )
        for first in range(0, n_clients, CLIENTS_PER_CHUNK)
    ]
    with tqdm(total=counts.total, unit="rows", unit_scale=True, smoothing=0.1) as bar:
        seconds, db_cpu = run_jobs(jobs, workers, bar)
        bar.total = bar.n
        bar.refresh()
    written = time.perf_counter() - started
    analyze()
    elapsed = time.perf_counter() - started

    print(
        f"\nWorkspace {ws_id} ({args.email}), scale {args.scale}, ledger {args.ledger}, "
        f"{workers} worker(s):"
    )
    print(f"  {'table':<18} {'rows':>9}   insert time (summed over workers)")
    total = 0
    for model in SEEDED_MODELS:
        count = model.objects.filter(workspace_id=ws_id).count()
        total += count
        name = str(model._meta.verbose_name_plural)
        print(f"  {name:<18} {count:>9,}   {seconds.get(name, 0):5.1f} s")
    print(f"  {'total':<18} {total:>9,}")
    open_ms = Milestone.objects.filter(workspace_id=ws_id, archived_at__isnull=True).exclude(
        status="done"
    )
    due_soon = open_ms.filter(due_date__gte=today, due_date__lte=today + timedelta(days=3)).count()
    n_open = open_ms.count()
    print(
        f"  open milestones {n_open:,}; due in the next 3 days {due_soon:,} "
        f"({100 * due_soon / max(n_open, 1):.1f} % of open)"
    )
    python_cpu = seconds.get("cpu", 0.0)
    busy = python_cpu + db_cpu
    print(
        f"CPU spent writing: Python {python_cpu:.1f} s"
        + (f" + PostgreSQL backends {db_cpu:.1f} s" if db_cpu else " (SQLite included)")
        + f" = {busy:.1f} s; with {os.cpu_count()} idle cores that is at least "
        f"{busy / (os.cpu_count() or 1):.1f} s of wall time"
    )
    print(
        f"Elapsed: {elapsed:.1f} s (rows written in {written:.1f} s, "
        f"statistics {elapsed - written:.1f} s); load average after {_setup.load_average()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
