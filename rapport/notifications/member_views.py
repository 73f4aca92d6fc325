"""Where a member hears of new client requests and their quiet hours, in "Your preferences"
of the Settings page (``member_tags.member_notify_settings`` renders the form; this view saves
it through ``members.member_notify_update``)."""

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
from rapport.accounts.models import Membership
from rapport.accounts.views import settings_render
from rapport.core.form_views import form_save
from rapport.core.forms import TimeInput, choice_field
from rapport.notifications.members import member_channels, member_notify_update

FORM_PREFIX = "notify"


class MemberNotifyForm(forms.Form):
    notify_channel = forms.ChoiceField(
        label=gettext_lazy("Tell me of a new client request by"),
        help_text=gettext_lazy("At once, outside your quiet hours; an urgent request at once."),
    )
    notify_address = forms.CharField(
        label=gettext_lazy("Your address on that channel"),
        max_length=254,
        required=False,
        help_text=gettext_lazy(
            "A Telegram chat id, an ntfy topic, a phone number…; blank for email (your login)."
        ),
    )
    quiet_hours_start = forms.TimeField(
        label=gettext_lazy("Quiet hours from"), required=False, widget=TimeInput()
    )
    quiet_hours_end = forms.TimeField(
        label=gettext_lazy("Quiet hours until"),
        required=False,
        widget=TimeInput(),
        help_text=gettext_lazy("In your time zone, e.g. 20:00 to 08:00. Blank: none."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "notify_channel").choices = member_channels()


def member_notify_form(membership: Membership) -> MemberNotifyForm:
    """The form as the member has it now."""
    return MemberNotifyForm(
        initial={
            "notify_channel": membership.notify_channel,
            "notify_address": membership.notify_address,
            "quiet_hours_start": membership.quiet_hours_start,
            "quiet_hours_end": membership.quiet_hours_end,
        },
        prefix=FORM_PREFIX,
    )


@login_required
@require_POST
def member_notify_save(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    form = MemberNotifyForm(request.POST, prefix=FORM_PREFIX)

    def save() -> Membership:
        data = form.cleaned_data
        return member_notify_update(
            membership=membership_of(request),
            channel=data["notify_channel"],
            address=data["notify_address"],
            quiet_hours_start=data["quiet_hours_start"],
            quiet_hours_end=data["quiet_hours_end"],
        )

    if form_save(request, form, save) is not None:
        messages.success(request, _("Notifications saved."))
        return redirect("accounts:settings")
    return settings_render(request, status=400, notify_form=form)
