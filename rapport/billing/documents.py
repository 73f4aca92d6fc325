"""The invoice PDF (Typst), in the invoice's language (the client contact's).

Labels are translated and amounts and dates formatted here, in Python, then passed as JSON
data: a client's text is never markup. The PDF is rendered once when the invoice is issued
and its SHA-256 kept; the portal and the staff UI serve those stored bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rapport.accounts.business import identity_lines, logo_bytes
from rapport.billing.models import Invoice, InvoiceLine, PaymentMethod
from rapport.billing.payment_methods import iban_display, payment_methods_for
from rapport.core import formatting
from rapport.core.pdf import render_pdf

BABEL_LOCALES = {"en": "en_GB", "el": "el_GR", "ro": "ro_RO", "id": "id_ID"}


def money_text(amount: Decimal, currency: str, language: str) -> str:
    """An amount as a reader of ``language`` writes it: "1.234,50 €" in Greek."""
    return formatting.money_text(amount, currency, language)


def method_rows(method: PaymentMethod) -> list[tuple[str, str]]:
    """The details of one payment method as (label, value) rows, in the active language."""
    rows: list[tuple[str, str]] = []
    if method.account_holder:
        rows.append((_("Account holder"), method.account_holder))
    if method.iban:
        rows.append(("IBAN", iban_display(method.iban)))
    if method.bic:
        rows.append(("BIC", method.bic))
    if method.email:
        rows.append((_("Email"), method.email))
    if method.url:
        rows.append((_("Link"), method.url))
    if method.instructions:
        rows.append((_("How"), method.instructions))
    return rows


def tax_breakdown(lines: list[InvoiceLine], currency: str, language: str) -> list[dict[str, str]]:
    """One row per tax rate: the taxable amount, the rate and the tax (P10). Greek, Romanian
    and Indonesian invoices, and the EU VAT directive, ask for tax per rate, not one total."""
    locale = BABEL_LOCALES.get(language, "en_GB")
    rates: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in lines:
        net, tax = rates.get(line.tax_rate, (Decimal(0), Decimal(0)))
        rates[line.tax_rate] = (net + line.net, tax + line.tax)
    return [
        {
            "rate": format_decimal(rate, format="#,##0.##", locale=locale) + " %",
            "base": money_text(net, currency, language),
            "tax": money_text(tax, currency, language),
        }
        for rate, (net, tax) in sorted(rates.items())
    ]


def _supply(invoice: Invoice) -> dict[str, str]:
    """The date of supply or the service period, when it differs from the issue date (EU
    VAT Directive art. 226(7)); empty strings otherwise. In the active language."""
    on, until = invoice.supplied_on, invoice.supplied_until
    if on is None or (until is None and on == invoice.issue_date):
        return {"supply_label": "", "supply": ""}
    if until is None:
        return {"supply_label": _("Date of supply"), "supply": date_format(on, "DATE_FORMAT")}
    period = f"{date_format(on, 'DATE_FORMAT')} – {date_format(until, 'DATE_FORMAT')}"
    return {"supply_label": _("Service period"), "supply": period}


def _labels() -> dict[str, str]:
    return {
        "page": _("Page"),
        "issued": _("Issued"),
        "due": _("Due"),
        "from": _("From"),
        "to": _("To"),
        "attention": _("For the attention of"),
        "project": _("Project"),
        "lines": _("Details"),
        "description": _("Description"),
        "quantity": _("Qty"),
        "unit_price": _("Unit price"),
        # The column of each line's rate: "Cotă TVA" on a Romanian invoice, not "Rată".
        "tax_rate": pgettext("invoice column", "Tax rate"),
        "amount": _("Amount"),
        "goodwill_note": _("Goodwill: given at no charge"),
        "tax_by_rate": _("Tax by rate"),
        "taxable": _("Taxable amount"),
        "rate": pgettext("invoice column", "Rate"),
        "subtotal": _("Subtotal"),
        "tax": _("Tax"),
        "prorated": _("in proportion to the quote's taxes"),
        "total": _("Total"),
        "paid": _("Paid"),
        "balance": _("Balance due"),
        "notes": _("Notes"),
        "how_to_pay": _("How to pay"),
        "ask_us": _("Ask us how you would like to pay."),
        "reference_hint": _("Please quote the invoice number with your payment."),
        "thank_you": _("Thank you for working with us."),
    }


def invoice_pdf_data(
    invoice: Invoice, methods: list[PaymentMethod] | None = None
) -> dict[str, Any]:
    """Everything the PDF shows, translated and formatted in the invoice's language."""
    language = invoice.language or invoice.client.language
    currency = invoice.currency
    workspace = invoice.client.workspace
    if methods is None:
        methods = list(payment_methods_for(invoice.workspace_id))
    with translation.override(language):
        locale = BABEL_LOCALES.get(language, "en_GB")
        lines = list(invoice.lines.all())
        goodwill_hours = sum(
            (Decimal(line.quantity) for line in lines if line.goodwill), Decimal(0)
        )
        return {
            "title": str(Invoice.Kind(invoice.kind).label) + " · " + _("Invoice"),
            "language": language,
            "number": invoice.display_number or _("Draft"),
            "issue_date": date_format(invoice.issue_date, "DATE_FORMAT")
            if invoice.issue_date
            else "—",
            "due_date": date_format(invoice.due_date, "DATE_FORMAT") if invoice.due_date else "—",
            **_supply(invoice),
            "provider": identity_lines(workspace, fallback_name=workspace.name),
            "client": identity_lines(invoice.client, fallback_name=invoice.client.name),
            # Typst reads an image from bytes; JSON carries them as a list of numbers.
            "logo": list(logo_bytes(workspace)),
            "brand_color": workspace.brand_color or "#000000",
            "tax_rates": tax_breakdown(lines, currency, language),
            "contact": invoice.contact.name if invoice.contact else "",
            "project": invoice.project.title if invoice.project else "",
            "lines": [
                {
                    "description": line.description,
                    "quantity": format_decimal(line.quantity, format="#,##0.##", locale=locale)
                    + (f" {line.unit}" if line.unit else ""),
                    "unit_price": money_text(line.unit_price, currency, language),
                    "tax_rate": format_decimal(line.tax_rate, format="#,##0.##", locale=locale)
                    + " %",
                    "net": money_text(line.net, currency, language),
                    "goodwill": line.goodwill,
                }
                for line in lines
            ],
            "subtotal": money_text(invoice.subtotal, currency, language),
            "tax_total": money_text(invoice.tax_total, currency, language),
            # A stage invoice of a quote with several tax rates splits its tax pro rata.
            "tax_prorated": invoice.stage is not None
            and invoice.stage.quote.agreed_lines().values("tax_rate").distinct().count() > 1,
            "total": money_text(invoice.total, currency, language),
            "paid_total": money_text(invoice.paid_total, currency, language)
            if invoice.paid_total
            else "",
            "balance": money_text(invoice.balance, currency, language),
            "goodwill_hours": _("Included at no charge: %(hours)s hours of work, as goodwill.")
            % {"hours": format_decimal(goodwill_hours, format="#,##0.##", locale=locale)}
            if goodwill_hours
            else "",
            "notes": invoice.notes,
            "methods": [
                {
                    "label": m.label,
                    "kind_label": str(PaymentMethod.Kind(m.kind).label),
                    "rows": method_rows(m),
                }
                for m in methods
            ],
            "labels": _labels(),
        }


def invoice_pdf_render(invoice: Invoice) -> bytes:
    """The PDF bytes of ``invoice`` as it stands (stored once, when it is issued)."""
    moment = (
        datetime.combine(invoice.issue_date, datetime.min.time(), tzinfo=UTC)
        if invoice.issue_date
        else datetime.now(UTC)
    )
    return render_pdf("invoice", invoice_pdf_data(invoice), created_at=moment)
