"""Billing panels for pages owned by other apps: ``{% load billing %}`` then
``{% project_billing_panel project %}`` on the project page, ``{% client_balance_panel client %}``
on the client page. Each reads through a selector with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.billing import selectors
from rapport.billing.forms import TimeEntryForm
from rapport.core.clock import workspace_today

register = template.Library()


@register.inclusion_tag("billing/_project.html", takes_context=True)
def project_billing_panel(context: dict[str, Any], project: Any) -> dict[str, Any]:
    data = selectors.project_billing(project)
    workspace = getattr(context.get("request"), "workspace", None) or project.client.workspace
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "project": project,
        "billing": data,
        "time_form": TimeEntryForm(initial={"worked_on": workspace_today(workspace)}),
    }


@register.inclusion_tag("billing/_deposit_warning.html")
def project_deposit_warning(project: Any) -> dict[str, Any]:
    """ "Work before deposit" (P09): the project's deposit invoice is issued and unpaid."""
    return {"deposit_unpaid": selectors.project_billing(project).deposit_unpaid}


@register.inclusion_tag("billing/_client_balance.html", takes_context=True)
def client_balance_panel(context: dict[str, Any], client: Any) -> dict[str, Any]:
    return {
        "request": context.get("request"),
        "client": client,
        "balances": selectors.client_balance(client),
    }


@register.simple_tag
def projects_before_deposit(projects: Any) -> set[int]:
    """Ids of the listed projects working before their deposit is paid (one query, P09)."""
    return selectors.projects_working_before_deposit([p.pk for p in projects])


@register.inclusion_tag("portal/_invoices_summary.html")
def portal_invoices_summary(contact: Any) -> dict[str, Any]:
    """The portal home's invoices card: what is open, with a link to the invoices page."""

    open_invoices = selectors.portal_open_invoices(contact)
    return {"open_invoices": open_invoices}
