"""Forms of a legal identity (Settings → Business for the workspace, the client form for a
client) and the view that saves the workspace's. The checks live in ``accounts.business``."""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from rapport.accounts import business
from rapport.accounts.access import StaffRequest, membership_of, workspace_of
from rapport.accounts.models import LegalIdentity, Workspace
from rapport.accounts.views import settings_post

BUSINESS_PREFIX = "biz"
# The countries whose papers Rapport knows by heart come first in the list.
FIRST_COUNTRIES = ("GR", "RO", "ID")


def country_choices() -> list[tuple[str, str]]:
    """ISO countries named in the viewer's language, Greece, Romania and Indonesia first."""
    try:
        locale = Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    names = {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "EZ", "UN", "QO")
    }
    first = [(code, names[code]) for code in FIRST_COUNTRIES if code in names]
    rest = sorted(
        ((c, n) for c, n in names.items() if c not in FIRST_COUNTRIES), key=lambda p: p[1]
    )
    return [("", "—"), *first, *rest]


class IdentityForm(forms.Form):
    """Legal name, address and tax ids; the service checks tax ids by country."""

    legal_name = forms.CharField(label=_lazy("Legal name"), max_length=200, required=False)
    street = forms.CharField(label=_lazy("Street and number"), max_length=200, required=False)
    postal_code = forms.CharField(label=_lazy("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_lazy("City"), max_length=100, required=False)
    country = forms.ChoiceField(label=_lazy("Country"), required=False, choices=())
    tax_id = forms.CharField(
        label=_lazy("Tax id"),
        max_length=32,
        required=False,
        help_text=_lazy("ΑΦΜ in Greece, CUI/CIF in Romania, NPWP in Indonesia."),
    )
    tax_office = forms.CharField(
        label=_lazy("Tax office (ΔΟΥ)"), max_length=100, required=False, help_text=_lazy("Greece.")
    )
    trade_register = forms.CharField(
        label=_lazy("Trade register number"),
        max_length=32,
        required=False,
        help_text=_lazy("Romania: Nr. Reg. Com., e.g. J40/1234/2020."),
    )
    vat_number = forms.CharField(
        label=_lazy("EU VAT number"),
        max_length=20,
        required=False,
        help_text=_lazy("With its country code, e.g. EL094259216 or RO18547290."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]

    def identity(self) -> business.Identity:
        return business.Identity(
            **{name: self.cleaned_data.get(name) or "" for name in business.IDENTITY_FIELDS}
        )


def identity_initial(party: LegalIdentity) -> dict[str, str]:
    return {name: getattr(party, name) for name in business.IDENTITY_FIELDS}


class BusinessForm(IdentityForm):
    """Settings → Business: the identity, plus the logo and brand colour on every paper."""

    logo = forms.FileField(
        label=_lazy("Logo"),
        required=False,
        help_text=_lazy("PNG or JPEG, at most 512 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    brand_color = forms.CharField(
        label=_lazy("Brand colour"),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
    )


def business_form(workspace: Workspace) -> BusinessForm:
    return BusinessForm(
        initial={**identity_initial(workspace), "brand_color": workspace.brand_color or "#1f4e79"},
        prefix=BUSINESS_PREFIX,
    )


@login_required
@require_POST
def business_save(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    membership = membership_of(request)
    form = BusinessForm(request.POST, request.FILES, prefix=BUSINESS_PREFIX)

    def action(data: dict[str, Any]) -> str:
        logo = data.get("logo")
        business.workspace_business_update(
            membership=membership,
            identity=form.identity(),
            brand_color=data.get("brand_color") or "",
            logo=logo or None,
            logo_remove=logo is False,  # ClearableFileInput's "clear" box
        )
        return _("Business details saved.")

    return settings_post(request, "business_form", form, action)


@login_required
def business_logo(request: StaffRequest) -> HttpResponse:
    """The workspace's logo, for its own members only (media files are not served)."""
    workspace = workspace_of(request)
    content = business.logo_bytes(workspace)
    if not content:
        raise Http404
    kind = "png" if content.startswith(b"\x89PNG") else "jpeg"
    response = HttpResponse(content, content_type=f"image/{kind}")
    response["Cache-Control"] = "private, max-age=300"
    return response
