"""The commitment ledger pages: promises, keeping, renegotiating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.clients.access import client_or_404
from rapport.commitments import selectors, services
from rapport.commitments.access import commitment_or_404
from rapport.commitments.forms import (
    CancelForm,
    ConfirmRequestForm,
    PromiseForm,
    RenegotiateForm,
)
from rapport.commitments.models import Commitment
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form


@login_required
def ledger(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    state = request.GET.get("state", Commitment.State.OPEN)
    if state not in Commitment.State.values:
        state = ""
    page = Paginator(selectors.commitment_list(workspace=workspace, state=state), 50).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    context = {
        "page_obj": page,
        "commitments": page.object_list,
        "state": state,
        "states": Commitment.State.choices,
        "rates": selectors.keeping_rates(workspace=workspace, now=now),
        "member_rates": selectors.member_keeping_rates(workspace=workspace, now=now),
        "now": now,
    }
    return render(request, "commitments/ledger.html", context)


@login_required
def promise_new(request: StaffRequest, client_pk: int) -> HttpResponse:
    client = client_or_404(request, client_pk)
    form = PromiseForm(request.POST or None)
    promise = form_save(
        request,
        form,
        lambda: services.promise_create(
            client=client,
            actor=request.user,
            wording=form.cleaned_data["wording"],
            due_at=form.cleaned_data["due_at"],
        ),
    )
    if promise is not None:
        messages.success(request, _("Promise recorded."))
        return redirect("clients:detail", client.pk)
    return render_form(request, "commitments/promise_form.html", {"form": form, "client": client})


@login_required
@require_POST
def commitment_keep(request: StaffRequest, pk: int) -> HttpResponse:
    commitment = commitment_or_404(request, pk)
    if services.commitment_keep(commitment=commitment, actor=request.user):
        messages.success(request, _("Marked as kept."))
    return redirect("clients:detail", commitment.client_id)


@login_required
def commitment_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    """Cancel with a reason; it counts as broken unless the client agrees in the portal."""
    commitment = commitment_or_404(request, pk)
    form = CancelForm(request.POST or None)
    cancelled = form_save(
        request,
        form,
        lambda: services.commitment_cancel(
            commitment=commitment,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            tell_client=True,
        ),
    )
    if cancelled is not None:
        if cancelled:
            messages.success(
                request, _("Cancelled. The client is told and asked to agree in the portal.")
            )
        return redirect("clients:detail", commitment.client_id)
    return render_form(request, "commitments/cancel.html", {"form": form, "commitment": commitment})


@login_required
def commitment_renegotiate(request: StaffRequest, pk: int) -> HttpResponse:
    """A new date, and how the client heard of it (ADR 0016). For a milestone, "a notice from
    Rapport" leads to the delay notice, which tells the client and records the date; otherwise
    told another way, with a note, or not told (moved without notice, counted as broken)."""
    commitment = commitment_or_404(request, pk)
    form = RenegotiateForm(request.POST or None, offer_notice=commitment.milestone_id is not None)
    moved = None
    if request.method == "POST" and form.is_valid():
        later = form.cleaned_data["new_due_at"] > commitment.due_at
        if later and not form.require_answer():
            pass  # the question is on the form, unanswered
        elif later and form.wants_notice() and commitment.milestone_id is not None:
            messages.info(
                request, _("Send the delay notice: it tells the client and records the new date.")
            )
            return redirect("projects:delay_notice", commitment.milestone_id)
        else:
            moved = form_save(
                request,
                form,
                lambda: services.commitment_move(
                    commitment=commitment,
                    actor=request.user,
                    new_due_at=form.cleaned_data["new_due_at"],
                    reason=form.cleaned_data["reason"],
                    told=form.client_told() if later else None,
                ),
            )
    if moved is not None:
        messages.success(request, _("New date recorded."))
        return redirect("clients:detail", commitment.client_id)
    return render_form(
        request, "commitments/renegotiate.html", {"form": form, "commitment": commitment}
    )


@login_required
@require_POST
def promise_confirm_request(request: StaffRequest, pk: int) -> HttpResponse:
    commitment = commitment_or_404(request, pk)
    form = ConfirmRequestForm(request.POST, client_id=commitment.client_id)
    if not form.is_valid():
        messages.error(request, _("Choose a contact."))
        return redirect("clients:detail", commitment.client_id)
    try:
        services.promise_request_confirmation(
            commitment=commitment, contact=form.cleaned_data["contact"], actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sent to the client to confirm."))
    return redirect("clients:detail", commitment.client_id)
