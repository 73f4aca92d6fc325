"""The portal session's read of its link (portal_link_confirmed) and the portal home's reads."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from rapport.clients.models import Client, Contact, PortalLink
from rapport.clients.portal_links.selectors import portal_link_confirmed
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_archive
from rapport.conftest import Persona
from rapport.core.tests.sections import page_with_sections
from rapport.portal.access import SESSION_KEY
from rapport.portal.selectors import portal_projects
from rapport.projects.models import Deliverable, Project


def _portal(carol: Contact, alice: Persona) -> tuple[HttpClient, PortalLink]:
    link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    assert http.post(reverse("portal:open", args=[token])).status_code == 302
    link.refresh_from_db()
    return http, link


def test_link_read_with_contact_client_and_workspace(
    carol: Contact, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _http, link = _portal(carol, alice)
    with django_assert_num_queries(1):
        read = portal_link_confirmed(link_id=link.pk)
        assert read is not None
        assert read.contact.client.workspace == alice.workspace
    assert read.contact == carol


def test_unconfirmed_revoked_and_unknown_links_are_not_read(carol: Contact, alice: Persona) -> None:
    link, _token = portal_link_create(contact=carol, actor=alice.user)
    assert portal_link_confirmed(link_id=link.pk) is None  # never confirmed by its POST
    PortalLink.objects.filter(pk=link.pk).update(confirmed_at=timezone.now())
    assert portal_link_confirmed(link_id=link.pk) is not None
    PortalLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    assert portal_link_confirmed(link_id=link.pk) is None
    assert portal_link_confirmed(link_id=link.pk + 1000) is None


def test_a_session_holding_no_id_is_no_portal_session(carol: Contact, alice: Persona) -> None:
    http, _link = _portal(carol, alice)
    session = http.session
    session[SESSION_KEY] = "not-an-id"
    session.save()
    assert http.get(reverse("portal:home")).status_code == 404


def test_archived_client_ends_the_portal_session(
    carol: Contact, alice: Persona, acme: Client
) -> None:
    http, _link = _portal(carol, alice)
    assert http.get(reverse("portal:home")).status_code == 200
    client_archive(client=acme, actor=alice.user)
    assert http.get(reverse("portal:home")).status_code == 404


def test_portal_home_does_not_read_deliverables(
    carol: Contact,
    alice: Persona,
    layouts: Deliverable,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(2):  # projects with progress, their milestones
        projects = list(portal_projects(contact=carol, with_deliverables=False))
    # The prefetch's to_attr, which the model's type does not know.
    assert vars(projects[0])["visible_milestones"][0].title == "Page designs"
    with django_assert_num_queries(3):
        projects = list(portal_projects(contact=carol))
        milestone = vars(projects[0])["visible_milestones"][0]
        assert [d.title for d in milestone.deliverables.all()] == ["Page layouts"]


def test_ask_for_a_change_only_with_a_project_the_form_offers(
    carol: Contact, alice: Persona, website: Project
) -> None:
    http, _link = _portal(carol, alice)
    change_new = reverse("portal:change_new")
    assert change_new in page_with_sections(http, reverse("portal:home"))
    # A closed project is not offered by the change form, so the home does not link to it.
    Project.objects.filter(pk=website.pk).update(status=Project.Status.CLOSED)
    assert change_new not in page_with_sections(http, reverse("portal:home"))
