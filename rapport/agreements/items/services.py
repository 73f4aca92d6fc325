"""Saved line items: written here, checked as a quote line is (P07).

A saved item is what a quote line is made of (description, kind, unit, price, tax rate) with
its currency. Refusals name the field and write nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import Workspace
from rapport.agreements.models import QuoteLine, SavedItem
from rapport.core.errors import ApplicationError
from rapport.core.money import currency_check, parse_amount, parse_rate

# A catalogue, not a price list of thousands: the picker in the builder lists them all.
MAX_ITEMS = 200


@dataclass(frozen=True)
class ItemInput:
    """An item as typed (values parsed by :func:`saved_item_clean`)."""

    description: str
    unit_price: object
    currency: str
    kind: str = QuoteLine.Kind.FIXED
    unit: str = ""
    tax_rate: object = "0"


def saved_item_clean(data: ItemInput) -> dict[str, object]:
    """The item's values, parsed; an ``ApplicationError`` naming the field otherwise."""
    description = " ".join((data.description or "").split())
    if not description:
        raise ApplicationError(_("Describe the work."), field="description")
    if len(description) > 300:
        raise ApplicationError(_("At most 300 characters."), field="description")
    if data.kind not in QuoteLine.Kind.values:
        raise ApplicationError(_("Choose fixed, hourly or per unit."), field="kind")
    unit = (data.unit or "").strip()
    if len(unit) > 40:
        raise ApplicationError(_("At most 40 characters."), field="unit")
    currency = currency_check(data.currency)
    price = parse_amount(data.unit_price, field="unit_price", currency=currency, allow_zero=False)
    rate = parse_rate(data.tax_rate if str(data.tax_rate or "").strip() else "0", field="tax_rate")
    return {
        "description": description,
        "kind": data.kind,
        "unit": unit,
        "currency": currency,
        "unit_price": price,
        "tax_rate": rate,
    }


def _duplicate_check(workspace_id: int, values: Mapping[str, object], exclude: int | None) -> None:
    same = (
        SavedItem.objects.for_workspace(workspace_id)
        .active()
        .filter(description__iexact=values["description"], currency=values["currency"])
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ApplicationError(
            _("“%(name)s” is already a saved item in %(currency)s; edit that one instead.")
            % {"name": values["description"], "currency": values["currency"]},
            field="description",
        )


@transaction.atomic
def saved_item_create(*, workspace: Workspace, data: ItemInput) -> SavedItem:
    """A new saved item of ``workspace``. Refused: a bad value (named), an active item of the
    same description and currency, more than 200 active items."""
    values = saved_item_clean(data)
    # The lock orders two saves of the same line (a double click) so the second sees the first.
    Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
    _duplicate_check(workspace.pk, values, exclude=None)
    if SavedItem.objects.for_workspace(workspace).active().count() >= MAX_ITEMS:
        raise ApplicationError(
            _("At most %(max)s saved items; archive some you no longer use.") % {"max": MAX_ITEMS},
            field="description",
        )
    item: SavedItem = SavedItem.objects.create(workspace=workspace, **values)
    return item


@transaction.atomic
def saved_item_update(*, item: SavedItem, data: ItemInput) -> SavedItem:
    """Change a saved item; quotes that used it keep their own copy of the line."""
    values = saved_item_clean(data)
    item = SavedItem.objects.select_for_update().get(pk=item.pk)
    _duplicate_check(item.workspace_id, values, exclude=item.pk)
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def saved_item_archive(*, item: SavedItem, archived: bool = True) -> SavedItem:
    """Archive an item (the builder no longer offers it) or bring it back."""
    item = SavedItem.objects.select_for_update().get(pk=item.pk)
    if not archived and item.archived_at is not None:
        active = {"description": item.description, "currency": item.currency}
        _duplicate_check(item.workspace_id, active, exclude=item.pk)
    item.archived_at = timezone.now() if archived else None
    item.save(update_fields=["archived_at", "updated_at"])
    return item


def plain(value: Decimal) -> str:
    """1000.0000 -> "1000", 12.5000 -> "12.5": how a price goes back into a form field."""
    return format(value.normalize(), "f")
