"""The demo's relationship over time: the pulse, referrals and experts, a special day, a year
of answered requests, keeping in touch, a survey at the close, and the health scores (P23,
P30-P34, P37), called from the demo command."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from rapport.accounts.models import Membership, User
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
from rapport.clients.services import important_date_add
from rapport.commitments.models import Commitment
from rapport.conversations.models import Request
from rapport.core.clock import zone_or_utc
from rapport.projects.models import Project
from rapport.projects.services import (
    project_create,
    project_update,
)

DEMO_EMAIL = "demo@rapport.local"


def special_day(carol: Contact) -> None:
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


def past_year(acme: Client, carol: Contact) -> None:
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


def keep_in_touch(alice: User, beta: Client) -> None:
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


def pulse(website: Project, carol: Contact) -> None:
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


def referrals(
    membership: Membership, acme: Client, lead: Client, bogdan: Contact, carol: Contact
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


def health(membership: Membership) -> None:
    """Every client scored as it stood each week of the last month (P37, P34), so the
    client pages show a health card with a trend from the first visit."""
    now = timezone.now()
    for weeks_ago in (3, 2, 1, 0):
        workspace_health_recompute(
            workspace_id=membership.workspace.pk, now=now - timedelta(weeks=weeks_ago)
        )


def close(alice: User, beta: Client, bogdan: Contact) -> None:
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
        url="https://alice-design.example/portfolio/beta",
        portfolio_id=done.portfolio.pk,
    )
