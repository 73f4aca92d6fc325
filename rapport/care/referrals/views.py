"""Staff pages of referrals (P34): the chain card of the client page (loaded after the page),
and the form that records who referred a client, with a preview of the thank-you."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.model_referrals import Referral
from rapport.care.referrals import selectors
from rapport.care.referrals.forms import ReferralForm
from rapport.care.referrals.services import (
    referral_record,
    referral_remove,
    referral_thanks_message,
)
from rapport.clients.access import client_or_404
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section


@require_GET
@login_required
def client_referrals_section(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The client page's referrals card: who referred them, whom they referred, and the
    chain above and below within its depth (two queries)."""
    client = client_or_404(request, client_pk)
    chain = selectors.referral_chain(workspace_id=workspace_of(request).pk, client_id=client.pk)
    return render_section(
        request, "care/_referrals.html", {"client": client, "chain": chain}, back=client
    )


def _initial(referral: Referral | None) -> dict[str, Any]:
    if referral is None:
        return {"kind": Referral.Kind.CLIENT, "thank": True}
    return {
        "kind": referral.kind,
        "referrer_client": referral.referrer_client_id,
        "referrer_contact": referral.referrer_contact_id,
        "colleague_name": referral.colleague_name,
        "expert": referral.expert_id,
        "referred_on": referral.referred_on,
        "note": referral.note,
        "thank": referral.thanked_at is None,
    }


@login_required
def referral_edit(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Record (or correct) who referred this client; "Preview" shows the thank-you the
    referring contact would get, in their language, and sends nothing."""
    client = client_or_404(request, client_pk)
    referral = selectors.referral_get(workspace_id=workspace_of(request).pk, client_id=client.pk)
    form = ReferralForm(request.POST or None, initial=_initial(referral), client=client)
    context: dict[str, Any] = {"form": form, "client": client, "referral": referral}
    if "preview" in request.POST:
        contact = form.cleaned_data.get("referrer_contact") if form.is_valid() else None
        if contact is not None:
            draft = Referral(client=client, workspace_id=client.workspace_id)
            subject, text = referral_thanks_message(referral=draft, contact=contact)
            context["preview"] = {
                "contact": contact,
                "language": contact.effective_language,
                "subject": subject,
                "text": text,
            }
        return render_form(request, "care/referral_form.html", context)
    saved = form_save(
        request,
        form,
        lambda: referral_record(
            client=client,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            referrer_client=form.cleaned_data["referrer_client"],
            referrer_contact=form.cleaned_data["referrer_contact"],
            colleague_name=form.cleaned_data["colleague_name"],
            expert=form.cleaned_data["expert"],
            referred_on=form.cleaned_data["referred_on"],
            note=form.cleaned_data["note"],
            thank=form.cleaned_data["thank"],
        ),
    )
    if saved is not None:
        if saved.thanked_at is not None and saved.kind == Referral.Kind.CONTACT:
            messages.success(request, _("Recorded; the thank-you is on its way."))
        else:
            messages.success(request, _("The referral is on record."))
        return redirect("clients:detail", client.pk)
    return render_form(request, "care/referral_form.html", context)


@require_POST
@login_required
def referral_remove_view(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Forget who referred this client (recorded by mistake)."""
    client = client_or_404(request, client_pk)
    referral = selectors.referral_get(workspace_id=workspace_of(request).pk, client_id=client.pk)
    if referral is not None:
        referral_remove(referral=referral)
        messages.success(request, _("The referral is removed."))
    return redirect("clients:detail", client.pk)
