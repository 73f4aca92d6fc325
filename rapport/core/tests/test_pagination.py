"""The staff lists' Paginator: Django's pages, with no COUNT when the first page holds all."""

from __future__ import annotations

import pytest
from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from pytest_django import DjangoAssertNumQueries

from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.conftest import Persona
from rapport.core.pagination import Paginator


@pytest.fixture
def five_clients(alice: Persona) -> None:
    for n in range(5):
        client_create(workspace=alice.workspace, actor=alice.user, name=f"Client {n}")


def _clients(alice: Persona) -> QuerySet[Client]:
    return Client.objects.filter(workspace=alice.workspace).order_by("name", "id")


def _same(page: Page[Client], expected: Page[Client]) -> None:
    assert [c.name for c in page.object_list] == [c.name for c in expected.object_list]
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert page.has_next() == expected.has_next()
    assert page.has_previous() == expected.has_previous()


def test_first_page_holding_every_row_needs_no_count(
    alice: Persona, five_clients: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):  # the page itself, no COUNT(*)
        page = Paginator(_clients(alice), 5).get_page(None)
        assert page.paginator.count == 5 and not page.has_next()
    with django_assert_num_queries(1):
        assert (
            Paginator(_clients(alice).filter(name="nobody"), 5).get_page("1").paginator.count == 0
        )


def test_longer_lists_are_counted_once(
    alice: Persona, five_clients: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):  # the page (and one row more), then the count
        page = Paginator(_clients(alice), 2).get_page(1)
        assert [c.name for c in page] == ["Client 0", "Client 1"]
        assert page.paginator.count == 5 and page.has_next()


@pytest.mark.parametrize("number", [None, "", "1", 1, "x", "1.5", "2", 3, "3", "99", "0", "-1"])
@pytest.mark.parametrize("per_page,orphans", [(2, 0), (5, 0), (2, 1), (4, 1)])
def test_pages_are_djangos(
    alice: Persona, five_clients: None, number: int | str | None, per_page: int, orphans: int
) -> None:
    ours = Paginator(_clients(alice), per_page, orphans=orphans).get_page(number)
    django = DjangoPaginator(_clients(alice), per_page, orphans=orphans).get_page(number)
    _same(ours, django)


def test_page_by_number_is_djangos(alice: Persona, five_clients: None) -> None:
    _same(Paginator(_clients(alice), 2).page(1), DjangoPaginator(_clients(alice), 2).page(1))
    _same(Paginator(_clients(alice), 2).page(3), DjangoPaginator(_clients(alice), 2).page(3))
