"""Billing at size: the invoice list and the client balance at 100,000 invoices, and PDF
documents per second (invoice and contract) with 1 and 2 worker processes.

    createdb -h 127.0.0.1 -U postgres rapport_bench_billing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_bench_billing \\
        .venv/bin/python bench/billing.py --seed --n 30

``--seed`` migrates the database, then writes one workspace ("Billing bench") with 500 clients
and 100,000 issued, paid, cancelled and draft invoices (one line each) with ``bulk_create``, in
a few seconds; without it the seeded data is reused. Then, through Django's test client in
this process (middleware, views, templates; no network): the queries of one request and the
median server time of ``--n`` requests, for the invoice list (first page, a status filter, a
client filter, a late page), the client page and its balance section, plus the balance selector
alone. Last, PDFs: ``--docs`` invoices and contracts rendered with Typst by 1, then 2,
processes at once, and the documents per second.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import _setup

_setup.django_setup(production_like=True)

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.accounts.models import Membership, User, Workspace  # noqa: E402
from rapport.billing.models import Invoice, InvoiceLine, InvoiceSequence  # noqa: E402
from rapport.clients.models import Client, Contact  # noqa: E402

WORKSPACE = "Billing bench"
EMAIL = "billing-bench@rapport.local"
CLIENTS = 500
INVOICES = 100_000


def seed() -> Workspace:
    call_command("migrate", verbosity=0)
    call_command("createcachetable")  # sessions and rate limits use the database cache
    Workspace.objects.filter(name=WORKSPACE).delete()
    with transaction.atomic():
        workspace = Workspace.objects.create(name=WORKSPACE, timezone="Europe/Athens")
        user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
            EMAIL, _setup.BENCH_PASSWORD, name="Bench"
        )
        Membership.objects.create(workspace=workspace, user=user, role=Membership.Role.OWNER)
        clients = Client.objects.bulk_create(
            Client(
                workspace=workspace,
                name=f"Πελάτης {i} / Client {i}",
                status=Client.Status.ACTIVE,
                language=("el", "ro", "en", "id")[i % 4],
                currency=("EUR", "RON")[i % 2],
            )
            for i in range(CLIENTS)
        )
        contacts = Contact.objects.bulk_create(
            Contact(
                workspace=workspace, client=c, name=f"Contact {c.pk}", email=f"c{c.pk}@x.example"
            )
            for c in clients
        )
    start = date.today() - timedelta(days=INVOICES // 100)
    statuses = ["paid"] * 6 + ["issued"] * 2 + ["void", "draft"]
    number = 0
    batch: list[Invoice] = []
    for i in range(INVOICES):
        status = statuses[i % len(statuses)]
        client = clients[(i * 7) % CLIENTS]
        currency = client.currency
        total = Decimal(100 + (i % 900)) + Decimal("0.50")
        net = (total / Decimal("1.24")).quantize(Decimal("0.01"))
        if status != "draft":
            number += 1
        issued = start + timedelta(days=i // 100)
        batch.append(
            Invoice(
                workspace=workspace,
                client=client,
                contact=contacts[(i * 7) % CLIENTS],
                kind=("deposit", "milestone", "final", "hourly")[i % 4],
                status=status,
                number=number if status != "draft" else None,
                currency=currency,
                language=client.language,
                issue_date=issued if status != "draft" else None,
                due_date=issued + timedelta(days=14) if status != "draft" else None,
                subtotal=net,
                tax_total=total - net,
                total=total,
                paid_total=total if status == "paid" else Decimal(0),
                sha256="0" * 64 if status != "draft" else "",
            )
        )
        if len(batch) == 5000:
            _flush(batch)
            batch = []
    _flush(batch)
    InvoiceSequence.objects.update_or_create(workspace=workspace, defaults={"last_number": number})
    if connection.vendor == "postgresql":  # as autovacuum would: statistics, visibility map
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE billing_invoice")
            cursor.execute("VACUUM ANALYZE billing_invoiceline")
    return workspace


def _flush(batch: list[Invoice]) -> None:
    with transaction.atomic():
        made = Invoice.objects.bulk_create(batch)
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=inv,
                description="Design work",
                quantity=1,
                unit_price=inv.subtotal,
                tax_rate=24,
                net=inv.subtotal,
                tax=inv.tax_total,
            )
            for inv in made
        )


def counted(action: Any) -> tuple[Any, int]:
    """The result of ``action`` and how many queries it ran."""
    reset_queries()
    connection.force_debug_cursor = True
    try:
        result = action()
        return result, len(connection.queries)
    finally:
        connection.force_debug_cursor = False


def median_ms(action: Any, n: int) -> tuple[float, float]:
    for _ in range(3):
        action()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return statistics.median(times), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]


def pages(workspace: Workspace, n: int) -> None:
    from django.conf import settings

    from rapport.billing.selectors import client_balance

    if not settings.DEBUG and not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, DEBUG off

    user = Membership.objects.filter(workspace=workspace).select_related("user").first().user
    http = HttpClient(HTTP_HOST="127.0.0.1")
    http.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    busiest = Client.objects.filter(workspace=workspace).order_by("id").first()
    count = Invoice.objects.filter(workspace=workspace).count()
    per_client = Invoice.objects.filter(client=busiest).count()
    print(f"{count:,} invoices in the workspace; the client measured has {per_client:,}")
    targets = [
        ("invoice list, page 1", reverse("billing:invoice_list")),
        ("invoice list, status=issued", reverse("billing:invoice_list") + "?status=issued"),
        ("invoice list, status=overdue", reverse("billing:invoice_list") + "?status=overdue"),
        ("invoice list, one client", reverse("billing:invoice_list") + f"?client={busiest.pk}"),
        ("invoice list, page 1000", reverse("billing:invoice_list") + "?page=1000"),
        ("client page", reverse("clients:detail", args=[busiest.pk])),
        # The balance section the client page loads after it (as a page of its own).
        ("client page's balance section", reverse("billing:client_balance", args=[busiest.pk])),
    ]
    print(f"{'page':34} {'status':>6} {'queries':>7} {'median ms':>9} {'p95 ms':>7}")
    for label, url in targets:
        status, queries = counted(lambda url=url: http.get(url).status_code)
        med, p95 = median_ms(lambda url=url: http.get(url), n)
        print(f"{label:34} {status:>6} {queries:>7} {med:>9.1f} {p95:>7.1f}")
    rows, queries = counted(lambda: client_balance(busiest))
    med, p95 = median_ms(lambda: client_balance(busiest), n)
    label = "client_balance() selector"
    print(f"{label:34} {'-':>6} {queries:>7} {med:>9.1f} {p95:>7.1f}")
    for row in rows:
        print(
            f"    {row.currency}: invoiced {row.invoiced}, paid {row.paid},"
            f" outstanding {row.outstanding}"
        )


def _pdf_worker(args: tuple[str, int]) -> float:
    """Render ``count`` documents of ``kind`` in this process; returns the seconds taken."""
    kind, count = args
    _setup.django_setup(production_like=True)
    from datetime import UTC, datetime

    from rapport.billing.documents import invoice_pdf_data
    from rapport.core.pdf import render_pdf

    workspace = Workspace.objects.get(name=WORKSPACE)
    if kind == "invoice":
        invoice = (
            Invoice.objects.filter(workspace=workspace, status="issued")
            .select_related("client__workspace", "contact", "project", "stage")
            .first()
        )
        data = invoice_pdf_data(invoice, methods=[])
        template = "invoice"
    else:
        data = contract_like_data()
        template = "contract"
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    for _ in range(count):
        render_pdf(template, data, created_at=moment)
    return time.perf_counter() - started


def contract_like_data() -> dict[str, Any]:
    """The data a two-page contract shows (the shape the contract template reads)."""
    return {
        "kind": "contract",
        "title": "Σύμβαση έργου / Contract de servicii",
        "reference": "Contract for Q-12",
        "language": "el",
        "labels": {k: k.replace("_", " ").title() for k in (
            "page", "created", "parties", "provider", "client", "signer", "amends", "change",
            "price_impact", "date_impact", "milestone", "project", "goal", "deliverables",
            "format", "out_of_scope", "price", "description", "quantity", "unit_price", "tax",
            "amount", "subtotal", "total", "schedule", "revisions", "terms", "signatures",
            "sign_by", "signing", "signed_by", "not_signed",
        )},
        "provider": {"name": "Alice Design"},
        "client": {"name": "Țesătoria Ștefănești SRL"},
        "signer": {"name": "Ștefan Țurcanu", "email": "stefan@example.ro"},
        "project": {"title": "Νέα ιστοσελίδα", "goal": "Double online orders"},
        "deliverables": [
            {"title": f"Deliverable {i}", "spec": "Five page layouts " * 5, "format": ".fig"}
            for i in range(5)
        ],
        "out_of_scope": ["Copywriting", "Photography", "Hosting"],
        "lines": [
            {"description": f"Line {i}", "quantity": "1", "unit_price": "1.000,00 €",
             "tax": "24%", "net": "1.000,00 €"}
            for i in range(6)
        ],
        "totals": {"subtotal": "6.000,00 €", "tax": "1.440,00 €", "total": "7.440,00 €"},
        "schedule": [{"label": "Deposit 30%", "amount": "2.232,00 €"}],
        "revisions": "Each deliverable includes 2 rounds of revision.",
        "terms": ["Ο πάροχος παραδίδει τα παραδοτέα στις συμφωνημένες ημερομηνίες. " * 6] * 12,
        "signing_note": "The client signs in the client portal with a one-time code.",
        "created": "1 Ιανουαρίου 2026",
        "sign_by": "8 Ιανουαρίου 2026",
        "signatures": [],
    }  # fmt: skip


def pdfs(docs: int) -> None:
    print(f"\nPDF documents per second ({docs} per process, Typst, embedded fonts)")
    print(f"{'document':10} {'processes':>9} {'docs/s':>8} {'ms/doc':>7}")
    for kind in ("invoice", "contract"):
        for workers in (1, 2):
            connection.close()  # the workers open their own
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
                list(pool.map(_pdf_worker, [(kind, 3)] * workers))  # warm-up: fonts, imports
                started = time.perf_counter()
                list(pool.map(_pdf_worker, [(kind, docs)] * workers))
                wall = time.perf_counter() - started
            rate = docs * workers / wall
            print(f"{kind:10} {workers:>9} {rate:>8.0f} {1000 / rate * workers:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", action="store_true", help="(re)write the 100,000 invoices")
    parser.add_argument("--no-pages", action="store_true", help="only the PDF figures")
    parser.add_argument("--n", type=int, default=30, help="timed requests per page")
    parser.add_argument("--docs", type=int, default=200, help="PDFs per process")
    args = parser.parse_args()
    print(_setup.database_label(), f"· {os.cpu_count()} CPUs · load {os.getloadavg()[0]:.1f}")
    if args.seed:
        started = time.perf_counter()
        workspace = seed()
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    else:
        _setup.require_migrated()
        workspace = Workspace.objects.filter(name=WORKSPACE).first()
        if workspace is None:
            sys.exit("No seeded data: run with --seed first.")
    if not args.no_pages:
        pages(workspace, args.n)
    pdfs(args.docs)


if __name__ == "__main__":
    main()
