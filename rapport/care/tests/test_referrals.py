"""Referrals (P34): who referred whom, refusals that name the field, no loops, the thank-you
in the referrer's language, the chain within its depth, and referrals by month."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.care.model_referrals import Referral
from rapport.care.referrals.selectors import (
    chain_ids,
    referral_chain,
    referral_counts,
    referrals_by_month,
)
from rapport.care.referrals.services import referral_record
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Notification

NOON = datetime(2026, 5, 14, 9, 0, tzinfo=ZoneInfo("UTC"))


def _client(alice: Persona, name: str) -> Client:
    return client_create(workspace=alice.workspace, actor=alice.user, name=name)


def _refer(alice: Persona, client: Client, referrer: Client) -> Referral:
    return referral_record(
        client=client, actor=alice.user, kind=Referral.Kind.CLIENT, referrer_client=referrer
    )


def test_a_contacts_referral_thanks_them_in_their_language(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    beta = _client(alice, "Beta Bakery")
    referral = referral_record(
        client=beta,
        actor=alice.user,
        kind=Referral.Kind.CONTACT,
        referrer_contact=carol,
        thank=True,
    )
    assert referral.referrer_client_id == acme.pk and referral.thanked_at is not None
    note = Notification.objects.get(kind="referral_thanks", contact=carol)
    assert note.language == "el"
    assert "Beta Bakery" in note.body and "Carol" in note.body
    # Recording it again (a correction) does not thank twice.
    referral_record(
        client=beta,
        actor=alice.user,
        kind=Referral.Kind.CONTACT,
        referrer_contact=carol,
        thank=True,
    )
    assert Notification.objects.filter(kind="referral_thanks").count() == 1
    assert Referral.objects.filter(client=beta).count() == 1


def test_no_thanks_unless_asked_and_none_to_a_colleague(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    beta, gamma = _client(alice, "Beta"), _client(alice, "Gamma")
    referral_record(client=beta, actor=alice.user, kind="contact", referrer_contact=carol)
    referral_record(
        client=gamma, actor=alice.user, kind="colleague", colleague_name="Nikos", thank=True
    )
    assert not Notification.objects.filter(kind="referral_thanks").exists()
    assert Referral.objects.get(client=gamma).referrer_name == "Nikos"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "friend"}, "kind"),
        ({"kind": "client"}, "referrer_client"),
        ({"kind": "contact"}, "referrer_contact"),
        ({"kind": "colleague"}, "colleague_name"),
        ({"kind": "colleague", "colleague_name": "x" * 201}, "colleague_name"),
        ({"kind": "colleague", "colleague_name": "N", "note": "x" * 501}, "note"),
        (
            {"kind": "colleague", "colleague_name": "N", "referred_on": date(2999, 1, 1)},
            "referred_on",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    alice: Persona, acme: Client, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as caught:
        referral_record(client=acme, actor=alice.user, **kwargs)  # type: ignore[arg-type]
    assert field in caught.value.errors
    assert not Referral.objects.exists()


def test_a_client_cannot_refer_itself_nor_close_a_loop(alice: Persona, acme: Client) -> None:
    beta, gamma = _client(alice, "Beta"), _client(alice, "Gamma")
    with pytest.raises(ApplicationError) as caught:
        _refer(alice, acme, acme)
    assert "referrer_client" in caught.value.errors
    _refer(alice, beta, acme)  # acme → beta
    _refer(alice, gamma, beta)  # beta → gamma
    with pytest.raises(ApplicationError) as caught:
        _refer(alice, acme, gamma)  # gamma → acme would close the loop
    assert "loop" in str(caught.value.errors["referrer_client"][0])
    assert not Referral.objects.filter(client=acme).exists()
    # Moving beta under another referrer is no loop: the old edge is replaced.
    delta = _client(alice, "Delta")
    _refer(alice, beta, delta)
    assert Referral.objects.get(client=beta).referrer_client_id == delta.pk


def test_a_contact_of_the_client_itself_is_refused(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    with pytest.raises(ApplicationError) as caught:
        referral_record(client=acme, actor=alice.user, kind="contact", referrer_contact=carol)
    assert "referrer_contact" in caught.value.errors


def test_another_workspaces_client_contact_or_expert_is_refused(
    alice: Persona, acme: Client, mallory: Persona
) -> None:
    from rapport.care.experts.services import expert_create

    evil = client_create(workspace=mallory.workspace, actor=mallory.user, name="Evil")
    eve = contact_create(client=evil, actor=mallory.user, name="Eve", email="eve@evil.example")
    spy = expert_create(workspace=mallory.workspace, name="Spy", skills=["seo"])
    for kwargs, field in (
        ({"kind": "client", "referrer_client": evil}, "referrer_client"),
        ({"kind": "contact", "referrer_contact": eve}, "referrer_contact"),
        ({"kind": "colleague", "expert": spy}, "expert"),
    ):
        with pytest.raises(ApplicationError) as caught:
            referral_record(client=acme, actor=alice.user, **kwargs)  # type: ignore[arg-type]
        assert field in caught.value.errors
    assert not Referral.objects.exists()


def test_the_chain_shows_above_and_below_within_the_depth(
    alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    # root → acme → b → c → d → e (depth 3 below acme stops at d and says it goes on)
    root = _client(alice, "Root")
    _refer(alice, acme, root)
    b, c, d, e = (_client(alice, n) for n in ("Bee", "Cee", "Dee", "Eee"))
    _refer(alice, b, acme)
    _refer(alice, c, b)
    _refer(alice, d, c)
    _refer(alice, e, d)
    chain = referral_chain(workspace_id=alice.workspace.pk, client_id=acme.pk)
    assert [r.name for r in chain.above] == ["Root"]
    assert [(r.level, r.name) for r in chain.below] == [(1, "Bee"), (2, "Cee"), (3, "Dee")]
    assert chain.deeper and chain.referred == 1
    page = alice_http.get(reverse("care:client_referrals", args=[acme.pk]), HTTP_HX_REQUEST="1")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Root" in html and "Dee" in html and "Eee" not in html


def test_the_chain_runs_two_queries_whatever_its_size(
    alice: Persona, acme: Client, django_assert_num_queries: object
) -> None:
    previous = acme
    for i in range(6):
        nxt = _client(alice, f"C{i}")
        _refer(alice, nxt, previous)
        previous = nxt
    with django_assert_num_queries(2):  # type: ignore[operator]
        referral_chain(workspace_id=alice.workspace.pk, client_id=acme.pk)


@st.composite
def forests(draw: st.DrawFn) -> tuple[list[tuple[int, int]], int, int]:
    """A random referral forest: each node after the first may point at an earlier one."""
    size = draw(st.integers(min_value=1, max_value=25))
    edges = []
    for node in range(1, size):
        if draw(st.booleans()):
            edges.append((node, draw(st.integers(min_value=0, max_value=node - 1))))
    return edges, draw(st.integers(min_value=0, max_value=size - 1)), draw(st.integers(1, 4))


@given(forests())
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_the_chain_is_exactly_the_ancestors_and_descendants_within_the_depth(
    case: tuple[list[tuple[int, int]], int, int],
) -> None:
    edges, node, depth = case
    parent = dict(edges)
    expected_above: list[int] = []
    current = parent.get(node)
    while current is not None and len(expected_above) < depth:
        expected_above.append(current)
        current = parent.get(current)

    def level_of(child: int) -> int | None:
        steps, current = 0, child
        while current in parent and steps < depth:
            current, steps = parent[current], steps + 1
            if current == node:
                return steps
        return None

    expected_below = {c: level_of(c) for c, _p in edges}
    above, below, _deeper = chain_ids(edges, node, depth)
    assert above == expected_above
    assert {n: lvl for lvl, n in below} == {c: lvl for c, lvl in expected_below.items() if lvl}


@given(case=forests())
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_chain_page_shows_the_forest_read_from_the_database(
    case: tuple[list[tuple[int, int]], int, int], alice: Persona, alice_http: HttpClient
) -> None:
    edges, node, _depth = case
    Referral.objects.all().delete()
    Client.objects.filter(name__startswith="F").delete()
    clients = [
        client_create(workspace=alice.workspace, actor=alice.user, name=f"F{i:02d}x")
        for i in range(max([node, *[max(e) for e in edges]]) + 1)
    ]
    for child, referrer in edges:
        _refer(alice, clients[child], clients[referrer])
    above, below, _ = chain_ids(edges, node, 3)
    shown = {*above, *(n for _l, n in below)}
    html = alice_http.get(
        reverse("care:client_referrals", args=[clients[node].pk]), HTTP_HX_REQUEST="1"
    ).content.decode()
    for i, client in enumerate(clients):
        if i != node:
            assert (client.name in html) == (i in shown), (i, edges, node)


def test_referrals_by_month_counts_every_month_in_one_query(
    alice: Persona, acme: Client, mallory: Persona, django_assert_num_queries: object
) -> None:
    with time_machine.travel(NOON, tick=False):
        for day, name in (
            (date(2026, 1, 5), "A"),
            (date(2026, 1, 31), "B"),
            (date(2026, 3, 1), "C"),
        ):
            referral_record(
                client=_client(alice, name),
                actor=alice.user,
                kind="colleague",
                colleague_name="N",
                referred_on=day,
            )
        evil = client_create(workspace=mallory.workspace, actor=mallory.user, name="Evil")
        referral_record(
            client=evil,
            actor=mallory.user,
            kind="colleague",
            colleague_name="M",
            referred_on=date(2026, 1, 10),
        )
        with django_assert_num_queries(1):  # type: ignore[operator]
            months = referrals_by_month(
                workspace_id=alice.workspace.pk, start=date(2025, 12, 15), end=date(2026, 4, 2)
            )
    assert months == [
        (date(2025, 12, 1), 0),
        (date(2026, 1, 1), 2),
        (date(2026, 2, 1), 0),
        (date(2026, 3, 1), 1),
        (date(2026, 4, 1), 0),
    ]
    assert (
        referrals_by_month(
            workspace_id=alice.workspace.pk, start=date(2026, 2, 1), end=date(2026, 1, 1)
        )
        == []
    )


def test_the_referral_form_previews_the_thanks_and_records(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    beta = _client(alice, "Beta")
    url = reverse("care:referral_edit", args=[beta.pk])
    assert alice_http.get(url).status_code == 200
    data = {"kind": "contact", "referrer_contact": carol.pk, "thank": "on"}
    preview = alice_http.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200 and 'lang="el"' in preview.content.decode()
    assert not Referral.objects.exists()
    done = alice_http.post(url, data)
    assert done.status_code == 302
    assert Notification.objects.filter(kind="referral_thanks", contact=carol).count() == 1
    bad = alice_http.post(reverse("care:referral_edit", args=[acme.pk]), {"kind": "client"})
    assert bad.status_code == 400
    removed = alice_http.post(reverse("care:referral_remove", args=[beta.pk]))
    assert removed.status_code == 302 and not Referral.objects.exists()


def test_dates_are_checked_against_today_whatever_the_hour(alice: Persona, acme: Client) -> None:
    late = datetime(2026, 5, 14, 23, 30, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(late, tick=False):
        referral = referral_record(
            client=acme,
            actor=alice.user,
            kind="colleague",
            colleague_name="N",
            referred_on=date(2026, 5, 14) - timedelta(days=1),
        )
    assert referral.referred_on == date(2026, 5, 13)


def test_referral_counts_include_the_contacts_referrals(
    alice: Persona, acme: Client, carol: Contact, django_assert_num_queries: object
) -> None:
    beta, gamma, delta = (_client(alice, n) for n in ("Beta", "Gamma", "Delta"))
    referral_record(client=beta, actor=alice.user, kind="contact", referrer_contact=carol)
    _refer(alice, gamma, acme)
    _refer(alice, delta, beta)
    with django_assert_num_queries(1):  # type: ignore[operator]
        counts = referral_counts(
            workspace_id=alice.workspace.pk, client_ids=[acme.pk, beta.pk, gamma.pk]
        )
    assert counts == {acme.pk: 2, beta.pk: 1}
