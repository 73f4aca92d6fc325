"""The channels a workspace offers its clients, in the Workspace card of the Settings page
(``channel_tags.workspace_channels_settings`` renders the form; this view saves it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, membership_of, workspace_of
from rapport.accounts.models import Workspace
from rapport.accounts.views import settings_render
from rapport.core.form_views import form_save
from rapport.core.forms import choice_field
from rapport.notifications.workspace_channels import (
    server_channels,
    workspace_channels_on,
    workspace_channels_update,
)

FORM_PREFIX = "ch"


class WorkspaceChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Channels offered to clients"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Only the channels this server has credentials for are listed; email is always on."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "channels").choices = server_channels()


def workspace_channels_form(workspace: Workspace) -> WorkspaceChannelsForm:
    """The form as the workspace has it now."""
    return WorkspaceChannelsForm(
        initial={"channels": workspace_channels_on(workspace)}, prefix=FORM_PREFIX
    )


@login_required
@require_POST
def workspace_channels_save(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    form = WorkspaceChannelsForm(request.POST, prefix=FORM_PREFIX)

    def save() -> Workspace:
        chosen = form.cleaned_data["channels"]
        return workspace_channels_update(
            membership=membership_of(request),
            channels_off=[k for k, _label in server_channels() if k not in chosen],
        )

    if form_save(request, form, save) is not None:
        messages.success(request, _("Channels saved."))
        return redirect("accounts:settings")
    return settings_render(request, status=400, channels_form=form)
