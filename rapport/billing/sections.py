"""The billing sections of pages that lower apps own, loaded after the page (core.sections):
the client page's balance and the project page's billing panel (kickoff, invoices, time)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.billing import selectors
from rapport.billing.forms import TimeEntryForm
from rapport.clients.access import client_or_404
from rapport.core.clock import workspace_today
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404


@login_required
@require_GET
def client_balance(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Invoiced, paid and outstanding per currency (one query)."""
    client = client_or_404(request, client_pk)
    return render_section(
        request,
        "billing/_client_balance.html",
        {"client": client, "balances": selectors.client_balance(client)},
        back=client,
    )


@login_required
@require_GET
def project_billing(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The kickoff checklist, the invoices and the time of the project (three queries), with
    the form to record time."""
    project = project_or_404(request, project_pk, progress=False)
    today = workspace_today(workspace_of(request))
    context = {
        "project": project,
        "billing": selectors.project_billing(project),
        "time_form": TimeEntryForm(initial={"worked_on": today}),
    }
    return render_section(request, "billing/_project.html", context, back=project)
