"""The quote in the portal (P06, P07): the contact reads it in their language and accepts it
(a POST with a confirmation) or declines it with feedback.

Every lookup goes through the session's contact: a quote of another client is a 404, and a
draft is never shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.business import identity_lines, logo_bytes
from rapport.agreements.models import Quote
from rapport.agreements.quotes import selectors, services
from rapport.agreements.quotes.packages import quote_price
from rapport.care.keepintouch.selectors import quote_loyalty_offer
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.portal.views import home_section, portal_view

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read this quote and I accept it: its work, price and payment schedule.")
    )


class DeclineForm(forms.Form):
    feedback = forms.CharField(
        label=_("Why not? What would work better for you?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _quote_or_404(
    contact: Contact, pk: int
) -> WithAnnotations[Quote, selectors.PortalQuoteVersions]:
    quote = selectors.portal_quote_get(contact=contact, pk=pk)
    if quote is None:
        raise Http404
    return quote


def _page(
    request: HttpRequest,
    contact: Contact,
    quote: WithAnnotations[Quote, selectors.PortalQuoteVersions],
    *,
    accept_form: AcceptForm | None = None,
    decline_form: DeclineForm | None = None,
    error: str = "",
    package_error: str = "",
    chosen_value: str = "",
    status: int = 200,
) -> HttpResponse:
    newest = (
        selectors.portal_newest_version(contact=contact, quote=quote) if quote.has_newer else None
    )
    price = quote_price(quote)
    is_open = quote.status == Quote.Status.SENT
    workspace = contact.client.workspace
    context = {
        "seller": identity_lines(workspace, fallback_name=workspace.name),
        "buyer": identity_lines(contact.client, fallback_name=contact.client.name),
        "has_logo": bool(workspace.logo),
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "quote": quote,
        "price": price,
        # The package radios sit in each package's card and belong to the accept form.
        "choose_form": "quote-accept" if is_open and price.packages else "",
        "chosen_value": chosen_value,
        "package_error": package_error,
        "newest": newest,
        "open": is_open,
        "accept_form": accept_form or AcceptForm(),
        "decline_form": decline_form or DeclineForm(),
        "error": error,
        # A returning client's loyalty note, attached to this quote by care (P31, P34).
        "loyalty": quote_loyalty_offer(workspace=workspace, quote_id=quote.pk),
    }
    return render(request, "portal/quote.html", context, status=status)


@portal_view
def quote(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    return _page(request, contact, _quote_or_404(contact, pk))


@require_POST
@portal_view
def quote_accept(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    found = _quote_or_404(contact, pk)
    form = AcceptForm(request.POST)
    posted = request.POST.get("package", "")
    if not form.is_valid():
        return _page(request, contact, found, accept_form=form, chosen_value=posted, status=400)
    package_id = int(posted) if posted.isdigit() else None
    try:
        services.quote_accept(quote=found, contact=contact, package_id=package_id)
    except ApplicationError as exc:
        if exc.field == "package":
            return _page(request, contact, found, package_error=exc.message, status=400)
        return _page(request, contact, found, error=exc.message, status=409)
    return redirect("portal:quote", found.pk)


@require_POST
@portal_view
def quote_decline(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    found = _quote_or_404(contact, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _page(request, contact, found, decline_form=form, status=400)
    try:
        services.quote_decline(quote=found, contact=contact, feedback=form.cleaned_data["feedback"])
    except ApplicationError as exc:
        if exc.field == "feedback":
            form.add_error("feedback", exc.message)
            return _page(request, contact, found, decline_form=form, status=400)
        return _page(request, contact, found, error=exc.message, status=409)
    return redirect("portal:quote", found.pk)


@require_GET
@portal_view
def business_logo(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The logo of the contact's provider, shown on the quote and document pages (media
    files are not served publicly)."""
    content = logo_bytes(contact.client.workspace)
    if not content:
        raise Http404
    kind = "png" if content.startswith(b"\x89PNG") else "jpeg"
    response = HttpResponse(content, content_type=f"image/{kind}")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@portal_view
def home_quotes(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The portal home's quotes: the current version of each (one query), loaded after the
    home."""
    context = {"quotes": selectors.portal_current_quotes(contact=contact)}
    return home_section(request, contact, "portal/quote_list.html", context)
