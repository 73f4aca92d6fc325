"""Tenancy: every URL, walked as an outsider, reveals nothing of alice's workspace.

The test enumerates the URL resolver, so a new URL that is not listed here fails the suite
until someone decides how an outsider must see it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rapport.accounts.services import api_token_create
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona
from rapport.projects.models import Deliverable, Milestone, Project

# URLs anyone may open: they show no tenant data.
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:signup",
    "accounts:signup_finish",
    "accounts:invitation",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "portal:open",
    # The pulse links of an update email: a signed token of one contact and one update is the
    # key, as the magic link's is (a foreign or altered token: 404, portal/tests/test_pulse_pages).
    "portal:pulse",
    "portal:pulse_face",
    # The survey links of a survey email: a signed token of one contact and one survey
    # (a foreign or altered token: 404, portal/tests/test_survey_pages).
    "portal:survey_link",
    "portal:survey_link_csat",
    "portal:link_request",
    "portal:logout",
    "home",
    "language",
    "health",
    "api:schema",
    # Telegram's webhook: no tenant data, guarded by the bot's secret header.
    "notifications:telegram_updates",
}

# Workspace-level pages with no object in the URL: mallory sees her own, never alice's.
WORKSPACE_PAGES = {
    "dashboard": "get",
    "dashboard_activity": "get",
    "dashboard_checklist_hide": "post",
    "clients:list": "get",
    "clients:create": "get",
    "projects:list": "get",
    "projects:create": "get",
    "accounts:settings": "get",
    "accounts:workspace_save": "post",
    "accounts:preferences_save": "post",
    "accounts:working_time_save": "post",
    "accounts:sender_save": "post",
    "accounts:business_save": "post",
    "accounts:business_logo": "get",
    "notifications:member_notify_save": "post",
    "accounts:member_invite": "post",
    "accounts:token_create": "post",
    "notifications:workspace_channels_save": "post",
    "portal:home": "get",
    "portal:home_briefs": "get",
    "portal:home_quotes": "get",
    "portal:business_logo": "get",
    "portal:home_signing": "get",
    "portal:home_invoices": "get",
    "portal:home_updates": "get",
    "portal:home_cancellations": "get",
    "portal:request_new": "get",
    "portal:pulse_answer": "post",
    "notifications:alerts": "get",
    "conversations:inbox": "get",
    "conversations:log": "get",
    "conversations:unmatched": "get",
    "conversations:mailbox_save": "post",
    "conversations:mailbox_remove": "post",
    "commitments:ledger": "get",
    "billing:invoice_list": "get",
    "billing:payment_methods": "get",
    "portal:invoices": "get",
    "clients:question_add": "post",
    "agreements:quote_list": "get",
    "agreements:saved_items": "get",
    "agreements:saved_item_from_line": "post",
    "clients:brief_templates": "get",
    "agreements:contract_templates": "get",
    "portal:change_new": "get",
    "projects:templates": "get",
    # Plain words (P26): mallory sees and changes her own list only.
    "care:plain_words": "get",
    "care:jargon_shipped_off": "post",
    # The expert directory (P32): mallory lists and adds to her own only.
    "care:experts": "get",
    "care:expert_new": "get",
    # Reports: mallory's figures only (rapport/care/tests/test_reports.py checks the figures).
    "care:reports": "get",
    # Keeping in touch (P30, P34): mallory's drafts, past clients and months only.
    "care:keep_in_touch": "get",
    "care:win_back": "get",
    "care:keep_in_touch_settings": "get",
    # Relationship health (P37, P34): mallory's list holds her own clients only.
    "care:at_risk": "get",
    # Survey results (P34): mallory sees her own figures; her contact, her own surveys.
    "care:survey_results": "get",
    "portal:home_surveys": "get",
}

# URLs that name one of alice's objects: (kwarg -> object key, methods).
OBJECT_URLS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "clients:detail": ({"pk": "client"}, ("get",)),
    "clients:timeline": ({"pk": "client"}, ("get",)),
    # Sections of the client and project pages, loaded after the page (core.sections).
    "clients:recent_timeline": ({"pk": "client"}, ("get",)),
    "clients:messages": ({"pk": "client"}, ("get",)),
    "agreements:client_quotes": ({"client_pk": "client"}, ("get",)),
    "agreements:client_contracts": ({"client_pk": "client"}, ("get",)),
    "billing:client_balance": ({"client_pk": "client"}, ("get",)),
    "agreements:project_quotes": ({"project_pk": "project"}, ("get",)),
    "agreements:project_contracts": ({"project_pk": "project"}, ("get",)),
    "agreements:project_changes": ({"project_pk": "project"}, ("get",)),
    "billing:project_billing": ({"project_pk": "project"}, ("get",)),
    "clients:edit": ({"pk": "client"}, ("get", "post")),
    "clients:archive": ({"pk": "client"}, ("post",)),
    "clients:contact_create": ({"client_pk": "client"}, ("get", "post")),
    "clients:contact_edit": ({"pk": "contact"}, ("get", "post")),
    "clients:contact_archive": ({"pk": "contact"}, ("post",)),
    "clients:contact_portal_link": ({"pk": "contact"}, ("post",)),
    "clients:contact_portal_revoke": ({"pk": "contact"}, ("post",)),
    "clients:important_date_add": ({"contact_pk": "contact"}, ("get", "post")),
    "clients:important_date_remove": ({"pk": "important_date"}, ("post",)),
    "projects:detail": ({"pk": "project"}, ("get",)),
    "projects:edit": ({"pk": "project"}, ("get", "post")),
    "projects:archive": ({"pk": "project"}, ("post",)),
    "projects:milestone_create": ({"project_pk": "project"}, ("post",)),
    "projects:milestone_edit": ({"pk": "milestone"}, ("get", "post")),
    "projects:milestone_progress": ({"pk": "milestone"}, ("post",)),
    "projects:milestone_complete": ({"pk": "milestone"}, ("post",)),
    "projects:milestone_archive": ({"pk": "milestone"}, ("post",)),
    "projects:deliverable_create": ({"milestone_pk": "milestone"}, ("get", "post")),
    "projects:deliverable_edit": ({"pk": "deliverable"}, ("get", "post")),
    "projects:deliverable_archive": ({"pk": "deliverable"}, ("post",)),
    "accounts:member_remove": ({"pk": "membership"}, ("post",)),
    "accounts:member_capacity_save": ({"pk": "membership"}, ("post",)),
    "accounts:invitation_revoke": ({"pk": "invitation"}, ("post",)),
    "accounts:token_revoke": ({"pk": "api_token"}, ("post",)),
    "portal:project": ({"pk": "project"}, ("get",)),
    "portal:promise_confirm": ({"pk": "promise"}, ("post",)),
    # mallory's contact cannot agree to (or refuse) the cancellation alice proposed to acme.
    "portal:cancellation_answer": ({"pk": "cancelled"}, ("post",)),
    "projects:update_compose": ({"pk": "project"}, ("get", "post")),
    "notifications:alert_resolve": ({"pk": "alert"}, ("post",)),
    "conversations:detail": ({"pk": "request"}, ("get",)),
    "conversations:reply": ({"pk": "request"}, ("post",)),
    "conversations:decide": ({"pk": "request"}, ("post",)),
    "conversations:unmatched_assign": ({"pk": "inbound_email"}, ("post",)),
    "conversations:unmatched_lead": ({"pk": "inbound_email"}, ("post",)),
    "conversations:unmatched_discard": ({"pk": "inbound_email"}, ("post",)),
    "commitments:promise_new": ({"client_pk": "client"}, ("get", "post")),
    "commitments:keep": ({"pk": "promise"}, ("post",)),
    "commitments:cancel": ({"pk": "promise"}, ("get", "post")),
    "commitments:renegotiate": ({"pk": "promise"}, ("get", "post")),
    "commitments:confirm_request": ({"pk": "promise"}, ("post",)),
    # P27: mallory can neither hand alice's client over nor mark its note read.
    "commitments:handover": ({"client_pk": "client"}, ("get", "post")),
    "clients:handover_read": ({"pk": "handover"}, ("post",)),
    # P18: mallory neither sees nor plans alice's extras, nor marks one delivered.
    "projects:extras": ({"pk": "project"}, ("get", "post")),
    "projects:extra_delivered": ({"pk": "extra"}, ("post",)),
    "projects:delay_notice": ({"milestone_pk": "milestone"}, ("get", "post")),
    "clients:screening": ({"pk": "client"}, ("get", "post")),
    "clients:screening_decide": ({"pk": "client"}, ("post",)),
    "clients:question_remove": ({"pk": "question"}, ("post",)),
    "agreements:quote_create": ({"project_pk": "project"}, ("get", "post")),
    "agreements:quote_row": ({"project_pk": "project"}, ("get",)),
    "agreements:quote_totals": ({"project_pk": "project"}, ("post",)),
    "agreements:quote_detail": ({"pk": "quote"}, ("get",)),
    "agreements:saved_item_edit": ({"pk": "saved_item"}, ("get", "post")),
    "agreements:saved_item_archive": ({"pk": "saved_item"}, ("post",)),
    "agreements:quote_edit": ({"pk": "quote"}, ("get", "post")),
    "agreements:quote_send": ({"pk": "quote"}, ("post",)),
    "agreements:quote_new_version": ({"pk": "quote"}, ("post",)),
    "portal:quote": ({"pk": "quote"}, ("get",)),
    "portal:quote_accept": ({"pk": "quote"}, ("post",)),
    "portal:quote_decline": ({"pk": "quote"}, ("post",)),
    "clients:brief_send": ({"client_pk": "client"}, ("get", "post")),
    "clients:brief_detail": ({"pk": "brief"}, ("get",)),
    "clients:brief_file": ({"pk": "brief_answer"}, ("get",)),
    "clients:brief_template": ({"pk": "brief_template"}, ("get", "post")),
    "clients:brief_template_archive": ({"pk": "brief_template"}, ("post",)),
    "clients:brief_question_remove": ({"pk": "brief_question"}, ("post",)),
    "clients:brief_question_move": ({"pk": "brief_question"}, ("post",)),
    "portal:brief": ({"pk": "brief"}, ("get", "post")),
    "portal:brief_answer": ({"pk": "brief"}, ("post",)),
    "portal:brief_file": ({"pk": "brief_answer"}, ("get",)),
    "billing:revisions": ({"pk": "deliverable"}, ("get", "post")),
    "billing:revision_estimate": ({"pk": "revision_round"}, ("post",)),
    "billing:revision_done": ({"pk": "revision_round"}, ("post",)),
    "portal:revision_request": ({"pk": "deliverable"}, ("post",)),
    "portal:revision_accept": ({"pk": "revision_round"}, ("post",)),
    "portal:revision_decline": ({"pk": "revision_round"}, ("post",)),
    "agreements:contract_detail": ({"pk": "document"}, ("get",)),
    "agreements:contract_pdf": ({"pk": "document"}, ("get",)),
    "agreements:contract_countersign": ({"pk": "document"}, ("post",)),
    "agreements:contract_void": ({"pk": "document"}, ("post",)),
    "agreements:contract_verify": ({"pk": "document"}, ("post",)),
    "agreements:contract_check_pdf": ({"pk": "document"}, ("post",)),
    "portal:sign": ({"pk": "document"}, ("get",)),
    "portal:sign_pdf": ({"pk": "document"}, ("get",)),
    "portal:sign_code": ({"pk": "document"}, ("post",)),
    "portal:sign_confirm": ({"pk": "document"}, ("post",)),
    "portal:change_reject": ({"pk": "change"}, ("get", "post")),
    "agreements:change_create": ({"project_pk": "project"}, ("get", "post")),
    "agreements:change_detail": ({"pk": "change"}, ("get",)),
    "agreements:change_edit": ({"pk": "change"}, ("get", "post")),
    "agreements:change_send": ({"pk": "change"}, ("post",)),
    "agreements:change_withdraw": ({"pk": "change"}, ("post",)),
    "agreements:change_from_request": ({"pk": "request"}, ("post",)),
    "billing:invoice_detail": ({"pk": "invoice"}, ("get",)),
    "billing:invoice_pdf": ({"pk": "invoice"}, ("get",)),
    "billing:invoice_line_add": ({"pk": "invoice"}, ("post",)),
    "billing:invoice_issue": ({"pk": "invoice"}, ("post",)),
    "billing:invoice_void": ({"pk": "invoice"}, ("post",)),
    "billing:payment_add": ({"pk": "invoice"}, ("post",)),
    "billing:invoice_line_remove": ({"pk": "invoice_line"}, ("post",)),
    "billing:invoice_new": ({"project_pk": "project"}, ("get", "post")),
    "billing:time_entry_add": ({"project_pk": "project"}, ("post",)),
    "billing:time_entry_remove": ({"pk": "time_entry"}, ("post",)),
    "billing:kickoff_tick": ({"pk": "kickoff_item"}, ("post",)),
    "billing:payment_method_edit": ({"pk": "payment_method"}, ("get", "post")),
    "billing:payment_method_remove": ({"pk": "payment_method"}, ("post",)),
    "portal:invoice": ({"pk": "invoice"}, ("get",)),
    "portal:invoice_pdf": ({"pk": "invoice"}, ("get",)),
    # Templates and copies: mallory cannot use, rename, archive, save or duplicate alice's.
    "projects:template_use": ({"pk": "project_template"}, ("get", "post")),
    "projects:template_rename": ({"pk": "project_template"}, ("post",)),
    "projects:template_archive": ({"pk": "project_template"}, ("post",)),
    "projects:template_save": ({"pk": "project"}, ("get", "post")),
    "projects:duplicate": ({"pk": "project"}, ("get", "post")),
    # A delivered deliverable and its file: neither mallory nor her contact reaches them.
    "projects:deliverable_detail": ({"pk": "deliverable"}, ("get",)),
    "projects:deliverable_file_add": ({"pk": "deliverable"}, ("post",)),
    "projects:deliverable_link_add": ({"pk": "deliverable"}, ("post",)),
    "projects:deliverable_deliver": ({"pk": "deliverable"}, ("post",)),
    "projects:attachment_file": ({"pk": "attachment"}, ("get",)),
    "projects:attachment_remove": ({"pk": "attachment"}, ("post",)),
    "portal:deliverable_approve": ({"pk": "deliverable"}, ("post",)),
    # Problems (care): neither mallory nor her contact reads, answers or resolves alice's.
    "care:problems": ({"project_pk": "project"}, ("get",)),
    "care:client_pulse": ({"client_pk": "client"}, ("get",)),
    "care:client_health": ({"client_pk": "client"}, ("get",)),
    "care:project_pulse": ({"project_pk": "project"}, ("get",)),
    "care:problem_new": ({"project_pk": "project"}, ("get", "post")),
    "care:problem_detail": ({"pk": "problem"}, ("get",)),
    "care:problem_choose": ({"pk": "problem"}, ("post",)),
    "care:problem_resolve": ({"pk": "problem"}, ("post",)),
    "care:problem_goodwill": ({"pk": "problem"}, ("post",)),
    "care:client_pattern": ({"client_pk": "client"}, ("get",)),
    "care:client_pattern_clause": ({"client_pk": "client"}, ("post",)),
    "portal:problem": ({"pk": "problem"}, ("get",)),
    "portal:problem_choose": ({"pk": "problem"}, ("post",)),
    "portal:problem_talk": ({"pk": "problem"}, ("post",)),
    # The decisions log (care): neither mallory nor her contact reads or decides alice's.
    "care:decisions": ({"project_pk": "project"}, ("get",)),
    "care:decisions_section": ({"project_pk": "project"}, ("get",)),
    "care:decision_new": ({"project_pk": "project"}, ("get", "post")),
    "care:decision_detail": ({"pk": "decision"}, ("get",)),
    "care:decision_decide": ({"pk": "decision"}, ("post",)),
    "portal:decision": ({"pk": "decision"}, ("get",)),
    "portal:decision_decide": ({"pk": "decision"}, ("post",)),
    # The de-escalation page of a client-upset alert (care.upset): never another workspace's.
    "care:upset_detail": ({"pk": "upset_alert"}, ("get",)),
    # The greeting of a client's special day (care.namedays): never another workspace's.
    "care:greeting_detail": ({"pk": "greeting_alert"}, ("get", "post")),
    "care:greeting_dismiss": ({"pk": "greeting_alert"}, ("post",)),
    "portal:deliverable_file": ({"pk": "attachment"}, ("get",)),
    # Plain words (P26): mallory neither changes alice's terms nor checks a text for acme.
    "care:jargon_term_edit": ({"pk": "jargon_term"}, ("get", "post")),
    "care:jargon_term_switch": ({"pk": "jargon_term"}, ("post",)),
    "care:jargon_term_remove": ({"pk": "jargon_term"}, ("post",)),
    "care:jargon_check": ({"client_pk": "client"}, ("post",)),
    # Referrals and recommendations (P32, P34): neither read nor written by an outsider.
    "care:client_referrals": ({"client_pk": "client"}, ("get",)),
    "care:referral_edit": ({"client_pk": "client"}, ("get", "post")),
    "care:referral_remove": ({"client_pk": "client"}, ("post",)),
    "care:client_recommendations": ({"client_pk": "client"}, ("get",)),
    "care:recommendation_new": ({"client_pk": "client"}, ("get", "post")),
    "care:recommendation_edit": ({"pk": "recommendation"}, ("get", "post")),
    "care:expert_detail": ({"pk": "expert"}, ("get",)),
    "care:expert_edit": ({"pk": "expert"}, ("get", "post")),
    "care:expert_archive": ({"pk": "expert"}, ("post",)),
    "care:expert_restore": ({"pk": "expert"}, ("post",)),
    "care:check_in_detail": ({"pk": "check_in"}, ("get", "post")),
    "care:check_in_skip": ({"pk": "check_in"}, ("post",)),
    "care:win_back_draft": ({"client_pk": "client"}, ("post",)),
    "care:loyalty_offer": ({"client_pk": "client"}, ("post",)),
    "care:project_returning": ({"project_pk": "project"}, ("get",)),
    "care:quote_loyalty": ({"quote_pk": "quote"}, ("get",)),
    # At the close of a project (P33, P34): neither mallory nor her contact reads, sends,
    # answers or withdraws alice's survey, testimonials or permissions.
    "care:project_survey": ({"project_pk": "project"}, ("get",)),
    "care:survey_send": ({"project_pk": "project"}, ("post",)),
    "care:client_surveys": ({"client_pk": "client"}, ("get",)),
    "care:promotion_new": ({"client_pk": "client"}, ("get", "post")),
    "portal:survey": ({"pk": "survey"}, ("get", "post")),
    "portal:testimonial_withdraw": ({"pk": "testimonial"}, ("post",)),
    "portal:portfolio_revoke": ({"pk": "portfolio"}, ("post",)),
}

# Inbound email webhooks: public URLs guarded by Anymail's shared secret (basic auth).
PUBLIC_NAMESPACES = ("anymail:",)

API_RESOURCES = {
    "client": "client",
    "contact": "contact",
    "project": "project",
    "milestone": "milestone",
    "deliverable": "deliverable",
}
API_OBJECT_ACTIONS = {"detail": ("get", "patch"), "archive": ("post",), "restore": ("post",)}


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            found += _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def all_url_names() -> set[str]:
    return {name for name, _ in _walk(get_resolver().url_patterns)}


def _api_names() -> set[str]:
    """The API routes the outsider test below walks (those that exist)."""
    names = set()
    for resource in API_RESOURCES:
        names.add(f"api:{resource}-list")
        for action in API_OBJECT_ACTIONS:
            names.add(f"api:{resource}-{action}")
    return names & all_url_names()


def test_every_url_is_covered() -> None:
    covered = PUBLIC | set(WORKSPACE_PAGES) | set(OBJECT_URLS) | _api_names()
    missing = {n for n in all_url_names() - covered if not n.startswith(PUBLIC_NAMESPACES)}
    assert not missing, f"URLs without an outsider check: {sorted(missing)}"


@pytest.fixture
def alice_objects(
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from rapport.accounts.models import Membership, User
    from rapport.accounts.services import invitation_create
    from rapport.billing.revisions.services import revision_round_log
    from rapport.clients.handover import handover_record
    from rapport.clients.services import important_date_add
    from rapport.commitments.services import (
        commitment_cancel,
        promise_create,
        promise_request_confirmation,
    )
    from rapport.conversations.models import InboundEmail, Mailbox
    from rapport.conversations.services import request_receive
    from rapport.notifications.models import Alert
    from rapport.projects.extras import extra_plan

    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    membership = Membership.objects.create(workspace=alice.workspace, user=bob)
    token, _secret = api_token_create(membership=alice.membership, name="alice token")
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Logo drafts by Friday",
        due_at=timezone.now() + timedelta(days=3),
    )
    promise_request_confirmation(commitment=promise, contact=carol, actor=alice.user)
    cancelled = promise_create(
        client=acme,
        actor=alice.user,
        wording="Logo animation",
        due_at=timezone.now() + timedelta(days=3),
    )
    commitment_cancel(commitment=cancelled, actor=alice.user, reason="Out of scope")
    request = request_receive(
        client=acme, contact=carol, source="phone", subject="New banner", body="Please"
    )
    inbound = InboundEmail.objects.create(
        workspace=alice.workspace,
        received_at=timezone.now(),
        sender="stranger@example.com",
        subject="Hi",
    )
    # Her mailbox: mallory's Settings never show it ("Alice" is in its folder's name).
    Mailbox.objects.create(
        workspace=alice.workspace,
        address="studio@alice.example",
        host="imap.alice.example",
        username="studio",
        password="-",
        folder="Alice replies",
    )
    from rapport.clients.screening.selectors import checklist

    billing = _billing_objects(alice, acme, carol, website)

    return {
        "question": checklist(alice.workspace)[0],
        "promise": promise,
        "cancelled": cancelled,
        "request": request,
        "alert": Alert.objects.filter(workspace=alice.workspace).first(),
        "inbound_email": inbound,
        "client": acme,
        "contact": carol,
        "project": website,
        "milestone": design_milestone,
        "deliverable": layouts,
        "important_date": important_date_add(contact=carol, kind="birthday", month=5, day=4),
        "membership": membership,
        "extra": extra_plan(
            project=website, actor=alice.user, title="Alice's favicon set", cost_hours=Decimal(1)
        ),
        "handover": handover_record(
            client=acme, actor=alice.user, new_owner=bob, note="Alice's handover note"
        ),
        "invitation": invitation_create(membership=alice.membership, email="new@example.com"),
        "api_token": token,
        **_quote_objects(alice, carol, website),
        **_brief_objects(alice, acme, carol),
        **_review_objects(alice, carol, website, layouts),
        "revision_round": revision_round_log(
            deliverable=layouts, actor=alice.user, description="Bigger logo"
        ),
        **_contract_objects(alice, acme, carol, website),
        "problem": _problem(alice, carol, website),
        "jargon_term": _jargon_term(alice),
        "decision": _decision(alice, website),
        "upset_alert": _upset_alert(acme, carol),
        **_expert_objects(alice, acme, carol),
        "greeting_alert": _greeting_alert(acme, carol),
        "check_in": _check_in(alice, acme),
        **_survey_objects(alice, acme, carol),
        **billing,
    }


def _expert_objects(alice: Persona, acme: Client, carol: Contact) -> dict[str, Any]:
    """An expert of alice's directory, recommended to acme (told to carol)."""
    from rapport.care.experts.services import expert_create, recommendation_record

    expert = expert_create(workspace=alice.workspace, name="Alice's Copywriter", skills=["copy"])
    recommendation = recommendation_record(
        client=acme, expert=expert, contact=carol, reason="Product texts", actor=alice.user
    )
    return {"expert": expert, "recommendation": recommendation}


def _survey_objects(alice: Persona, acme: Client, carol: Contact) -> dict[str, Any]:
    """A delivered project of acme's with its survey answered by carol, her testimonial and
    the portfolio permission."""
    from rapport.care.surveys.consent import survey_respond
    from rapport.care.surveys.services import survey_send
    from rapport.projects.services import project_create, project_update

    rebrand = project_create(client=acme, actor=alice.user, title="Alice's rebrand")
    project_update(project=rebrand, actor=alice.user, status=Project.Status.DELIVERED)
    survey = survey_send(project=rebrand, actor=alice.user)
    done = survey_respond(
        survey=survey,
        contact=carol,
        csat=5,
        nps=10,
        comment="Alice's secret answer",
        source="email",
        testimonial="Alice's secret words",
        publish=True,
        portfolio=True,
    )
    return {"survey": survey, "testimonial": done.testimonial, "portfolio": done.portfolio}


def _upset_alert(acme: Client, carol: Contact) -> Any:
    """A hostile portal request of carol's: its tone raises the client-upset alert."""
    from rapport.conversations.services import request_receive
    from rapport.notifications.models import Alert

    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Απατεώνες! Ανίκανοι!"
    )
    return Alert.objects.get(kind=Alert.Kind.CLIENT_UPSET, subject_id=request.pk)


def _greeting_alert(acme: Client, carol: Contact) -> Any:
    """Carol's birthday as the morning scan announces it (care.namedays)."""
    from rapport.care.tests.fixtures import greeting_alert

    return greeting_alert(carol)


def _problem(alice: Persona, carol: Contact, website: Project) -> Any:
    from rapport.care.tests.fixtures import report

    return report(project=website, alice=alice, contacts=[carol])


def _jargon_term(alice: Persona) -> Any:
    """A term of alice's own plain-words list; its name must never reach mallory's list."""
    from rapport.care.jargon.services import jargon_term_save

    return jargon_term_save(
        membership=alice.membership,
        language="en",
        term="Alice moodboard",
        suggestion="a page of pictures",
    )


def _decision(alice: Persona, website: Project) -> Any:
    """An open recommendation on the website (the portal page offers to decide it)."""
    from rapport.care.tests.decision_fixtures import recommend

    return recommend(project=website, alice=alice)


def _check_in(alice: Persona, acme: Client) -> Any:
    """A win-back draft to acme, waiting to be sent (care.keepintouch)."""
    from rapport.care.keepintouch.services import win_back_draft

    return win_back_draft(client=acme, actor=alice.user)


def _brief_objects(alice: Persona, acme: Client, carol: Contact) -> dict[str, Any]:
    """A brief sent to carol with an uploaded file, and the questionnaire it came from."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rapport.clients.briefs.services import brief_answer_save, brief_send
    from rapport.clients.models import BriefTemplate

    template = BriefTemplate.objects.for_workspace(alice.workspace).get()
    brief = brief_send(client=acme, contact=carol, template=template, actor=alice.user)
    index = next(i for i, q in enumerate(brief.questions) if q["kind"] == "file")
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide", content_type="application/pdf")
    answer = brief_answer_save(brief=brief, contact=carol, index=index, upload=upload)
    return {
        "brief": brief,
        "brief_answer": answer,
        "brief_template": template,
        "brief_question": template.questions.first(),
    }


def _review_objects(
    alice: Persona, carol: Contact, website: Project, layouts: Deliverable
) -> dict[str, Any]:
    """A file on the page layouts, delivered to carol, and a template saved from the site."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rapport.projects.attachments import deliverable_file_attach
    from rapport.projects.project_templates import template_save_from_project
    from rapport.projects.review import deliverable_deliver

    upload = SimpleUploadedFile("layouts.pdf", b"%PDF-1.4", content_type="application/pdf")
    attachment = deliverable_file_attach(deliverable=layouts, actor=alice.user, upload=upload)
    deliverable_deliver(deliverable=layouts, actor=alice.user, contacts=[carol])
    layouts.refresh_from_db()
    return {
        "attachment": attachment,
        "project_template": template_save_from_project(
            project=website, actor=alice.user, name="Alice's website plan"
        ),
    }


def _billing_objects(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> dict[str, Any]:
    """An issued invoice with a line, a payment method, a time entry and a kickoff step."""
    from datetime import date

    from rapport.billing.models import Invoice
    from rapport.billing.payment_methods import payment_method_save
    from rapport.billing.services.invoices import invoice_issue, invoice_line_add
    from rapport.billing.services.time_entries import time_entry_add
    from rapport.projects.models import KickoffItem

    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        project=website,
        contact=carol,
        kind=Invoice.Kind.MILESTONE,
        currency="EUR",
        language="el",
    )
    line = invoice_line_add(invoice=invoice, description="Designs", quantity="1", unit_price="500")
    invoice_issue(invoice=invoice, actor=alice.user)
    entry = time_entry_add(
        project=website, actor=alice.user, worked_on=date.today(), hours="2", description="Call"
    )
    return {
        "invoice": invoice,
        "invoice_line": line,
        "payment_method": payment_method_save(
            membership=alice.membership, kind="card", url="https://pay.example/alice"
        ),
        "time_entry": entry,
        "kickoff_item": KickoffItem.objects.create(
            workspace=alice.workspace, project=website, text="Kickoff call"
        ),
    }


def _contract_objects(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> dict[str, Any]:
    """A contract waiting for carol's signature and a proposed change request."""
    from rapport.agreements.changes.services import change_request_create
    from rapport.agreements.contracts.services import contract_create_from_quote
    from rapport.agreements.tests.contract_fixtures import make_quote

    quote = make_quote(alice, acme, carol, website, series=900)
    return {
        "document": contract_create_from_quote(quote=quote, actor=alice.user),
        "change": change_request_create(
            project=website, actor=alice.user, title="Extra page", description="A blog page"
        ),
    }


def _quote_objects(alice: Persona, carol: Contact, website: Project) -> dict[str, Any]:
    """A quote sent to carol (she may accept or decline it in the portal)."""
    from datetime import date, timedelta

    from rapport.agreements.items.services import ItemInput, saved_item_create
    from rapport.agreements.quotes.services import quote_send
    from rapport.agreements.tests.quote_fixtures import draft

    quote = draft(alice, website, carol, valid_until=date.today() + timedelta(days=14))
    item = saved_item_create(
        workspace=alice.workspace,
        data=ItemInput(description="Alice's logo design", unit_price="450", currency="EUR"),
    )
    return {"quote": quote_send(quote=quote, actor=alice.user), "saved_item": item}


def _snapshot(alice_objects: dict[str, Any]) -> list[tuple[str, Any]]:
    """What must not change when an outsider pokes at the URLs."""
    return [
        (key, type(obj).objects.filter(pk=obj.pk).values().first())
        for key, obj in alice_objects.items()
    ]


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_outsider_gets_404_for_alices_objects(
    name: str, alice_objects: dict[str, Any], mallory: Persona, mallory_data: dict[str, Any]
) -> None:
    kwargs_map, methods = OBJECT_URLS[name]
    url = reverse(name, kwargs={kw: alice_objects[key].pk for kw, key in kwargs_map.items()})
    before = _snapshot(alice_objects)
    http = HttpClient()
    http.force_login(mallory.user)
    if name.startswith("portal:"):
        # mallory's own contact in the portal, asking for alice's project
        _link, token = portal_link_create(contact=mallory_data["contact"], actor=mallory.user)
        http.post(reverse("portal:open", args=[token]))
    for method in methods:
        response = getattr(http, method)(url, {"name": "hacked", "title": "hacked", "progress": 99})
        assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code}"
    assert _snapshot(alice_objects) == before


@pytest.mark.parametrize("name", sorted(WORKSPACE_PAGES))
def test_outsider_workspace_pages_show_only_their_own(
    name: str, alice_objects: dict[str, Any], mallory: Persona, mallory_data: dict[str, Any]
) -> None:
    http = HttpClient()
    http.force_login(mallory.user)
    if name.startswith("portal:"):
        _link, token = portal_link_create(contact=mallory_data["contact"], actor=mallory.user)
        http.post(reverse("portal:open", args=[token]))
    response = getattr(http, WORKSPACE_PAGES[name])(reverse(name))
    body = response.content.decode()
    for secret in (
        "Acme Ltd",
        "Carol Georgiou",
        "carol@acme.example",
        "New website",
        "Page designs",
        "Alice",
        "New banner",
        "Logo drafts",
        "stranger@example.com",
        "secret answer",
        "secret words",
    ):
        assert secret not in body, f"{name} shows {secret!r} to mallory"


@pytest.mark.parametrize("name", ["portal:home", "portal:project"])
def test_client_contact_cannot_open_portal_without_session(
    name: str, alice_objects: dict[str, Any]
) -> None:
    kwargs = {"pk": alice_objects["project"].pk} if name == "portal:project" else {}
    assert HttpClient().get(reverse(name, kwargs=kwargs)).status_code == 404


def test_carols_portal_session_opens_no_staff_page(alice_objects: dict[str, Any]) -> None:
    """carol (a client contact) has a portal session: every staff URL still refuses her."""
    _link, token = portal_link_create(contact=alice_objects["contact"], actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    for name, (kwargs_map, methods) in OBJECT_URLS.items():
        if name.startswith("portal:"):
            continue
        url = reverse(name, kwargs={kw: alice_objects[key].pk for kw, key in kwargs_map.items()})
        response = getattr(http, methods[0])(url)
        assert response.status_code in (302, 404), f"carol reached {url}"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("resource", sorted(API_RESOURCES))
def test_api_outsider_gets_404(
    resource: str, alice_objects: dict[str, Any], mallory: Persona, mallory_data: dict[str, Any]
) -> None:
    _token, secret = api_token_create(membership=mallory.membership, name="mallory")
    http = HttpClient(headers={"Authorization": f"Bearer {secret}"})
    obj = alice_objects[API_RESOURCES[resource]]
    before = _snapshot(alice_objects)
    for action, methods in API_OBJECT_ACTIONS.items():
        if f"api:{resource}-{action}" not in all_url_names():
            continue
        url = reverse(f"api:{resource}-{action}", kwargs={"pk": obj.pk})
        for method in methods:
            response = getattr(http, method)(
                url, data={"name": "hacked"}, content_type="application/json"
            )
            assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code}"
    listing = http.get(reverse(f"api:{resource}-list")).json()
    ids = {row["id"] for row in listing["results"]}
    assert obj.pk not in ids
    assert ids == {mallory_data[API_RESOURCES[resource]].pk}
    assert _snapshot(alice_objects) == before


@pytest.mark.parametrize("resource", sorted(API_RESOURCES))
def test_api_without_token_is_401(resource: str, alice_objects: dict[str, Any]) -> None:
    response = HttpClient().get(reverse(f"api:{resource}-list"))
    assert response.status_code == 401
