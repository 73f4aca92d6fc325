"""The handover page of a client (P27).

It lives here rather than in clients because its note starts from the client's open
promises, and clients sits below commitments (ADR 0013); the write is ``clients.handover``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.accounts.access import StaffRequest
from rapport.accounts.models import User
from rapport.accounts.selectors import member_users
from rapport.clients.access import client_or_404
from rapport.clients.handover import NOTE_MAX, handover_record
from rapport.clients.models import Client
from rapport.commitments.selectors import open_promises
from rapport.core.form_views import form_save, render_form


class HandoverForm(forms.Form):
    new_owner = forms.ModelChoiceField(
        label=gettext_lazy("New account owner"), queryset=User.objects.none()
    )
    note = forms.CharField(
        label=gettext_lazy("Handover note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "The history, the client's temperament, the open promises: what you would tell "
            "the new owner over coffee. They see it on the client page until they mark it read."
        ),
    )

    def __init__(self, *args: object, client: Client, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["new_owner"]
        assert isinstance(field, forms.ModelChoiceField)
        members = member_users(workspace=client.workspace)
        if client.account_owner_id is not None:
            members = members.exclude(pk=client.account_owner_id)
        field.queryset = members


def handover_draft(client: Client) -> str:
    """The note's starting text: the client's temperament notes and open promises, written
    out in the writer's language for them to edit."""
    parts = [_("History:"), "", _("Temperament:"), client.temperament_notes or "", ""]
    parts.append(_("Open promises:"))
    now_tz = timezone.get_current_timezone()
    for promise in open_promises(client=client):
        due = formats.date_format(promise.due_at.astimezone(now_tz), "DATE_FORMAT")
        parts.append(f"- {promise.shown_wording} ({due})")
    return "\n".join(parts).strip() + "\n"


@login_required
def client_handover(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Choose the new account owner and write the note; the client's contacts are told."""
    client = client_or_404(request, client_pk)
    initial = {} if request.method == "POST" else {"note": handover_draft(client)}
    form = HandoverForm(request.POST or None, initial=initial, client=client)
    handover = form_save(
        request,
        form,
        lambda: handover_record(
            client=client,
            actor=request.user,
            new_owner=form.cleaned_data["new_owner"],
            note=form.cleaned_data["note"],
        ),
    )
    if handover is not None:
        messages.success(request, _("Client handed over; their contacts are told."))
        return redirect("clients:detail", client.pk)
    return render_form(request, "commitments/handover_form.html", {"form": form, "client": client})
