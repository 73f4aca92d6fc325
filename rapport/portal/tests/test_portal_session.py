"""The portal session's one read (portal_link_confirmed) and the portal home's reads."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from rapport.clients.services import client_archive
from rapport.portal.access import SESSION_KEY
from rapport.portal.models import PortalLink
from rapport.portal.selectors import portal_link_confirmed, portal_projects
from rapport.portal.services import portal_link_create
from rapport.projects.models import Project


def _columns(instance: Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _portal(carol, alice) -> tuple[HttpClient, PortalLink]:
    link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    assert http.post(reverse("portal:open", args=[token])).status_code == 302
    link.refresh_from_db()
    return http, link


def test_link_read_with_contact_client_and_workspace_as_the_orm_reads_them(carol, alice):
    _http, link = _portal(carol, alice)
    read = portal_link_confirmed(link_id=link.pk)
    want = PortalLink.objects.select_related("contact__client__workspace").get(pk=link.pk)
    assert read is not None
    assert _columns(read) == _columns(want)
    assert _columns(read.contact) == _columns(want.contact)
    assert _columns(read.contact.client) == _columns(want.contact.client)
    assert _columns(read.contact.client.workspace) == _columns(want.contact.client.workspace)


def test_unconfirmed_revoked_and_unknown_links_are_not_read(carol, alice):
    link, _token = portal_link_create(contact=carol, actor=alice.user)
    assert portal_link_confirmed(link_id=link.pk) is None  # never confirmed by its POST
    PortalLink.objects.filter(pk=link.pk).update(confirmed_at=timezone.now())
    assert portal_link_confirmed(link_id=link.pk) is not None
    PortalLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    assert portal_link_confirmed(link_id=link.pk) is None
    assert portal_link_confirmed(link_id=link.pk + 1000) is None


def test_a_session_holding_no_id_is_no_portal_session(carol, alice):
    http, _link = _portal(carol, alice)
    session = http.session
    session[SESSION_KEY] = "not-an-id"
    session.save()
    assert http.get(reverse("portal:home")).status_code == 404


def test_archived_client_ends_the_portal_session(carol, alice, acme):
    http, _link = _portal(carol, alice)
    assert http.get(reverse("portal:home")).status_code == 200
    client_archive(client=acme, actor=alice.user)
    assert http.get(reverse("portal:home")).status_code == 404


def test_portal_home_does_not_read_deliverables(carol, alice, layouts, django_assert_num_queries):
    with django_assert_num_queries(2):  # projects with progress, their milestones
        projects = list(portal_projects(contact=carol, with_deliverables=False))
    assert projects[0].visible_milestones[0].title == "Page designs"
    with django_assert_num_queries(3):
        projects = list(portal_projects(contact=carol))
        assert [d.title for d in projects[0].visible_milestones[0].deliverables.all()] == [
            "Page layouts"
        ]


def test_ask_for_a_change_only_with_a_project_the_form_offers(carol, alice, website):
    http, _link = _portal(carol, alice)
    change_new = reverse("portal:change_new")
    assert change_new in http.get(reverse("portal:home")).content.decode()
    # A closed project is not offered by the change form, so the home does not link to it.
    Project.objects.filter(pk=website.pk).update(status=Project.Status.CLOSED)
    assert change_new not in http.get(reverse("portal:home")).content.decode()


def test_prepared_home_reads_are_each_contacts_own(carol, alice, website, design_milestone):
    from datetime import date, timedelta

    from rapport.clients.services import client_create, contact_create
    from rapport.portal import selectors
    from rapport.projects.services import milestone_create, project_create

    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other Ltd")
    dan = contact_create(client=other, actor=alice.user, name="Dan", email="dan@other.example")
    theirs = project_create(client=other, actor=alice.user, title="Theirs", status="active")
    milestone_create(
        project=theirs, actor=alice.user, title="Their step", due_date=date.today() + timedelta(3)
    )
    today = date.today()
    for contact in (carol, dan, carol):
        home = selectors.portal_home_projects(contact)
        assert [p.pk for p in home] == [
            p.pk for p in selectors.portal_projects(contact=contact, with_deliverables=False)
        ]
        assert {p.client_id for p in home} == {contact.client_id}
        dates = selectors.portal_home_next_dates(contact, today=today)
        assert [m.pk for m in dates] == [
            m.pk for m in selectors.portal_next_dates(contact=contact, today=today)
        ]
        assert dates and {m.project.client_id for m in dates} == {contact.client_id}
