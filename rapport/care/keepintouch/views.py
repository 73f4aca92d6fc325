"""Staff pages of keeping in touch (P30, P31, P34): the drafts waiting and the check-ins to
come, one draft to send, edit or skip, the past clients to win back, the intervals, and the
returning-client cards of the project and quote pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.care.keepintouch import selectors
from rapport.care.keepintouch.access import check_in_or_404
from rapport.care.keepintouch.forms import DraftForm, LoyaltyForm, MonthsForm
from rapport.care.keepintouch.services import (
    check_in_edit,
    check_in_send,
    check_in_skip,
    loyalty_offer_set,
    win_back_draft,
    workspace_check_in_months_set,
)
from rapport.care.model_keepintouch import CheckIn
from rapport.clients.access import client_or_404
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404


@require_GET
@login_required
def keep_in_touch(request: StaffRequest) -> HttpResponse:
    """The drafts waiting, the check-ins to come and what was sent or skipped lately."""
    workspace = workspace_of(request)
    context = {
        "waiting": selectors.check_ins_waiting(workspace=workspace),
        "coming": selectors.check_ins_coming(workspace=workspace),
        "done": selectors.check_ins_done(workspace=workspace),
        "months": workspace.check_in_months,
    }
    return render(request, "care/keepintouch/index.html", context)


def _draft_page(request: StaffRequest, check_in: CheckIn, form: DraftForm) -> HttpResponse:
    return render_form(request, "care/keepintouch/draft.html", {"check_in": check_in, "form": form})


@login_required
def check_in_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """One draft: send it as written (one click), change it first, or keep the changes."""
    check_in = check_in_or_404(request, pk)
    form = DraftForm(request.POST or None, check_in=check_in)
    if request.method == "POST" and not check_in.is_ready:
        messages.info(request, _("This message was already sent or skipped."))
        return redirect("care:check_in_detail", check_in.pk)
    sending = request.POST.get("action") != "save"
    done = form_save(
        request,
        form,
        lambda: (
            check_in_send(
                check_in=check_in,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                contact=form.cleaned_data["contact"],
            )
            if sending
            else check_in_edit(
                check_in=check_in,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        ),
    )
    if done is not None:
        if sending:
            messages.success(request, _("Sent: it goes out within the contact's hours."))
            return redirect("care:keep_in_touch")
        messages.success(request, _("Your changes are kept."))
        return redirect("care:check_in_detail", check_in.pk)
    return _draft_page(request, check_in, form)


@require_POST
@login_required
def check_in_skip_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Skip a draft: nothing is sent, and the skip is recorded."""
    check_in = check_in_or_404(request, pk)
    if check_in.is_ready:
        check_in_skip(check_in=check_in, actor=request.user)
        messages.success(request, _("Skipped; nothing was sent."))
    return redirect("care:keep_in_touch")


@require_GET
@login_required
def win_back(request: StaffRequest) -> HttpResponse:
    """Past clients, silent longest first, each with a win-back draft a click away."""
    rows = selectors.win_back_list(workspace=workspace_of(request))
    return render(request, "care/keepintouch/win_back.html", {"rows": rows})


@require_POST
@login_required
def win_back_draft_view(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Draft a win-back message to this client (or open the one waiting)."""
    client = client_or_404(request, client_pk)
    draft = win_back_draft(client=client, actor=request.user)
    return redirect("care:check_in_detail", draft.pk)


@login_required
def keep_in_touch_settings(request: StaffRequest) -> HttpResponse:
    """The months after a delivery when clients get a check-in."""
    workspace = workspace_of(request)
    form = MonthsForm(request.POST or None, initial={"check_in_months": workspace.check_in_months})
    saved = form_save(
        request,
        form,
        lambda: workspace_check_in_months_set(
            workspace=workspace, text=form.cleaned_data["check_in_months"]
        ),
    )
    if saved is not None:
        messages.success(request, _("Saved; deliveries from now on follow it."))
        return redirect("care:keep_in_touch")
    return render_form(request, "care/keepintouch/settings.html", {"form": form})


@require_GET
@login_required
def project_keep_in_touch(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The project page's card: a returning client's record and loyalty offer (loaded after
    the page, core.sections)."""
    project = project_or_404(request, project_pk, progress=False)
    returning = selectors.returning_client(
        workspace=workspace_of(request), client_id=project.client_id, exclude_project_id=project.pk
    )
    context: dict[str, Any] = {
        "client": project.client,
        "returning": returning,
        "form": LoyaltyForm(),
        "back": project.get_absolute_url(),
    }
    return render_section(request, "care/keepintouch/_returning.html", context, back=project)


@require_GET
@login_required
def quote_loyalty(request: StaffRequest, quote_pk: int) -> HttpResponse:
    """The quote page's card: a returning client's record and the offer on this quote."""
    workspace = workspace_of(request)
    quote = found_or_404(selectors.quote_get(workspace=workspace, pk=quote_pk))
    offer = selectors.quote_loyalty_offer(workspace=workspace, quote_id=quote.pk)
    returning = selectors.returning_client(
        workspace=workspace, client_id=quote.client_id, exclude_project_id=quote.project_id
    )
    discount = None
    if offer is not None and offer.discount_percent is not None:
        discount = (quote.subtotal * offer.discount_percent / Decimal(100)).quantize(
            Decimal("0.01")
        )
    context = {"quote": quote, "offer": offer, "discount": discount, "returning": returning}
    back = (quote.reference, reverse("agreements:quote_detail", args=[quote.pk]))
    return render_section(request, "care/keepintouch/_quote_loyalty.html", context, back=back)


@require_POST
@login_required
def loyalty_offer(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Offer a returning client a discount or a note on their next quote."""
    client = client_or_404(request, client_pk)
    form = LoyaltyForm(request.POST)
    offer = form_save(
        request,
        form,
        lambda: loyalty_offer_set(
            client=client,
            actor=request.user,
            discount_percent=form.cleaned_data["discount_percent"],
            note=form.cleaned_data["note"],
        ),
    )
    if offer is None:
        return render_form(
            request, "care/keepintouch/loyalty_form.html", {"form": form, "client": client}
        )
    messages.success(request, _("The offer waits for the client's next quote."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("clients:detail", client.pk)
