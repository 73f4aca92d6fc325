"""The decisions log in the portal (P36): the client reads what was recommended, the options
and what was decided and why, and decides an open recommendation (pick an option, say why if
they like). Every lookup goes through the session's contact: another client's decision is a
404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rapport.care.decisions.forms import PortalDecideForm
from rapport.care.decisions.selectors import client_decisions
from rapport.care.decisions.services import decision_decide
from rapport.care.model_decisions import Decision
from rapport.clients.models import Contact
from rapport.core.form_views import form_save
from rapport.portal.views import portal_view


def _decision(contact: Contact, pk: int) -> Decision:
    found = (
        client_decisions(workspace_id=contact.workspace_id, client_id=contact.client_id)
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _page(
    request: HttpRequest,
    contact: Contact,
    decision: Decision,
    *,
    form: PortalDecideForm | None = None,
) -> HttpResponse:
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "decision": decision,
        "form": form or PortalDecideForm(decision=decision),
        "decided_now": request.GET.get("decided") == "1",
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "portal/decision.html", context, status=status)


@portal_view
def decision(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    return _page(request, contact, _decision(contact, pk))


@require_POST
@portal_view
def decision_decide_view(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Decide an open recommendation: the first decision stands."""
    found = _decision(contact, pk)
    form = PortalDecideForm(request.POST, decision=found)
    decided = form_save(
        request,
        form,
        lambda: decision_decide(
            decision=found,
            option_id=form.cleaned_data["option"],
            contact=contact,
            reason=form.cleaned_data["reason"],
        ),
    )
    if decided is not None:
        return redirect(reverse("portal:decision", args=[pk]) + "?decided=1")
    return _page(request, contact, _decision(contact, pk), form=form)
