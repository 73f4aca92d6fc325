"""Print the credentials and the seeded ids that bench/http.sh requests with.

Output is shell assignments (``eval "$(python bench/http_credentials.py)"``):

    API_TOKEN=rpt_…  STAFF_COOKIE=sessionid=…  PORTAL_COOKIE=sessionid=…
    BENCH_CLIENT=…  BENCH_PROJECT=…  BENCH_MILESTONE=…  OWNER_ID=…
    CLIENT_SEARCH=…  CONTACT_SEARCH=…
    DEEP_CLIENTS=/api/v1/clients/?cursor=…  DEEP_CLIENTS_ROWS=9,500  (and the same for
        contacts, projects, milestones and deliverables)
    PORTAL_TARGETS='portal home|/p/|…'  (one line per portal page: name|path|note)
    MACHINE_SPEED='Python speed: …'

The client, project and milestone are those of bench/pages.py: an ordinary active client with
active work, its first active project, and a milestone of it with deliverables. The portal
session is one of that client's contacts; each portal page that shows one object (a quote, a
brief, an invoice, a document to sign, a change request) gets the id of one of that client's
own objects that the page answers 200 for, or an empty path and a note saying why (bench/seed.py
writes none of these).

Run it with the same SECRET_KEY and DATABASE_URL as the server: sessions are signed with the
key and stored in the database. The previous token of this script is revoked, so they do not
pile up on the settings page. Works on the code before and after the portal links moved under
``clients``.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from typing import Any

import _setup

_setup.django_setup(production_like=True)

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db.models import Model, Q, QuerySet  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.accounts.models import ApiToken, Membership  # noqa: E402
from rapport.accounts.services import api_token_create, api_token_revoke  # noqa: E402
from rapport.api.pagination import encode_cursor  # noqa: E402
from rapport.clients.models import Client, Contact  # noqa: E402
from rapport.clients.portal_links.services import portal_link_create  # noqa: E402
from rapport.projects.models import Deliverable, Milestone, Project  # noqa: E402

TOKEN_NAME = "bench http.sh"  # noqa: S105 - a label, not a secret
HOST = "127.0.0.1"
DEPTH = 10_000  # rows before a deep page (as far as the list is long, less a page)
CLIENT_SEARCH = "harbor"  # a word in about one client name in forty (bench/pages.py)
PROBES = 20  # candidates tried per portal page before saying none answers


def deep_page(list_url: str, rows: QuerySet[Any], key: Sequence[str]) -> tuple[str, int]:
    """A page of ``list_url`` that starts ``DEPTH`` rows in (fewer if the list is shorter):
    the cursor of the row before it, in the list's order ``key`` (as the API's viewset)."""
    total = rows.count()
    position = max(0, min(DEPTH, total - 51))
    names = [name.removeprefix("-") for name in key]
    before = rows.order_by(*key).values_list(*names)[position - 1 if position else 0]
    return f"{list_url}?cursor={encode_cursor('n', before)}", position


def portal_pages(portal: HttpClient, contact: Contact, project: Project | None) -> list[str]:
    """``name|path|note`` for every GET page of the portal, with the contact's own ids."""
    client_id = contact.client_id

    def model(label: str) -> type[Model] | None:
        try:
            return apps.get_model(label)
        except LookupError:
            return None

    def first_answering(label: str, lookup: Q, url_name: str, noun: str) -> tuple[str, str]:
        found = model(label)
        if found is None:
            return "", f"not measured: no model {label}"
        candidates = list(
            found._default_manager.filter(lookup)
            .order_by("-pk")
            .values_list("pk", flat=True)[:PROBES]
        )
        if not candidates:
            return "", f"not measured: the seed has no {noun} of the portal contact's client"
        for pk in candidates:
            path = reverse(url_name, args=[pk])
            if portal.get(path).status_code == 200:
                return path, ""
        return "", f"not measured: none of the client's {len(candidates)} {noun}s answers 200"

    of_client = Q(client_id=client_id)
    rows: list[tuple[str, str, str]] = [
        ("portal home", reverse("portal:home"), ""),
        (
            "portal project",
            reverse("portal:project", args=[project.pk]) if project else "",
            "" if project else "not measured: no project of the client answers 200",
        ),
        ("portal new request form", reverse("portal:request_new"), ""),
    ]
    singles = [
        ("portal quote", "agreements.Quote", of_client, "portal:quote", "quote"),
        ("portal brief", "clients.Brief", of_client, "portal:brief", "brief"),
        (
            "portal brief file",
            "clients.BriefAnswer",
            Q(brief__client_id=client_id) & ~Q(file=""),
            "portal:brief_file",
            "brief answer with a file",
        ),
        ("portal invoice", "billing.Invoice", of_client, "portal:invoice", "invoice"),
        (
            "portal invoice PDF",
            "billing.Invoice",
            of_client & Q(pdf__isnull=False),
            "portal:invoice_pdf",
            "issued invoice (with a PDF)",
        ),
        ("portal document to sign", "agreements.Document", of_client, "portal:sign", "document"),
        ("portal document PDF", "agreements.Document", of_client, "portal:sign_pdf", "document"),
        (
            "portal change request, reject form",
            "projects.ChangeRequest",
            of_client,
            "portal:change_reject",
            "change request",
        ),
    ]
    for name, label, lookup, url_name, noun in singles:
        path, note = first_answering(label, lookup, url_name, noun)
        rows.append((name, path, note))
    invoice_model = model("billing.Invoice")
    has_invoices = (
        invoice_model is not None
        and invoice_model._default_manager.filter(client_id=client_id).exists()
    )
    rows += [
        (
            "portal invoices list",
            reverse("portal:invoices"),
            "" if has_invoices else "the client has no invoices: an empty list",
        ),
        ("portal change request form", reverse("portal:change_new"), ""),
        ("portal ask for a link (public)", reverse("portal:link_request"), ""),
    ]
    return [f"{name}|{path}|{note}" for name, path, note in rows]


def main() -> int:
    _setup.require_migrated()
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(user__email=_setup.BENCH_EMAIL)
        .first()
    )
    if membership is None:
        print(f"No {_setup.BENCH_EMAIL}: run bench/seed.py first.", file=sys.stderr)
        return 1
    ws = membership.workspace
    for old in ApiToken.objects.filter(workspace=ws, name=TOKEN_NAME, revoked_at__isnull=True):
        api_token_revoke(membership=membership, token_id=old.pk)
    _token, secret = api_token_create(membership=membership, name=TOKEN_NAME)

    staff = HttpClient(HTTP_HOST=HOST)
    staff.force_login(membership.user, backend=settings.AUTHENTICATION_BACKENDS[-1])

    # The same kind of contact as bench/pages.py uses: of an active client with active work.
    client = (
        Client.objects.for_workspace(ws)
        .active()
        .filter(status=Client.Status.ACTIVE, projects__status=Project.Status.ACTIVE)
        .order_by("id")
        .first()
    )
    contact = Contact.objects.filter(client=client, archived_at__isnull=True).order_by("id").first()
    if client is None or contact is None:
        print("No contact of an active client: run bench/seed.py first.", file=sys.stderr)
        return 1
    project = (
        Project.objects.filter(
            client=client, archived_at__isnull=True, status=Project.Status.ACTIVE
        )
        .order_by("id")
        .first()
    )
    assert project is not None
    with_deliverables = Milestone.objects.filter(
        archived_at__isnull=True, deliverables__archived_at__isnull=True
    )
    milestone = (
        with_deliverables.filter(project=project).order_by("id").first()
        or with_deliverables.filter(workspace=ws).order_by("id").first()
    )
    if milestone is None:
        print("No milestone with deliverables: run bench/seed.py first.", file=sys.stderr)
        return 1

    portal = HttpClient(HTTP_HOST=HOST)
    _link, link_token = portal_link_create(contact=contact, actor=membership.user)
    response = portal.post(reverse("portal:open", args=[link_token]))
    if response.status_code != 302:
        print(f"Portal confirm answered {response.status_code}", file=sys.stderr)
        return 1
    # The confirm page of a link not yet used (a GET does not use it).
    _unused, unused_token = portal_link_create(contact=contact, actor=membership.user)
    portal_project = next(
        (
            p
            for p in Project.objects.filter(client=client, archived_at__isnull=True).order_by("id")
            if portal.get(reverse("portal:project", args=[p.pk])).status_code == 200
        ),
        None,
    )
    pages = portal_pages(portal, contact, portal_project)
    pages.append(
        f"portal link confirm page (public)|{reverse('portal:open', args=[unused_token])}|"
    )

    name = settings.SESSION_COOKIE_NAME
    out: dict[str, object] = {
        "API_TOKEN": secret,
        "STAFF_COOKIE": f"{name}={staff.cookies[name].value}",
        "PORTAL_COOKIE": f"{name}={portal.cookies[name].value}",
        "BENCH_CLIENT": client.pk,
        "BENCH_PROJECT": project.pk,
        "BENCH_MILESTONE": milestone.pk,
        "OWNER_ID": membership.user.pk,
        "CLIENT_SEARCH": CLIENT_SEARCH,
        # A surname, as one looks a person up: in about one contact name in 24.
        "CONTACT_SEARCH": contact.name.split()[-1].lower(),
        "PORTAL_TARGETS": "\n".join(pages),
    }
    # Pages deep in each list, in the order of its viewset.
    in_use = {"workspace": ws, "archived_at__isnull": True}
    for key, url, rows, order in (
        ("CLIENTS", "/api/v1/clients/", Client.objects.filter(**in_use), ("name", "id")),
        ("CONTACTS", "/api/v1/contacts/", Contact.objects.filter(**in_use), ("name", "id")),
        ("PROJECTS", "/api/v1/projects/", Project.objects.filter(**in_use), ("-created_at", "-id")),
        (
            "MILESTONES",
            "/api/v1/milestones/",
            Milestone.objects.filter(**in_use),
            ("due_date", "id"),
        ),
        ("DELIVERABLES", "/api/v1/deliverables/", Deliverable.objects.filter(**in_use), ("id",)),
    ):
        path, depth = deep_page(url, rows, order)
        out[f"DEEP_{key}"] = path
        out[f"DEEP_{key}_ROWS"] = f"{depth:,}"
    out["MACHINE_SPEED"] = _setup.machine_speed()
    for variable, value in out.items():
        print(f"{variable}={shlex.quote(str(value))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
