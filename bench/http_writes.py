"""The rows bench/http.sh creates through the API: their parents, and removing them again.

    python bench/http_writes.py prepare    # prints WRITE_CLIENT=… WRITE_PROJECT=… WRITE_MILESTONE=…
    python bench/http_writes.py cleanup    # prints REMOVED clients=… contacts=… …
    python bench/http_writes.py cleanup --all

``prepare`` (with API_TOKEN in the environment) first removes whatever an interrupted run left,
then creates, through the API, a client, an active project of it and a milestone of that
project: the parents of the contacts, projects, milestones and deliverables that the create
benchmarks add. Everything they add is named "Bench HTTP …", so ``cleanup`` finds it again and
deletes it with what the services wrote along (timeline events, commitments: by cascade, and the
fixture client's events), and prints how many rows of each kind it removed; ``--all`` removes
the parents too. Nothing seeded is touched, so runs do not drift.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, timedelta
from typing import Any

import _setup

_setup.django_setup(production_like=True)

from django.apps import apps  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402

from rapport.accounts.models import Membership  # noqa: E402
from rapport.clients.models import Client, Contact  # noqa: E402
from rapport.projects.models import Deliverable, Milestone, Project  # noqa: E402

HOST = "127.0.0.1"
MARK = "Bench HTTP"  # every row made here or by the create benchmarks is named so
FIXTURE = f"{MARK} fixture"


def _timeline_event_model() -> Any:
    # Found by name: the model may live in another app than when this was written.
    return next(m for m in apps.get_models() if m.__name__ == "TimelineEvent")


def _api_post(http: HttpClient, path: str, body: dict[str, Any]) -> int:
    response = http.post(path, data=json.dumps(body), content_type="application/json")
    if response.status_code != 201:
        sys.exit(f"POST {path} answered {response.status_code}: {response.content[:500]!r}")
    return int(response.json()["id"])


def cleanup(workspace_id: int, *, everything: bool) -> dict[str, int]:
    """Delete the rows the create benchmarks made (and, with ``everything``, their parents)."""
    removed: dict[str, int] = {}
    with transaction.atomic():
        for key, model, field in (
            ("deliverables", Deliverable, "title"),
            ("milestones", Milestone, "title"),
            ("projects", Project, "title"),
            ("contacts", Contact, "name"),
            ("clients", Client, "name"),
        ):
            rows = model.objects.filter(
                workspace_id=workspace_id, **{f"{field}__startswith": f"{MARK} "}
            )
            if not everything:
                rows = rows.exclude(**{f"{field}__startswith": FIXTURE})
            _total, by_model = rows.delete()
            removed[key] = by_model.get(model._meta.label, 0)
        # What the services recorded on the fixture client (its contacts', projects' … events).
        events = _timeline_event_model().objects.filter(
            workspace_id=workspace_id, client__name__startswith=FIXTURE
        )
        removed["timeline events"] = events.delete()[0]
    return removed


def prepare(membership: Membership) -> dict[str, object]:
    token = os.environ.get("API_TOKEN", "")
    if not token:
        sys.exit("prepare needs API_TOKEN (from bench/http_credentials.py)")
    cleanup(membership.workspace_id, everything=True)
    http = HttpClient(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")
    today = date.today()
    client = _api_post(
        http,
        "/api/v1/clients/",
        {"name": FIXTURE, "status": "active", "language": "en", "currency": "EUR"},
    )
    project = _api_post(
        http,
        "/api/v1/projects/",
        {
            "client": client,
            "title": f"{FIXTURE} project",
            "status": "active",
            "start_date": (today - timedelta(days=30)).isoformat(),
            "due_date": (today + timedelta(days=180)).isoformat(),
        },
    )
    milestone = _api_post(
        http,
        "/api/v1/milestones/",
        {
            "project": project,
            "title": f"{FIXTURE} milestone",
            "due_date": (today + timedelta(days=60)).isoformat(),
        },
    )
    return {
        "WRITE_CLIENT": client,
        "WRITE_PROJECT": project,
        "WRITE_MILESTONE": milestone,
        # Dates within the project for new milestones; a quarter for new projects.
        "WRITE_TODAY": today.isoformat(),
        "WRITE_DUE": (today + timedelta(days=45)).isoformat(),
        "WRITE_QUARTER": (today + timedelta(days=90)).isoformat(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("prepare", "cleanup"))
    parser.add_argument("--all", action="store_true", help="cleanup: the parents too")
    args = parser.parse_args()
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(user__email=_setup.BENCH_EMAIL)
        .first()
    )
    if membership is None:
        print(f"No {_setup.BENCH_EMAIL}: run bench/seed.py first.", file=sys.stderr)
        return 1
    if args.action == "prepare":
        for variable, value in prepare(membership).items():
            print(f"{variable}={value}")
    else:
        removed = cleanup(membership.workspace_id, everything=args.all)
        print("REMOVED " + " ".join(f"{k.replace(' ', '_')}={v}" for k, v in removed.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
