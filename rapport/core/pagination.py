"""Pagination for the staff lists: Django's Paginator, counting only when it must."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator


def _asks_for_first_page(number: Any) -> bool:
    """As Django's ``get_page`` reads ``number``: a missing or non-integer page is the first."""
    try:
        return int(number) == 1
    except (TypeError, ValueError):
        return True


class Paginator[T](DjangoPaginator[T]):
    """Django's Paginator that reads the first page before it counts.

    Django counts every row before it reads a page (``COUNT(*)`` over the whole filtered
    list, the costliest query of a search). When the first page is asked for, this one reads
    that page and one row more: if the row more is not there, the page holds every row and
    the count is its length, with no ``COUNT``. Otherwise, and for every other page, it
    counts as Django does. Pages, numbers and errors are Django's.
    """

    def get_page(self, number: Any) -> Page[T]:
        if _asks_for_first_page(number):
            return self.page(1)
        return super().get_page(number)

    def page(self, number: Any) -> Page[T]:
        if "count" in self.__dict__ or not _asks_for_first_page(number):
            return super().page(number)
        # A first page is at most per_page + orphans rows (orphans join the page before).
        whole = self.per_page + self.orphans
        rows = list(self.object_list[: whole + 1])
        if len(rows) <= whole:
            self.__dict__["count"] = len(rows)  # Django's cached_property, known already
            return Page(rows, 1, self)
        return Page(rows[: self.per_page], 1, self)
