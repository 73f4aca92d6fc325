"""Connect, check and disconnect the workspace's mailbox, from the Settings page
(``mailbox_tags.mailbox_settings`` renders the section; these views save it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, membership_of, workspace_of
from rapport.accounts.views import settings_render
from rapport.conversations.forms import MailboxForm
from rapport.conversations.imap import mailbox_poll
from rapport.conversations.mailboxes import mailbox_error_text, mailbox_remove, mailbox_save
from rapport.conversations.models import Mailbox
from rapport.conversations.templatetags.mailbox_tags import FORM_PREFIX
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save


@login_required
@require_POST
def mailbox_save_view(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    form = MailboxForm(request.POST, prefix=FORM_PREFIX)

    def save() -> Mailbox:
        return mailbox_save(membership=membership_of(request), **form.cleaned_data)

    mailbox = form_save(request, form, save)
    if mailbox is None:
        return settings_render(request, status=400, mailbox_form=form)
    # Read it once now, so that a wrong password or server shows at once, not in a minute.
    stored = mailbox_poll(mailbox)
    if mailbox.last_error:
        messages.error(request, mailbox_error_text(mailbox))
    else:
        messages.success(
            request, _("Mailbox connected; %(n)s new message(s) read.") % {"n": stored}
        )
    return redirect("accounts:settings")


@login_required
@require_POST
def mailbox_remove_view(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    try:
        mailbox_remove(membership=membership_of(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Mailbox disconnected."))
    return redirect("accounts:settings")
