"""Agreements and money, end to end (issue 4): a Romanian lead is screened and taken on, fills
in a discovery brief in the portal, accepts a quote in RON, signs the contract with a one-time
code read from the SMTP server, the provider countersigns, the deposit invoice arrives and is
paid, the kickoff message arrives, and a change request signed as an amendment moves the
milestone dates.

The provider and the contact each have their own browser context. The tick and the delivery
worker run in the test process against the live server's database; the emails travel over
SMTP to the real (aiosmtpd) server of ``inbox``. What the contact reads is checked in Romanian:
each expected sentence is the Romanian translation of the msgid the template uses, and must
differ from that msgid, so a missing translation fails the journey.
"""

from __future__ import annotations

import html
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.accounts.services import workspace_update
from rapport.agreements.models import Document, PaymentStage, Quote
from rapport.billing.models import Invoice, PaymentMethod
from rapport.billing.payment_methods import payment_method_save
from rapport.clients.briefs.services import brief_question_add, brief_template_create
from rapport.clients.models import (
    Brief,
    BriefQuestion,
    BriefTemplate,
    Client,
    Contact,
    Screening,
    ScreeningQuestion,
)
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.core.periodic import tick_run
from rapport.core.templatetags.rapport import money
from rapport.e2e.conftest import (
    Inbox,
    NewContext,
    ReceivedMail,
    Screenshot,
    log_in,
    non_portal_links,
    sections_loaded,
    staff_links,
)
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert
from rapport.projects.models import ChangeRequest, KickoffItem, Milestone, Project
from rapport.projects.services import deliverable_create, milestone_create, project_create

pytestmark = pytest.mark.browser

TZ = "Europe/Bucharest"
CURRENCY = "RON"
CLIENT_NAME = "Cofetăria Popescu"
CONTACT_NAME = "Ioana Rădulescu"
CONTACT_EMAIL = "ioana@cofetaria.example"
PROJECT_TITLE = "Magazin online de prăjituri"
PROJECT_GOAL = "Comenzi online pentru torturi, cu livrare în Cluj"
MILESTONES = ("Machete pagini", "Magazin online")
BRIEF_TITLE = "Întrebări înainte de start"
BRIEF_GOAL = "Vrem să primim comenzi de torturi online, fără telefoane."
BRIEF_BUDGET = "10.000 – 15.000 lei"
BRIEF_AUDIENCE = "Familii din Cluj care comandă torturi pentru aniversări."
CHANGE_TITLE = "Plată cu cardul la livrare"
CHANGE_TEXT = "Adăugăm plata cu cardul la livrare în magazinul online."
CHANGE_PRICE = Decimal("1200")
CHANGE_DAYS = 5
STAFF_LANGUAGE = "en"


# --- What the contact reads -----------------------------------------------------------------


def ro(msgid: str, **values: object) -> str:
    """The Romanian translation of ``msgid`` (as a template's translate/blocktranslate renders
    it), which must exist: a sentence still in English fails here."""
    with translation.override("ro"):
        text = gettext(msgid)
    assert text != msgid, f"no Romanian translation of {msgid!r}"
    return text % values if values else text


def ro_plural(singular: str, plural: str, n: int, **values: object) -> str:
    with translation.override("ro"):
        text = ngettext(singular, plural, n)
    assert text not in (singular, plural), f"no Romanian translation of {singular!r}"
    return text % {"n": n, **values}


def ro_pattern(msgid: str, name: str, regex: str) -> re.Pattern[str]:
    """The Romanian sentence with its ``%(name)s`` placeholder matching ``regex``."""
    parts = ro(msgid).split(f"%({name})s")
    return re.compile(regex.join(re.escape(part) for part in parts))


def ro_date(day: date) -> str:
    with translation.override("ro"):
        return str(date_format(day, "DATE_FORMAT"))


def ro_money(amount: Decimal) -> str:
    with translation.override("ro"):
        return money(amount, CURRENCY)


def staff_money(amount: Decimal) -> str:
    with translation.override(STAFF_LANGUAGE):
        return money(amount, CURRENCY)


def flat(text: str) -> str:
    return " ".join(text.split())


def bodies(received: ReceivedMail) -> tuple[str, str]:
    """The text part and the readable text of the HTML part, whitespace collapsed."""
    readable = html.unescape(re.sub(r"<[^>]+>", " ", received.html))
    return flat(received.text), flat(readable)


def assert_says(received: ReceivedMail, *sentences: str) -> None:
    for body in bodies(received):
        for sentence in sentences:
            assert flat(sentence) in body, f"{sentence!r} not in {received.subject!r}:\n{body}"


def portal_link(received: ReceivedMail, site_url: str, next_path: str) -> str:
    """The one magic link of the email; it opens the portal on ``next_path``."""
    pattern = re.escape(site_url) + r"/p/o/[A-Za-z0-9_\-]+/(?:\?next=[^\s\"<>]*)?"
    found: set[str] = set(re.findall(pattern, received.text))
    assert len(found) == 1, f"expected one portal link in:\n{received.text}"
    url = found.pop()
    assert url.endswith(f"?next={next_path}"), url
    assert f'href="{url}"' in received.html
    return url


def emailed_code(received: ReceivedMail) -> str:
    codes = re.findall(r"^\s*(\d{6})\s*$", received.text, re.MULTILINE)
    assert len(codes) == 1, received.text
    assert f"<strong>{codes[0]}</strong>" in received.html
    return str(codes[0])


def working_days_later(day: date, days: int) -> date:
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# --- The worker -----------------------------------------------------------------------------


def deliver(inbox: Inbox, count: int) -> list[ReceivedMail]:
    """One tick and one delivery batch, as the scheduler and the worker would; return the
    ``count`` emails that reached the contact (the provider's digest may go out too)."""
    before = len(inbox.messages)
    results = tick_run()
    assert -1 not in results.values(), f"a periodic job failed: {results}"
    sent = deliver_due(worker="e2e")
    assert sent >= count
    arrived = inbox.wait_for(before + sent)[before:]
    to_contact = [m for m in arrived if m.rcpt_tos == [CONTACT_EMAIL]]
    assert len(to_contact) == count, [(m.rcpt_tos, m.subject) for m in arrived]
    assert mail.outbox == [], "the email went to the locmem backend, not over SMTP"
    for received in to_contact:
        assert received.message["Content-Language"] == "ro"
        assert received.text.startswith(ro("Hello %(name)s,", name=CONTACT_NAME))
        assert_says(received, ro("Thank you,"))
    return to_contact


def one_email(inbox: Inbox, subject: str) -> ReceivedMail:
    """The one email of this delivery; its subject arrives letter for letter (a folded long
    subject once lost or doubled a space)."""
    [received] = deliver(inbox, 1)
    assert received.subject == subject
    return received


# --- Pages ----------------------------------------------------------------------------------


def success(page: Page) -> Locator:
    return page.locator("ul.messages li.success")


def milestone_card(page: Page, title: str) -> Locator:
    return page.locator("article.milestone").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def open_portal(portal: Page, url: str, live_server: LiveServer, next_path: str) -> None:
    """Open a magic link from an email: the confirm page, then the page it is about."""
    portal.goto(url)
    expect(portal.locator("html")).to_have_attribute("lang", "ro")
    expect(portal).to_have_title(re.compile("^" + re.escape(ro("Open your project page"))))
    expect(portal.locator("h1")).to_have_text(ro("Hello %(name)s", name=CONTACT_NAME))
    portal.get_by_role("button", name=ro("Open my project page")).click()
    expect(portal).to_have_url(f"{live_server.url}{next_path}")
    expect(portal.locator("html")).to_have_attribute("lang", "ro")


def portal_only(portal: Page) -> None:
    assert staff_links(portal) == []
    assert non_portal_links(portal) == []


def sign_in_portal(portal: Page, inbox: Inbox, document: Document, live_server: LiveServer) -> None:
    """Ask for a code, read it from the SMTP server, and sign with it."""
    sign = portal.get_by_role("region", name=ro("Sign"), exact=True)
    sign.get_by_role("button", name=ro("Send me a code")).click()
    expect(portal).to_have_url(f"{live_server.url}/p/sign/{document.pk}/?code=sent#sign")
    sign = portal.get_by_role("region", name=ro("Sign"), exact=True)
    expect(sign).to_contain_text(
        ro("We sent a code to %(email)s. It is valid for 15 minutes.", email=CONTACT_EMAIL)
    )
    received = one_email(inbox, ro("Your code to sign “%(title)s”", title=document.title))
    assert_says(
        received,
        ro("here is the code to sign “%(title)s”:", title=document.title),
        ro(
            "It is valid for %(minutes)s minutes and works once. If you did not ask for it, "
            "ignore this message: nothing is signed without it.",
            minutes=15,
        ),
    )
    code = emailed_code(received)
    consent = ro(
        "I have read “%(title)s” and agree to it. Typing my name below is my signature.",
        title=document.title,
    )
    sign.get_by_label(consent).check()
    sign.get_by_label(ro("Type your full name")).fill(CONTACT_NAME)
    sign.get_by_label(ro("The 6-digit code we emailed you")).fill(code)
    sign.get_by_role("button", name=ro("Sign"), exact=True).click()
    expect(portal).to_have_url(f"{live_server.url}/p/sign/{document.pk}/?signed=1")
    expect(portal.locator("main .messages .success")).to_have_text(
        ro(
            "Thank you: you have signed. We countersign within two working days and send you "
            "the document signed by both sides."
        )
    )
    expect(portal.get_by_role("region", name=ro("Sign"), exact=True)).to_have_count(0)
    # Signed, for the client: the countersignature is the provider's to give.
    expect(portal.locator("h1 .badge")).to_have_text(ro("Signed"))


# --- The client ------------------------------------------------------------------------------


@dataclass
class Setting:
    client: Client
    contact: Contact
    project: Project
    milestones: list[Milestone]
    questionnaire: BriefTemplate
    bank: PaymentMethod
    today: date


@pytest.fixture
def lead(alice: Persona) -> Setting:
    """Alice's Romanian lead, its contact (who reads messages at any hour), the proposed
    project with two milestones due on Mondays, a Romanian questionnaire and a bank account."""
    workspace_update(
        membership=alice.membership,
        name=alice.workspace.name,
        default_currency="EUR",
        default_language=STAFF_LANGUAGE,
        timezone_name=TZ,
    )
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(TZ))
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name=CLIENT_NAME,
        status=Client.Status.LEAD,
        language="ro",
        timezone=TZ,
        currency=CURRENCY,
    )
    contact = contact_create(
        client=client,
        actor=alice.user,
        name=CONTACT_NAME,
        email=CONTACT_EMAIL,
        language="ro",
        contact_hours_start=time(0),
        contact_hours_end=time(23, 59, 59, 999999),
    )
    first_due = today + timedelta(days=14 + (7 - today.weekday()) % 7)  # a Monday
    second_due = first_due + timedelta(days=21)
    project = project_create(
        client=client,
        actor=alice.user,
        title=PROJECT_TITLE,
        goal=PROJECT_GOAL,
        start_date=today,
        due_date=second_due + timedelta(days=14),
        status=Project.Status.PROPOSED,
    )
    milestones = []
    for title, due, deliverable in zip(
        MILESTONES,
        (first_due, second_due),
        (
            ("Machete", "Machete pentru 4 pagini: acasă, catalog, produs, coș", ".fig și .pdf"),
            ("Magazin", "Magazin online cu plată și livrare", "site publicat"),
        ),
        strict=True,
    ):
        milestone = milestone_create(project=project, actor=alice.user, title=title, due_date=due)
        deliverable_create(
            milestone=milestone,
            actor=alice.user,
            title=deliverable[0],
            spec=deliverable[1],
            format=deliverable[2],
        )
        milestones.append(milestone)
    questionnaire = brief_template_create(
        membership=alice.membership, title=BRIEF_TITLE, language="ro"
    )
    brief_question_add(
        membership=alice.membership,
        template=questionnaire,
        kind=BriefQuestion.Kind.TEXT,
        text="Ce vreți să obțineți?",
        required=True,
    )
    brief_question_add(
        membership=alice.membership,
        template=questionnaire,
        kind=BriefQuestion.Kind.CHOICE,
        text="Ce buget aveți în vedere?",
        choices=["Sub 10.000 lei", BRIEF_BUDGET, "Peste 15.000 lei"],
    )
    brief_question_add(
        membership=alice.membership,
        template=questionnaire,
        kind=BriefQuestion.Kind.TEXT,
        text="Pentru cine este?",
    )
    bank = payment_method_save(
        membership=alice.membership,
        kind=PaymentMethod.Kind.BANK,
        label="Transfer bancar",
        account_holder="Alice Design SRL",
        iban="RO49AAAA1B31007593840000",
    )
    return Setting(client, contact, project, milestones, questionnaire, bank, today)


# --- The journey -----------------------------------------------------------------------------


def test_a_romanian_lead_is_screened_briefed_quoted_signed_invoiced_kicked_off_and_changed(
    new_context: NewContext,
    inbox: Inbox,
    screenshot: Screenshot,
    live_server: LiveServer,
    alice: Persona,
    lead: Setting,
) -> None:
    client, project = lead.client, lead.project
    first, second = lead.milestones
    staff = new_context().new_page()
    staff.on("dialog", lambda dialog: dialog.accept())  # the "Send this quote?" confirmations
    portal = new_context(locale="ro-RO", timezone_id=TZ).new_page()
    log_in(staff, alice.user.email, PASSWORD)

    # --- 1. The lead is screened and taken on -------------------------------------------------
    staff.goto(f"/clients/{client.pk}/")
    expect(staff.locator("h1 .badge")).to_have_text("Lead")
    staff.get_by_role("link", name="Screen this lead").click()
    expect(staff.locator("h1")).to_contain_text(f"Screening: {CLIENT_NAME}")
    questions = list(ScreeningQuestion.objects.filter(workspace=alice.workspace))
    assert len(questions) >= 5
    good = {"yes": "No", "no": "Yes", "": "Not sure"}
    for question in questions:
        answers = staff.get_by_role("group", name=question.text, exact=True)
        answers.get_by_label(good[question.red_flag], exact=True).check()
    staff.get_by_label("Their experience with other providers").fill(
        "Site vechi abandonat de agenția anterioară."
    )
    staff.get_by_label("What is at stake for them").fill("Sezonul de Crăciun.")
    staff.get_by_role("button", name="Save screening").click()
    expect(success(staff)).to_have_text("Screening saved.")
    expect(staff.locator("tr.red-flag")).to_have_count(0)
    decision = staff.locator(f"form[action$='/clients/{client.pk}/screening/decide/']")
    decision.get_by_label("Take it", exact=True).check()
    screenshot(staff, "agreements-01-screening")
    decision.get_by_role("button", name="Record the decision").click()
    expect(staff).to_have_url(f"{live_server.url}/clients/{client.pk}/")
    expect(success(staff)).to_have_text("Decision recorded.")
    expect(staff.locator("h1 .badge")).to_have_text("Active")
    screening = Screening.objects.get(client=client)
    assert screening.decision == Screening.Decision.TAKE
    assert screening.answers.count() == len(questions)
    client.refresh_from_db()
    assert client.status == Client.Status.ACTIVE

    # --- 2. A discovery brief, filled in the portal in Romanian --------------------------------
    briefs = staff.get_by_role("region", name="Briefs", exact=True)
    briefs.get_by_role("link", name="Send a brief").click()
    form = staff.locator("main form.form")
    form.get_by_label("Send to").select_option(label=CONTACT_NAME)
    form.get_by_label("Questionnaire").select_option(label=BRIEF_TITLE)
    form.get_by_role("button", name="Send brief").click()
    expect(success(staff)).to_have_text("Brief sent.")
    brief = Brief.objects.get(client=client)
    assert brief.template_id == lead.questionnaire.pk
    row = (
        staff.get_by_role("region", name="Briefs", exact=True)
        .locator("li")
        .filter(has_text=BRIEF_TITLE)
    )
    expect(row.locator(".badge")).to_have_text("Sent")

    received = one_email(inbox, ro("A few questions before we start: %(title)s", title=BRIEF_TITLE))
    assert_says(
        received,
        ro_plural(
            "before we start, we would like to understand what you want to achieve. We have "
            "prepared %(n)s question for you.",
            "before we start, we would like to understand what you want to achieve. We have "
            "prepared %(n)s questions for you.",
            3,
        ),
        ro(
            "Your answers are saved as you go, so you can stop and come back later. Open the "
            "questions here:"
        ),
    )
    url = portal_link(received, live_server.url, f"/p/briefs/{brief.pk}/")
    open_portal(portal, url, live_server, f"/p/briefs/{brief.pk}/")
    expect(portal.locator("h1")).to_have_text(BRIEF_TITLE)
    expect(portal.locator("main")).to_contain_text(
        ro(
            "Your answers help %(name)s understand what you want to achieve. They are saved as "
            "you go: you can stop and come back later. When you are done, send them.",
            name=alice.workspace.name,
        )
    )
    goal = portal.get_by_label(re.compile("^" + re.escape("Ce vreți să obțineți?")))
    goal.fill(BRIEF_GOAL)
    goal.blur()  # the answer is saved as the contact goes (htmx, on change)
    expect(portal.locator("#q0-status")).to_have_text(
        ro_pattern("Saved at %(time)s", "time", r"\d{1,2}:\d{2}")
    )
    portal.get_by_label(BRIEF_BUDGET).check()
    expect(portal.locator("#q1-status")).to_have_text(
        ro_pattern("Saved at %(time)s", "time", r"\d{1,2}:\d{2}")
    )
    brief.refresh_from_db()
    assert brief.status == Brief.Status.IN_PROGRESS
    assert dict(brief.answers.values_list("question_index", "text")) == {
        0: BRIEF_GOAL,
        1: BRIEF_BUDGET,
    }
    portal.get_by_label("Pentru cine este?").fill(BRIEF_AUDIENCE)
    screenshot(portal, "agreements-02-portal-brief")
    portal.get_by_role("button", name=ro("Send to %(name)s", name=alice.workspace.name)).click()
    expect(portal).to_have_url(f"{live_server.url}/p/briefs/{brief.pk}/?sent=1")
    expect(portal.locator("main .messages .success")).to_have_text(
        ro("Thank you: %(name)s has your answers.", name=alice.workspace.name)
    )
    expect(portal.locator("form textarea")).to_have_count(0)
    portal_only(portal)
    brief.refresh_from_db()
    assert brief.status == Brief.Status.SUBMITTED
    assert Alert.objects.filter(kind=Alert.Kind.BRIEF_SUBMITTED, subject_id=brief.pk).exists()

    staff.reload()
    row = (
        staff.get_by_role("region", name="Briefs", exact=True)
        .locator("li")
        .filter(has_text=BRIEF_TITLE)
    )
    expect(row.locator(".badge")).to_have_text("Submitted")
    row.get_by_role("link", name=BRIEF_TITLE).click()
    expect(staff.locator("h1")).to_contain_text(BRIEF_TITLE)
    answers = staff.get_by_role("region", name="Answers", exact=True)
    for text in (BRIEF_GOAL, BRIEF_BUDGET, BRIEF_AUDIENCE):
        expect(answers).to_contain_text(text)
    screenshot(staff, "agreements-03-brief-answers")

    # --- 3. A quote in RON, prepared in the editor and sent from the quote page ---------------
    staff.goto(f"/projects/{project.pk}/")
    staff.get_by_role("region", name="Quotes", exact=True).get_by_role(
        "link", name="Prepare a quote"
    ).click()
    expect(staff.locator("h1")).to_have_text("Prepare a quote")
    terms = staff.get_by_role("region", name="The quote", exact=True)
    expect(terms.get_by_label("Currency")).to_have_value(CURRENCY)
    expect(terms.get_by_label("Language of the quote")).to_have_value("ro")
    terms.get_by_label("Out of scope").fill("Fotografii de produs\nTexte în limba engleză")
    terms.get_by_label("Hourly rate after the free rounds").fill("200")
    # The builder starts from one line and two payments; rows are added in place (htmx).
    lines = staff.get_by_role("group", name="A line of the price", exact=True)
    expect(lines).to_have_count(1)
    line = lines.nth(0)
    line.get_by_label("Description").fill("Design și implementare magazin online")
    line.get_by_label("Unit price").fill("8000")
    line.get_by_label("Tax %").fill("19")
    staff.get_by_role("button", name="Add a line").click()
    expect(lines).to_have_count(2)
    line = lines.nth(1)
    line.get_by_label("Kind").select_option("hourly")
    line.get_by_label("Description").fill("Texte pentru pagini")
    line.get_by_label("Quantity").fill("10")
    line.get_by_label("Unit", exact=True).fill("oră")
    line.get_by_label("Unit price").fill("150")
    line.get_by_label("Tax %").fill("19")
    payments = staff.get_by_role("group", name="A payment", exact=True)
    expect(payments).to_have_count(2)
    staff.get_by_role("button", name="Add a payment").click()
    expect(payments).to_have_count(3)
    for index, kind, percent, paid_on in (
        (0, "deposit", "30", None),
        (1, "milestone", "40", first.title),
        (2, "final", "30", None),
    ):
        stage = payments.nth(index)
        stage.get_by_label("Payment", exact=True).select_option(kind)
        stage.get_by_label("Share of the total (%)").fill(percent)
        if paid_on:
            stage.get_by_label("Milestone").select_option(label=paid_on)
    # The totals follow as the provider types, before anything is saved.
    expect(staff.locator("#quote-totals")).to_contain_text(staff_money(Decimal("11305.00")))
    staff.get_by_role("button", name="Save draft").click()

    quote = Quote.objects.get(project=project)
    total = Decimal("11305.00")  # 8000 + 19 % and 10 x 150 + 19 %
    deposit = Decimal("3391.50")  # 30 %
    assert (quote.currency, quote.language, quote.total) == (CURRENCY, "ro", total)
    assert [s.amount for s in quote.stages.order_by("position")] == [
        deposit,
        Decimal("4522.00"),
        deposit,
    ]
    expect(staff).to_have_url(f"{live_server.url}/agreements/quotes/{quote.pk}/")
    expect(success(staff)).to_have_text(f"Quote {quote} saved as a draft.")
    expect(staff.locator("h1 .badge")).to_have_text("Draft")
    expect(staff.get_by_role("region", name="Price", exact=True)).to_contain_text(
        staff_money(total)
    )
    expect(staff.get_by_role("region", name="Can you take it on?", exact=True)).to_be_visible()
    screenshot(staff, "agreements-04-quote-draft")
    staff.locator(".page-head").get_by_role("button", name="Send", exact=True).click()
    expect(success(staff)).to_have_text(f"Quote sent to {CONTACT_NAME}.")
    expect(staff.locator("h1 .badge")).to_have_text("Sent")

    received = one_email(
        inbox,
        ro("Our quote for %(title)s (%(ref)s)", title=quote.title, ref=quote.reference),
    )
    assert_says(
        received,
        ro(
            "Total: %(total)s. We hold this price until %(date)s.",
            total=ro_money(total),
            date=ro_date(quote.valid_until),
        ),
    )
    url = portal_link(received, live_server.url, f"/p/quotes/{quote.pk}/")
    open_portal(portal, url, live_server, f"/p/quotes/{quote.pk}/")
    expect(portal.locator("h1")).to_contain_text(quote.title)
    expect(portal.get_by_role("region", name=ro("Price"), exact=True)).to_contain_text(
        ro_money(total)
    )
    pay = portal.get_by_role("region", name=ro("When you pay"), exact=True)
    expect(pay.locator("li")).to_have_count(3)
    expect(pay.locator("li").first).to_contain_text(ro("Deposit"))
    expect(pay.locator("li").first).to_contain_text(ro_money(deposit))
    expect(pay.locator("li").nth(1)).to_contain_text(
        ro("when “%(title)s” is done", title=first.title)
    )
    receive = portal.get_by_role("region", name=ro("What you receive"), exact=True)
    expect(receive).to_contain_text(ro("Not included"))
    expect(receive).to_contain_text("Fotografii de produs")
    portal_only(portal)
    decide = portal.get_by_role("region", name=ro("Your decision"), exact=True)
    decide.get_by_label(
        ro("I have read this quote and I accept it: its work, price and payment schedule.")
    ).check()
    screenshot(portal, "agreements-05-portal-quote")
    decide.get_by_role("button", name=ro("Accept the quote")).click()
    expect(portal).to_have_url(f"{live_server.url}/p/quotes/{quote.pk}/")
    expect(portal.locator("main")).to_contain_text(
        ro(
            "You accepted this quote on %(date)s. Thank you! The contract follows for you to sign.",
            date=ro_date(lead.today),
        )
    )
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED

    # --- 4. The contract, signed with the emailed code, countersigned -------------------------
    contract = Document.objects.get(quote=quote, kind=Document.Kind.CONTRACT)
    assert (contract.language, contract.signer_id) == ("ro", lead.contact.pk)
    assert contract.title == ro("Agreement for {project}").format(project=PROJECT_TITLE)
    received = one_email(inbox, ro("Your contract to sign: %(title)s", title=contract.title))
    assert_says(
        received,
        ro(
            "thank you for accepting our offer. The contract “%(title)s” is ready for you to "
            "read and sign.",
            title=contract.title,
        ),
    )
    url = portal_link(received, live_server.url, f"/p/sign/{contract.pk}/")
    open_portal(portal, url, live_server, f"/p/sign/{contract.pk}/")
    expect(portal.locator("h1")).to_contain_text(contract.title)
    expect(portal.locator("h1 .badge")).to_have_text(ro("Waiting for the client's signature"))
    document = portal.locator("main section.card[lang=ro]")
    expect(document).to_contain_text(PROJECT_TITLE)
    expect(document).to_contain_text(contract.data["totals"]["total"])
    expect(portal.get_by_role("link", name=ro("Download the PDF"))).to_be_visible()
    portal_only(portal)
    screenshot(portal, "agreements-06-portal-contract")
    sign_in_portal(portal, inbox, contract, live_server)
    contract.refresh_from_db()
    assert contract.status == Document.Status.AWAITING_PROVIDER
    [signature] = contract.signatures.all()
    assert (signature.typed_name, signature.pdf_sha256) == (CONTACT_NAME, contract.sha256)
    assert signature.code is not None and signature.code.used_at is not None
    screenshot(portal, "agreements-07-portal-signed")

    staff.goto(f"/projects/{project.pk}/")
    contracts = staff.get_by_role("region", name="Contracts and amendments", exact=True)
    contracts.get_by_role("link", name=contract.title).click()
    expect(staff).to_have_url(f"{live_server.url}/agreements/contracts/{contract.pk}/")
    expect(staff.locator("h1 .badge")).to_have_text("Waiting for your countersignature")
    signatures = staff.get_by_role("region", name="Signatures", exact=True)
    expect(signatures.locator("article")).to_have_count(1)
    expect(signatures.locator("article")).to_contain_text(CONTACT_NAME)
    signatures.get_by_label("I agree: typing my name is my signature").check()
    expect(signatures.get_by_label("Your name")).to_have_value(alice.user.name)
    screenshot(staff, "agreements-08-countersign")
    signatures.get_by_role("button", name="Countersign").click()
    expect(success(staff)).to_have_text("Countersigned: the document is signed by both sides.")
    expect(staff.locator("h1 .badge")).to_have_text("Signed")
    expect(
        staff.get_by_role("region", name="Signatures", exact=True).locator("article")
    ).to_have_count(2)
    project.refresh_from_db()
    assert project.status == Project.Status.ACTIVE

    # --- 5. The deposit invoice arrives; the provider records the payment ---------------------
    invoice = Invoice.objects.get(project=project)
    assert (invoice.kind, invoice.status, invoice.total) == (
        Invoice.Kind.DEPOSIT,
        Invoice.Status.ISSUED,
        deposit,
    )
    assert invoice.stage == quote.stages.get(kind=PaymentStage.Kind.DEPOSIT)
    number = invoice.display_number
    assert number == f"INV-{lead.today.year}-0001"
    assert invoice.due_date == lead.today + timedelta(days=14)
    mails = {m.subject: m for m in deliver(inbox, 2)}
    signed = mails.pop(ro("Signed by both of us: %(title)s", title=contract.title))
    assert_says(
        signed,
        ro(
            "“%(title)s” is now signed by both of us. Thank you for your trust: we are glad to "
            "start.",
            title=contract.title,
        ),
    )
    [received] = mails.values()
    assert received.subject == ro("Invoice %(number)s", number=number)
    assert_says(
        received,
        ro(
            "here is invoice %(number)s for %(total)s, due on %(due)s.",
            number=number,
            total=ro_money(deposit),
            due=ro_date(invoice.due_date),
        ),
    )
    url = portal_link(received, live_server.url, f"/p/invoices/{invoice.pk}/")
    open_portal(portal, url, live_server, f"/p/invoices/{invoice.pk}/")
    expect(portal.locator("h1")).to_contain_text(ro("Invoice %(number)s", number=number))
    expect(portal.locator("h1 .badge")).to_have_text(ro("To pay"))
    expect(portal.locator("main")).to_contain_text(ro_money(deposit))
    expect(portal.locator("main table")).to_contain_text(
        f"{ro('Deposit')} ({quote.reference}: {quote.title})"
    )
    expect(portal.locator("main")).to_contain_text("RO49 AAAA 1B31 0075 9384 0000")
    portal_only(portal)
    screenshot(portal, "agreements-09-portal-invoice")

    staff.goto(f"/projects/{project.pk}/")
    warning = staff.get_by_role("alert").filter(has_text="Work before deposit")
    expect(warning).to_contain_text(number)
    sections_loaded(staff)  # the billing panel, where the kickoff checklist would be
    expect(staff.get_by_role("region", name="Kickoff checklist", exact=True)).to_have_count(0)
    warning.get_by_role("link", name="Record the payment").click()
    expect(staff).to_have_url(f"{live_server.url}/billing/invoices/{invoice.pk}/")
    expect(staff.locator("h1")).to_contain_text(number)
    payments = staff.get_by_role("region", name="Payments", exact=True)
    payments.get_by_label("Method").select_option(label=lead.bank.label)
    payments.get_by_label("Reference").fill("OP 1042")
    screenshot(staff, "agreements-10-invoice-payment")
    payments.get_by_role("button", name="Record payment").click()
    expect(success(staff)).to_have_text("Payment recorded.")
    expect(staff.locator("h1 .badge")).to_have_text("Paid")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    [payment] = invoice.payments.all()
    assert (payment.amount, payment.method_id, payment.reference) == (
        deposit,
        lead.bank.pk,
        "OP 1042",
    )

    # --- 6. Kickoff: the welcome message, the provider's checklist ----------------------------
    received = one_email(inbox, ro("Welcome aboard: “%(title)s” starts now", title=PROJECT_TITLE))
    assert_says(
        received,
        ro(
            "the contract is signed and everything is in place: we are very glad to start "
            "“%(title)s” with you.",
            title=PROJECT_TITLE,
        ),
        ro("What happens next:"),
        ro(
            "You will get a progress update %(cadence)s, on %(day)s, even when the news is "
            "simply that work goes on.",
            cadence=ro("Weekly").lower(),
            day=ro("Friday"),
        ),
        f"{ro_date(first.due_date)}: {first.title}",
        f"{ro_date(second.due_date)}: {second.title}",
    )
    staff.goto(f"/projects/{project.pk}/")
    expect(staff.get_by_role("alert").filter(has_text="Work before deposit")).to_have_count(0)
    kickoff = staff.get_by_role("region", name="Kickoff checklist", exact=True)
    steps = kickoff.locator("li")
    expect(steps).to_have_count(KickoffItem.objects.filter(project=project).count())
    expect(steps.first).to_contain_text("Schedule the kickoff call with the client")
    staff.evaluate("window.__e2eNoReload = true")
    steps.first.get_by_title("Mark as done").click()
    expect(steps.first.locator("s")).to_have_text("Schedule the kickoff call with the client")
    assert staff.evaluate("window.__e2eNoReload") is True, "ticking a step reloaded the page"
    sections_loaded(staff)
    screenshot(staff, "agreements-11-project-kickoff")

    # --- 7. A change request, signed as an amendment, moves the milestones --------------------
    old_dates = (first.due_date, second.due_date, project.due_date)
    staff.get_by_role("region", name="Change requests", exact=True).get_by_role(
        "link", name="New change request"
    ).click()
    form = staff.locator("main form.form")
    form.get_by_label("Change", exact=True).fill(CHANGE_TITLE)
    form.get_by_label("What changes").fill(CHANGE_TEXT)
    form.get_by_label("Price impact").fill(str(CHANGE_PRICE))
    form.get_by_label("Date impact (working days)").fill(str(CHANGE_DAYS))
    form.get_by_label("Affected milestone").select_option(label=first.title)
    form.get_by_role("button", name="Save").click()
    expect(success(staff)).to_have_text("Change request recorded.")
    change = ChangeRequest.objects.get(project=project)
    expect(staff.locator("h1")).to_contain_text(CHANGE_TITLE)
    staff.get_by_role("button", name="Send to the client to sign").click()
    expect(success(staff)).to_have_text(f"Sent to {CONTACT_NAME} to sign as an amendment.")
    screenshot(staff, "agreements-12-change-request")
    amendment = Document.objects.get(change_request=change)
    assert amendment.kind == Document.Kind.AMENDMENT
    received = one_email(inbox, ro("To sign: %(title)s", title=amendment.title))
    assert_says(
        received,
        ro(
            "the change we discussed is written down for you to read and sign: “%(title)s”.",
            title=amendment.title,
        ),
    )
    url = portal_link(received, live_server.url, f"/p/sign/{amendment.pk}/")
    open_portal(portal, url, live_server, f"/p/sign/{amendment.pk}/")
    expect(portal.locator("h1")).to_contain_text(amendment.title)
    document = portal.locator("main section.card[lang=ro]")
    expect(document).to_contain_text(CHANGE_TEXT)
    expect(document).to_contain_text("+" + ro_money(CHANGE_PRICE))
    expect(document).to_contain_text(ro("%(days)s working days", days=CHANGE_DAYS))
    portal_only(portal)
    screenshot(portal, "agreements-13-portal-amendment")
    sign_in_portal(portal, inbox, amendment, live_server)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert quote.stages.filter(kind=PaymentStage.Kind.CHANGE, amount=CHANGE_PRICE).exists()

    new_dates = tuple(working_days_later(day, CHANGE_DAYS) for day in old_dates if day)
    assert new_dates == tuple(day + timedelta(days=7) for day in old_dates if day)  # Mondays
    for milestone in (first, second):
        milestone.refresh_from_db()
    project.refresh_from_db()
    assert (first.due_date, second.due_date, project.due_date) == new_dates

    staff.goto(f"/projects/{project.pk}/")
    for milestone, moved in zip((first, second), new_dates, strict=False):
        card = milestone_card(staff, milestone.title)
        expect(card.locator("time")).to_have_attribute("datetime", moved.isoformat())
    changes = staff.get_by_role("region", name="Change requests", exact=True)
    expect(changes.locator("li")).to_contain_text(CHANGE_TITLE)
    expect(changes.locator("li .badge")).to_have_text(change.get_status_display())
    sections_loaded(staff)
    screenshot(staff, "agreements-14-project-moved")

    portal.goto("/p/")
    next_dates = portal.get_by_role("region", name=ro("Next dates"), exact=True)
    dates = next_dates.locator("li")
    expect(dates).to_have_count(2)
    for row_, milestone, moved in zip(dates.all(), (first, second), new_dates, strict=False):
        expect(row_).to_contain_text(milestone.title)
        expect(row_.locator("time")).to_have_attribute("datetime", moved.isoformat())
        expect(row_.locator("time")).to_have_text(ro_date(moved))
    documents = portal.get_by_role("region", name=ro("Contracts"), exact=True)
    expect(documents.locator("li .badge")).to_have_text([ro("Signed"), ro("Signed")])
    sections_loaded(portal)
    portal_only(portal)
    screenshot(portal, "agreements-15-portal-home")
    portal.get_by_role("heading", name=PROJECT_TITLE, exact=True).get_by_role("link").click()
    expect(portal.locator("main")).to_contain_text(
        ro("Planned delivery: %(date)s", date=ro_date(new_dates[2]))
    )
    for milestone, moved in zip((first, second), new_dates, strict=False):
        section = portal.locator("section").filter(
            has=portal.get_by_role("heading", name=milestone.title, exact=True)
        )
        expect(section).to_contain_text(ro("Due %(date)s", date=ro_date(moved)))
    portal_only(portal)
    screenshot(portal, "agreements-16-portal-project")
