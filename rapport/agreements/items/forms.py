"""The saved item form: it reads the input; the service checks it and names the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.agreements.items.services import ItemInput, plain
from rapport.agreements.models import QuoteLine, SavedItem


class SavedItemForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuoteLine.Kind.choices)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    unit_price = forms.CharField(label=_("Unit price"), max_length=24)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    tax_rate = forms.CharField(label=_("Tax %"), max_length=8, required=False)

    def item_input(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            description=data["description"],
            kind=data["kind"],
            unit=data["unit"],
            unit_price=data["unit_price"],
            currency=data["currency"],
            tax_rate=data["tax_rate"],
        )


def item_initial(item: SavedItem) -> dict[str, Any]:
    return {
        "description": item.description,
        "kind": item.kind,
        "unit": item.unit,
        "unit_price": plain(item.unit_price),
        "currency": item.currency,
        "tax_rate": plain(item.tax_rate),
    }


def item_row(item: SavedItem) -> dict[str, str]:
    """A quote line's fields filled from ``item`` (the builder's "Add the saved item")."""
    return {
        "kind": item.kind,
        "description": item.description,
        "quantity": "1",
        "unit": item.unit,
        "unit_price": plain(item.unit_price),
        "tax_rate": plain(item.tax_rate),
    }
