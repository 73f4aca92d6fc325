"""Settings → Business, included into the settings page (``business_forms`` saves it)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.accounts.business_forms import business_form, country_choices
from rapport.accounts.models import Membership

register = template.Library()


@register.inclusion_tag("accounts/_business_settings.html", takes_context=True)
def business_settings(context: template.Context, membership: Membership) -> dict[str, Any]:
    """The form as the workspace has it, or as just posted with its errors (``business_form``
    in the page's context); members read the details."""
    workspace = membership.workspace
    return {
        "form": context.get("business_form") or business_form(workspace),
        "membership": membership,
        "workspace": workspace,
        "country": dict(country_choices()).get(workspace.country, ""),
    }
