"""The quote editor's forms. They only read the input; the service validates the quote as a
whole (amounts, schedule, dates) and names the field at fault."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.agreements.models import PaymentStage, QuoteLine
from rapport.agreements.quotes.inputs import DeliverableInput, LineInput, QuoteInput, StageInput
from rapport.clients.models import Client, Contact
from rapport.core.forms import DateInput, choice_field, model_choice_field
from rapport.core.pickers import CurrencyField
from rapport.projects.models import Milestone, Project

# No empty rows: "Add a line" fetches one (htmx) or, without JavaScript, posts the form back
# with one more (``rows_posted``).
EXTRA_ROWS = 0


class QuoteForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Send to"), queryset=Contact.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("What the client wants to achieve"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Chosen from a list, not typed (core.pickers), like the project's.
    currency = CurrencyField(label=_("Currency"))
    language = forms.ChoiceField(label=_("Language of the quote"), choices=LANGUAGE_CHOICES)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())
    out_of_scope = forms.CharField(
        label=_("Out of scope"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is not included, one item per line, as the client will read it."),
    )
    revision_free_rounds = forms.CharField(
        label=_("Free revision rounds per deliverable"), max_length=3
    )
    revision_hourly_rate = forms.CharField(
        label=_("Hourly rate after the free rounds"), max_length=24, required=False
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = client.contacts.filter(archived_at__isnull=True).order_by("name")
        model_choice_field(self, "contact").queryset = contacts
        currency = self.fields["currency"]
        if isinstance(currency, CurrencyField):
            # A saved quote's code stays selectable even if no longer in everyday use.
            currency.keep(str(self.initial.get("currency") or ""))


class RowForm(forms.Form):
    """A row of the editor's formsets; blank rows are left out of the quote."""

    def is_blank(self) -> bool:
        raise NotImplementedError


class LineForm(RowForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuoteLine.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=24, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    unit_price = forms.CharField(label=_("Unit price"), max_length=24, required=False)
    tax_rate = forms.CharField(label=_("Tax %"), max_length=8, required=False)
    # Explained once above the lines (quote_form.html), not on every row.
    package = forms.CharField(label=_("Package (optional)"), max_length=120, required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(k) for k in ("description", "unit_price"))


class DeliverableForm(RowForm):
    title = forms.CharField(label=_("Deliverable"), max_length=200, required=False)
    spec = forms.CharField(
        label=_("Specification"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    format = forms.CharField(label=_("Format"), max_length=200, required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(k) for k in ("title", "spec", "format"))


class StageForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Payment"),
        choices=[
            (PaymentStage.Kind.DEPOSIT, PaymentStage.Kind.DEPOSIT.label),
            (PaymentStage.Kind.MILESTONE, PaymentStage.Kind.MILESTONE.label),
            (PaymentStage.Kind.FINAL, PaymentStage.Kind.FINAL.label),
        ],
    )
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    percent = forms.CharField(label=_("Share of the total (%)"), max_length=8, required=False)
    amount = forms.CharField(label=_("or amount"), max_length=24, required=False)
    milestone = forms.TypedChoiceField(
        label=_("Milestone"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, milestones: list[Milestone] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "milestone").choices = [("", "—")] + [
            (m.pk, m.title) for m in (milestones or [])
        ]

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(k) for k in ("percent", "amount", "label", "milestone"))


LineFormSet = formset_factory(LineForm, extra=EXTRA_ROWS)
DeliverableFormSet = formset_factory(DeliverableForm, extra=EXTRA_ROWS)
StageFormSet = formset_factory(StageForm, extra=EXTRA_ROWS)

PREFIXES: dict[str, type[forms.BaseFormSet[Any]]] = {
    "lines": LineFormSet,
    "deliverables": DeliverableFormSet,
    "stages": StageFormSet,
}


def rows_posted(data: Any, *, remove: str = "", add: str = "") -> QueryDict:
    """The posted rows numbered 0..n-1 again, without the row ``remove`` ("lines-2") and
    with one empty row more at the end of ``add`` ("lines").

    A row removed in the page (htmx) leaves a gap in the numbering; renumbering here means
    the formsets never show a gap as a blank row, and every row is an "extra" row, so a
    removed one is simply absent rather than an invalid initial form.
    """
    posted = QueryDict(mutable=True)
    for key, values in data.lists():
        prefix, _sep, rest = key.partition("-")
        if prefix not in PREFIXES:
            posted.setlist(key, values)
    for prefix in PREFIXES:
        rows: dict[int, dict[str, list[str]]] = {}
        for key, values in data.lists():
            head, _sep, rest = key.partition("-")
            index, _sep, name = rest.partition("-")
            if head == prefix and index.isdigit() and name and f"{prefix}-{index}" != remove:
                rows.setdefault(int(index), {})[name] = values
        for new, old in enumerate(sorted(rows)):
            for name, values in rows[old].items():
                posted.setlist(f"{prefix}-{new}-{name}", values)
        posted[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + (1 if add == prefix else 0))
        posted[f"{prefix}-INITIAL_FORMS"] = "0"
    return posted


def line_inputs(forms_: list[LineForm]) -> list[LineInput]:
    return [
        LineInput(
            kind=f.cleaned_data["kind"],
            description=f.cleaned_data["description"],
            quantity=f.cleaned_data["quantity"] or "1",
            unit=f.cleaned_data["unit"],
            unit_price=f.cleaned_data["unit_price"],
            tax_rate=f.cleaned_data["tax_rate"] or "0",
            ref=f.prefix or "",
            package=f.cleaned_data.get("package") or "",
        )
        for f in forms_
    ]


def kept_rows[F: RowForm](formset: forms.BaseFormSet[F]) -> list[F]:
    """Rows with something typed in them (the others are left out, not refused)."""
    return [f for f in formset.forms if f.is_valid() and f.cleaned_data and not f.is_blank()]


class QuoteEditor:
    """The quote form and its three row formsets, read together into a ``QuoteInput``."""

    def __init__(
        self,
        data: Any | None,
        *,
        project: Project,
        milestones: list[Milestone],
        initial: dict[str, Any] | None = None,
    ) -> None:
        initial = initial or {}
        header = {k: v for k, v in initial.items() if k not in PREFIXES}
        if header.get("contact") is not None and not isinstance(header["contact"], int):
            header["contact"] = header["contact"].pk
        self.form = QuoteForm(data, client=project.client, initial=header)
        self.lines = LineFormSet(data, prefix="lines", initial=initial.get("lines"))
        self.deliverables = DeliverableFormSet(
            data, prefix="deliverables", initial=initial.get("deliverables")
        )
        stage_initial = [
            {**s, "milestone": s.get("milestone_id") or s.get("milestone")}
            for s in initial.get("stages") or []
        ]
        self.stages = StageFormSet(
            data,
            prefix="stages",
            initial=stage_initial,
            form_kwargs={"milestones": milestones},
        )

    def is_valid(self) -> bool:
        return all(
            [
                self.form.is_valid(),
                self.lines.is_valid(),
                self.deliverables.is_valid(),
                self.stages.is_valid(),
            ]
        )

    def service_input(self) -> QuoteInput:
        data = self.form.cleaned_data
        return QuoteInput(
            contact=data["contact"],
            title=data["title"],
            summary=data["summary"],
            currency=data["currency"],
            language=data["language"],
            valid_until=data["valid_until"],
            out_of_scope=data["out_of_scope"],
            revision_free_rounds=data["revision_free_rounds"],
            revision_hourly_rate=data["revision_hourly_rate"],
            lines=line_inputs(kept_rows(self.lines)),
            deliverables=[
                DeliverableInput(
                    title=f.cleaned_data["title"],
                    spec=f.cleaned_data["spec"],
                    format=f.cleaned_data["format"],
                    ref=f.prefix or "",
                )
                for f in kept_rows(self.deliverables)
            ],
            stages=[
                StageInput(
                    kind=f.cleaned_data["kind"],
                    label=f.cleaned_data["label"],
                    percent=f.cleaned_data["percent"] or None,
                    amount=f.cleaned_data["amount"] or None,
                    milestone_id=f.cleaned_data["milestone"],
                    ref=f.prefix or "",
                )
                for f in kept_rows(self.stages)
            ],
        )

    def add_error(self, field: str | None, message: str) -> None:
        """Put a service's refusal on the field it names ("lines-2-unit_price")."""
        if field:
            prefix, _sep, rest = field.partition("-")
            formsets: dict[str, forms.BaseFormSet[Any]] = {
                "lines": self.lines,
                "deliverables": self.deliverables,
                "stages": self.stages,
            }
            formset = formsets.get(prefix)
            index, _sep, name = rest.partition("-")
            if formset is not None and index.isdigit() and int(index) < len(formset.forms):
                row = formset.forms[int(index)]
                if name in row.fields:
                    row.add_error(name, message)
                    self.row_errors.append(message)
                    return
            if field in self.form.fields:
                self.form.add_error(field, message)
                return
        self.form.add_error(None, message)

    @property
    def row_errors(self) -> list[str]:
        if not hasattr(self, "_row_errors"):
            self._row_errors: list[str] = []
        return self._row_errors


def _plain(value: Decimal) -> str:
    """1000.0000 -> "1000", 12.5000 -> "12.5" (never "1E+3")."""
    return format(value.normalize(), "f")


def quote_initial(quote: Any) -> dict[str, Any]:
    """A stored quote as the editor's initial values."""
    package_names = {p.pk: p.name for p in quote.packages.all()}
    return {
        "contact": quote.contact_id,
        "title": quote.title,
        "summary": quote.summary,
        "currency": quote.currency,
        "language": quote.language,
        "valid_until": quote.valid_until,
        "out_of_scope": quote.out_of_scope,
        "revision_free_rounds": quote.revision_free_rounds,
        "revision_hourly_rate": _plain(quote.revision_hourly_rate),
        "lines": [
            {
                "kind": line.kind,
                "description": line.description,
                "quantity": _plain(line.quantity),
                "unit": line.unit,
                "unit_price": _plain(line.unit_price),
                "tax_rate": _plain(line.tax_rate),
                "package": package_names.get(line.package_id, ""),
            }
            for line in quote.lines.all()
        ],
        "deliverables": [
            {"title": d.title, "spec": d.spec, "format": d.format} for d in quote.deliverables.all()
        ],
        "stages": [
            {
                "kind": s.kind,
                "label": s.label,
                "percent": _plain(s.percent) if s.percent is not None else "",
                "amount": "" if s.percent is not None else _plain(s.amount),
                "milestone_id": s.milestone_id,
            }
            for s in quote.stages.all()
        ],
    }
