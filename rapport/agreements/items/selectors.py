"""Reads of saved line items (one query each)."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.accounts.models import Workspace
from rapport.agreements.models import SavedItem


def saved_items(*, workspace: Workspace, archived: bool = False) -> QuerySet[SavedItem]:
    """The workspace's items, active (or archived ones), by description."""
    items = SavedItem.objects.for_workspace(workspace)
    return (items.archived() if archived else items.active()).order_by("description", "id")


def saved_item_get(*, workspace: Workspace, pk: int) -> SavedItem | None:
    item: SavedItem | None = SavedItem.objects.for_workspace(workspace).filter(pk=pk).first()
    return item
