"""Create the demo workspace on an empty database and print how to get in."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import Membership, User
from rapport.accounts.services import user_signup
from rapport.agreements.quotes.inputs import DeliverableInput, LineInput, QuoteInput, StageInput
from rapport.agreements.quotes.services import quote_create, quote_send
from rapport.billing.models import PaymentMethod, TimeEntry
from rapport.billing.payment_methods import payment_method_save
from rapport.billing.services.invoices import invoice_issue
from rapport.billing.services.time_entries import invoice_draft_hourly, time_entry_add
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.clients.services import client_create, contact_create, important_date_add
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.demo import relationship
from rapport.projects.models import Milestone, Project
from rapport.projects.project_templates import template_save_from_project
from rapport.projects.services import (
    deliverable_create,
    milestone_create,
    project_create,
)

DEMO_EMAIL = "demo@rapport.local"


class Command(BaseCommand):
    help = "Create demo data if the database has no user yet, then print the URLs and login."

    def handle(self, *args: Any, **options: Any) -> None:
        password_file = settings.BASE_DIR / "var" / "demo-password.txt"
        if not User.objects.exists():
            password = secrets.token_urlsafe(9)
            self._create(password)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password)
        user = User.objects.filter(email=DEMO_EMAIL).first()
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Rapport is starting."))
        self.stdout.write(f"  Staff UI:     {site}{reverse('accounts:login')}")
        if user is not None and password_file.exists():
            self.stdout.write(f"  Demo login:   {DEMO_EMAIL} / {password_file.read_text().strip()}")
            carol = Contact.objects.filter(email="carol@acme.example").first()
            if carol is not None:
                _link, token = portal_link_create(contact=carol, actor=None)
                self.stdout.write(
                    f"  Portal link:  {portal_link_url(token)}  (Carol, in Greek; works once)"
                )
        self.stdout.write("")

    @transaction.atomic
    def _create(self, password: str) -> None:
        today = timezone.localdate()
        membership = user_signup(
            email=DEMO_EMAIL,
            name="Alice Demo",
            password=password,
            workspace_name="Alice Design Studio",
            timezone_name="Europe/Athens",
        )
        alice = membership.user
        acme = client_create(
            workspace=membership.workspace,
            actor=alice,
            name="Acme Ltd",
            status=Client.Status.ACTIVE,
            language="el",
            timezone="Europe/Athens",
            currency="EUR",
            industry_tags=["retail", "e-commerce"],
            referral_source="Former client: Beta SA",
            temperament_notes="Decides fast; wants short written summaries, not calls.",
            glossary=[{"term": "pop-up", "meaning": "lightbox over the page, not a new window"}],
        )
        carol = contact_create(
            client=acme,
            actor=alice,
            name="Καρολίνα Γεωργίου",
            role="Marketing lead",
            email="carol@acme.example",
            language="el",
            preferred_channel=Contact.Channel.EMAIL,
        )
        important_date_add(contact=carol, kind="name_day", month=1, day=7, label="Name day")
        website = project_create(
            client=acme,
            actor=alice,
            title="New online shop",
            goal="Double online orders by the spring sales.",
            start_date=today - timedelta(days=20),
            due_date=today + timedelta(days=70),
            budget=Decimal("8400.00"),
            status=Project.Status.ACTIVE,
            out_of_scope="Product photography\nCopywriting",
        )
        # Estimates and an owner, so the early warnings weigh real capacity (P16): none of
        # these is at risk, and the demo shows no false alarm.
        steps = [
            ("Discovery and sitemap", -5, 100, None),
            ("Page designs", 4, 60, Decimal("16")),
            ("Front-end build", 30, 10, Decimal("60")),
            ("Launch", 68, 0, Decimal("12")),
        ]
        for title, days, progress, estimate in steps:
            milestone = milestone_create(
                project=website,
                actor=alice,
                title=title,
                due_date=today + timedelta(days=days),
                progress=progress,
                estimate_hours=estimate,
                owner=alice if estimate else None,
            )
            if title == "Page designs":
                deliverable_create(
                    milestone=milestone,
                    actor=alice,
                    title="Page layouts",
                    spec="5 page layouts: home, catalogue, product, cart, contact",
                    format=".fig and .pdf",
                )
        beta = client_create(
            workspace=membership.workspace,
            actor=alice,
            name="Beta SA",
            status=Client.Status.PAST,
            language="ro",
            timezone="Europe/Bucharest",
            currency="RON",
        )
        bogdan = contact_create(
            client=beta,
            actor=alice,
            name="Bogdan Ionescu",
            email="bogdan@beta.example",
            language="ro",
        )
        lead = client_create(
            workspace=membership.workspace,
            actor=alice,
            name="Cahaya Studio",
            status=Client.Status.LEAD,
            language="id",
            timezone="Asia/Jakarta",
            currency="IDR",
        )
        dewi = contact_create(
            client=lead,
            actor=alice,
            name="Dewi Lestari",
            email="dewi@cahaya.example",
            language="id",
        )
        assert Milestone.objects.filter(project=website).count() == len(steps)
        # The shop's plan, kept for the next one: "New project from a template" has a choice.
        template_save_from_project(project=website, actor=alice, name="Online shop in four steps")
        # A client waiting: what "To do today" puts first (P14).
        request_receive(
            client=acme,
            contact=carol,
            source=Request.Source.PORTAL,
            subject="Σελίδα με οδηγό μεγεθών;",
            body="Μπορούμε να προσθέσουμε μια σελίδα με οδηγό μεγεθών πριν από το λανσάρισμα;",
        )
        self._money(membership, website, lead, dewi)
        relationship.pulse(website, carol)
        relationship.referrals(membership, acme, lead, bogdan, carol)
        relationship.special_day(carol)
        relationship.past_year(acme, carol)
        relationship.keep_in_touch(alice, beta)
        relationship.close(alice, beta, bogdan)
        # Last: the health scores read everything the demo wrote above.
        relationship.health(membership)

    def _money(self, membership: Membership, website: Project, lead: Client, dewi: Contact) -> None:
        """Payment methods, time on the shop (one hour of it goodwill) billed on an issued
        hourly invoice, and a quote in rupiah sent to the Indonesian lead."""
        today = timezone.localdate()
        alice = membership.user
        payment_method_save(
            membership=membership,
            kind=PaymentMethod.Kind.BANK,
            label="Bank transfer",
            account_holder="Alice Design Studio",
            iban="GR1601101250000000012300695",
            bic="ETHNGRAA",
        )
        payment_method_save(
            membership=membership, kind=PaymentMethod.Kind.PAYPAL, email="alice@rapport.local"
        )
        for days, hours, text, billing in [
            (9, "3", "Extra product page variants", TimeEntry.Billing.BILLABLE),
            (6, "2.5", "Checkout copy corrections", TimeEntry.Billing.BILLABLE),
            (3, "1", "Quick fix of the newsletter form", TimeEntry.Billing.GOODWILL),
        ]:
            time_entry_add(
                project=website,
                actor=alice,
                worked_on=today - timedelta(days=days),
                hours=hours,
                description=text,
                billing=billing,
                rate="60",
            )
        invoice_issue(invoice=invoice_draft_hourly(project=website, actor=alice), actor=alice)

        brand = project_create(
            client=lead,
            actor=alice,
            title="Brand refresh",
            goal="A brand the studio's new clients recognise at a glance.",
            start_date=today + timedelta(days=14),
            due_date=today + timedelta(days=60),
            budget=Decimal("45000000"),
            status=Project.Status.PROPOSED,
            out_of_scope="Printing\nWebsite changes",
        )
        logo = milestone_create(
            project=brand,
            actor=alice,
            title="Logo and colours",
            due_date=today + timedelta(days=35),
        )
        quote = quote_create(
            project=brand,
            actor=alice,
            data=QuoteInput(
                contact=dewi,
                title="Brand refresh",
                currency="IDR",
                language="id",
                valid_until=today + timedelta(days=21),
                summary=brand.goal,
                out_of_scope=brand.out_of_scope,
                lines=[
                    LineInput(
                        description="Logo and colour palette", unit_price="25000000", tax_rate="11"
                    ),
                    LineInput(description="Brand guidelines", unit_price="12000000", tax_rate="11"),
                ],
                deliverables=[
                    DeliverableInput(
                        title="Logo", spec="Logo in three variants", format=".svg, .png and .pdf"
                    ),
                    DeliverableInput(title="Guidelines", spec="12-page brand book", format=".pdf"),
                ],
                stages=[
                    StageInput(kind="deposit", percent="40"),
                    StageInput(kind="milestone", percent="30", milestone_id=logo.pk),
                    StageInput(kind="final", percent="30"),
                ],
                revision_free_rounds=2,
                revision_hourly_rate="500000",
            ),
        )
        quote_send(quote=quote, actor=alice)
