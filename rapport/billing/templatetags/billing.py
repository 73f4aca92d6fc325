"""Billing for pages owned by other apps: ``{% load billing %}`` then
``{% project_deposit_warning project %}`` at the top of the project page, and
``{% projects_before_deposit projects as ids %}`` on the projects list. Each runs one query.
The longer billing sections (the client's balance, the project's billing panel) load after
their page, from ``billing.sections``; the portal home's invoices from ``portal.billing``."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.billing import selectors

register = template.Library()


@register.inclusion_tag("billing/_deposit_warning.html")
def project_deposit_warning(project: Any) -> dict[str, Any]:
    """ "Work before deposit" (P09): the project's deposit invoice is issued and unpaid."""
    return {"deposit_unpaid": selectors.project_deposits_unpaid(project=project)}


@register.simple_tag
def projects_before_deposit(projects: Any) -> set[int]:
    """Ids of the listed projects working before their deposit is paid (one query, P09)."""
    return selectors.projects_working_before_deposit([p.pk for p in projects])
