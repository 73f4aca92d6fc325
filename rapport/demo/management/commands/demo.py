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
from rapport.care.experts.services import expert_create, recommendation_record
from rapport.care.health.services import workspace_health_recompute
from rapport.care.keepintouch.services import win_back_draft
from rapport.care.models import PulseAnswer
from rapport.care.namedays.scan import scan_important_dates
from rapport.care.pulse.services import pulse_answer
from rapport.care.referrals.services import referral_record
from rapport.care.surveys.consent import promotion_log, survey_respond
from rapport.care.surveys.services import survey_send
from rapport.clients.models import Client, Contact, ImportantDate
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.clients.services import client_create, contact_create, important_date_add
from rapport.commitments.models import Commitment
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.core.clock import zone_or_utc
from rapport.projects.models import Milestone, Project
from rapport.projects.project_templates import template_save_from_project
from rapport.projects.services import (
    deliverable_create,
    milestone_create,
    project_create,
    project_update,
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
        self._pulse(website, carol)
        self._referrals(membership, acme, lead, bogdan, carol)
        self._special_day(carol)
        self._past_year(acme, carol)
        self._keep_in_touch(alice, beta)
        self._close(alice, beta, bogdan)
        # Last: the health scores read everything the demo wrote above.
        self._health(membership)

    def _special_day(self, carol: Contact) -> None:
        """Acme's tenth anniversary today, so the alert centre shows a greeting ready to
        send in Greek (P31); Bogdan's name day comes from the Romanian calendar by itself."""
        local = timezone.now().astimezone(zone_or_utc(carol.effective_timezone)).date()
        day = ImportantDate.objects.get(
            pk=important_date_add(
                contact=carol,
                kind="company_anniversary",
                month=local.month,
                day=min(local.day, 28) if local.month == 2 else local.day,
                year=local.year - 10,
            ).pk
        )
        if day.next_at is not None:
            scan_important_dates(max(timezone.now(), day.next_at))

    def _past_year(self, acme: Client, carol: Contact) -> None:
        """A year of Acme's answered requests and ended promises, so that Reports has months
        to show (P14, P15): written as those months left them, answered and ended."""
        now = timezone.now()
        for back in range(1, 12):
            for n in range(3):
                at = now - timedelta(days=30 * back + 7 * n, hours=n)
                wait = timedelta(hours=1 + (back * 2 + n) % 6, minutes=15 * n)
                Request.objects.create(
                    workspace=acme.workspace,
                    client=acme,
                    contact=carol,
                    source=Request.Source.EMAIL,
                    subject=f"Ερώτηση {back}.{n + 1}",
                    body="Μια ερώτηση για την πρόοδο.",
                    received_at=at,
                    eta=at + timedelta(hours=4),
                    alert_at=at + timedelta(hours=3),
                    acknowledged_at=at + wait,
                    first_response_at=at + wait,
                    resolved_at=at + wait,
                    state=Request.State.DONE,
                    answer="Απαντήθηκε.",
                )
                ended = Commitment.State.BROKEN if (back + n) % 7 == 0 else Commitment.State.KEPT
                Commitment.objects.create(
                    workspace=acme.workspace,
                    client=acme,
                    kind=Commitment.Kind.PROMISE,
                    wording=f"Αποστολή των σχεδίων {back}.{n + 1}",
                    due_at=at + timedelta(days=2),
                    state=ended,
                    resolved_at=at + timedelta(days=2),
                )

    def _keep_in_touch(self, alice: User, beta: Client) -> None:
        """Beta's old site, delivered (its check-ins scheduled, P30), and a message to win the
        past client back, drafted in Romanian and waiting to be sent (P34)."""
        site = project_create(
            client=beta,
            actor=alice,
            title="Beta corporate site",
            budget=Decimal("15000"),
            currency="RON",
            status=Project.Status.ACTIVE,
        )
        project_update(project=site, actor=alice, status=Project.Status.DELIVERED)
        win_back_draft(client=beta, actor=alice)

    def _pulse(self, website: Project, carol: Contact) -> None:
        """Six weeks of Carol's answers to "How are we doing?" from her portal (P23), so the
        client and project pages show a trend: rising, and no alert."""
        now = timezone.now()
        for weeks_ago, score in zip(range(6, 0, -1), [3, 4, 4, 5, 4, 5], strict=True):
            pulse_answer(
                contact=carol,
                score=score,
                source=PulseAnswer.Source.PORTAL,
                project=website,
                comment="Η νέα αρχική σελίδα μάς αρέσει πολύ." if weeks_ago == 1 else "",
                now=now - timedelta(weeks=weeks_ago),
            )

    def _referrals(
        self, membership: Membership, acme: Client, lead: Client, bogdan: Contact, carol: Contact
    ) -> None:
        """Beta's Bogdan brought Acme, Acme's Carol brought the lead (a chain of three, P34);
        two trusted colleagues for what the shop leaves out of scope, one recommended (P32)."""
        alice = membership.user
        today = timezone.localdate()
        referral_record(
            client=acme,
            actor=alice,
            kind="contact",
            referrer_contact=bogdan,
            referred_on=today - timedelta(days=60),
        )
        referral_record(client=lead, actor=alice, kind="contact", referrer_contact=carol)
        photos = expert_create(
            workspace=membership.workspace,
            name="Eleni Fotiou",
            skills="product photography, retouching",
            email="eleni@fotiou.example",
            website="https://fotiou.example",
            language="el",
            notes="Studio in Athens; packshots on white in two days.",
        )
        expert_create(
            workspace=membership.workspace,
            name="Radu Popescu",
            skills="copywriting, SEO",
            email="radu@popescu.example",
            language="ro",
        )
        recommendation_record(
            client=acme,
            expert=photos,
            contact=carol,
            reason="Product photos for the new shop: out of our scope, and Eleni is quick.",
            actor=alice,
            recommended_on=today - timedelta(days=10),
        )

    def _health(self, membership: Membership) -> None:
        """Every client scored as it stood each week of the last month (P37, P34), so the
        client pages show a health card with a trend from the first visit."""
        now = timezone.now()
        for weeks_ago in (3, 2, 1, 0):
            workspace_health_recompute(
                workspace_id=membership.workspace.pk, now=now - timedelta(weeks=weeks_ago)
            )

    def _close(self, alice: User, beta: Client, bogdan: Contact) -> None:
        """Beta's brand refresh, delivered: thanked, surveyed, answered by Bogdan with a
        testimonial and the portfolio permission, and shown once on the studio's site (P33,
        P34), so the client card, the survey page and the results have something to show."""
        refresh = project_create(
            client=beta, actor=alice, title="Brand refresh", status=Project.Status.ACTIVE
        )
        project_update(project=refresh, actor=alice, status=Project.Status.DELIVERED)
        survey = survey_send(project=refresh, actor=alice)
        done = survey_respond(
            survey=survey,
            contact=bogdan,
            csat=5,
            nps=9,
            comment="Comunicare clară și totul la timp.",
            source="email",
            testimonial="Au ascultat ce ne trebuia și au livrat înainte de termen.",
            publish=True,
            show_company=True,
            portfolio=True,
            conditions="Fără prețuri",
        )
        assert done.portfolio is not None
        promotion_log(
            client=beta,
            actor=alice,
            channel="website",
            shown_on=timezone.localdate(),
            url="https://alice-design.example/work/beta",
            portfolio_id=done.portfolio.pk,
        )

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
