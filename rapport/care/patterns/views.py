"""The client-pattern page (P25): the client-caused problems of the window, what to say on
the call and a contract clause for next time, both in the client's language."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, membership_of
from rapport.care.patterns.detect import PATTERN_DAYS, PATTERN_EVENTS, pattern_window_problems
from rapport.care.patterns.forms import ClauseForm
from rapport.care.patterns.services import pattern_clause_add
from rapport.care.patterns.texts import clause_text, conversation_text
from rapport.clients.access import client_or_404
from rapport.clients.models import Client
from rapport.core.form_views import form_save


def _page(request: StaffRequest, client: Client, form: ClauseForm | None = None) -> HttpResponse:
    events = pattern_window_problems(client_id=client.pk, now=timezone.now())
    contact = client.contacts.filter(archived_at__isnull=True).order_by("name", "id").first()
    context: dict[str, Any] = {
        "client": client,
        "events": events,
        "reached": len(events) >= PATTERN_EVENTS,
        "pattern_events": PATTERN_EVENTS,
        "pattern_days": PATTERN_DAYS,
        "conversation": conversation_text(
            client=client,
            contact_name=contact.name if contact is not None else client.name,
            events=events,
        ),
        "form": form or ClauseForm(initial={"clause": clause_text(language=client.language)}),
        "is_owner": membership_of(request).is_owner,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "care/client_pattern.html", context, status=status)


@require_GET
@login_required
def client_pattern(request: StaffRequest, client_pk: int) -> HttpResponse:
    return _page(request, client_or_404(request, client_pk))


@require_POST
@login_required
def client_pattern_clause(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Add the clause, as edited, to the contract terms in the client's language."""
    client = client_or_404(request, client_pk)
    form = ClauseForm(request.POST)
    saved = form_save(
        request,
        form,
        lambda: pattern_clause_add(
            membership=membership_of(request),
            client=client,
            clause=form.cleaned_data["clause"],
        ),
    )
    if saved is not None:
        messages.success(request, _("The clause is in your contract terms for the next contract."))
        return redirect("care:client_pattern", client.pk)
    return _page(request, client, form)
