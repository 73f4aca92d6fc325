"""The request inbox (P14). There is no "mark all read": a request leaves only by a decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.clients.access import client_or_404
from rapport.conversations import inbound_mail, selectors, services
from rapport.conversations.access import request_or_404, unmatched_email_or_404
from rapport.conversations.forms import (
    AssignForm,
    DecideForm,
    ReplyForm,
    RequestLogForm,
    UnmatchedLeadForm,
)
from rapport.conversations.models import Request
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.pagination import Paginator


@login_required
def inbox(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    state = request.GET.get("state", Request.State.OPEN)
    if state not in Request.State.values:
        state = Request.State.OPEN
    client = None
    client_id = request.GET.get("client", "")
    if client_id.isdigit():
        client = client_or_404(request, int(client_id))
    rows = selectors.request_inbox(workspace=workspace, state=state, client=client)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    since = timezone.now() - timedelta(days=90)
    context = {
        "page_obj": page,
        "requests": page.object_list,
        "state": state,
        "states": Request.State.choices,
        "client": client,
        "metrics": selectors.response_metrics(workspace=workspace, since=since, client=client),
        "now": timezone.now(),
        "unmatched_count": selectors.unmatched_emails(workspace=workspace).count(),
    }
    return render(request, "conversations/inbox.html", context)


@login_required
def request_log(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    form = RequestLogForm(request.POST or None, workspace=workspace)
    logged = form_save(
        request,
        form,
        lambda: services.request_receive(
            client=form.cleaned_data["contact"].client,
            contact=form.cleaned_data["contact"],
            source=form.cleaned_data["source"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            actor=request.user,
            urgent=form.cleaned_data["urgent"],
        ),
    )
    if logged is not None:
        messages.success(request, _("Request logged and acknowledged to the client."))
        return redirect("conversations:detail", logged.pk)
    return render_form(request, "conversations/log.html", {"form": form})


def _detail_context(found: Request, **forms: object) -> dict[str, object]:
    return {
        "req": found,
        "thread": selectors.request_thread(request=found),
        "answer_to": selectors.request_answer_contact(request=found),
        "reply_form": ReplyForm(),
        "decide_form": DecideForm(prefix="decide"),
        "now": timezone.now(),
        **forms,
    }


# A draft passed in the address (``?draft=``) is at most this long: a reply, not a document.
DRAFT_LIMIT = 4000


@login_required
def request_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """The request, its conversation and the forms to answer. ``?draft=`` fills the reply
    box (the de-escalation page's boundary message, P24): it is only the field's initial text,
    escaped like any value, and nothing is sent until the provider presses the button."""
    found = request_or_404(request, pk)
    draft = request.GET.get("draft", "").strip()[:DRAFT_LIMIT]
    forms = {"reply_form": ReplyForm(initial={"message": draft})} if draft else {}
    return render(request, "conversations/detail.html", _detail_context(found, **forms))


@login_required
@require_POST
def request_reply(request: StaffRequest, pk: int) -> HttpResponse:
    found = request_or_404(request, pk)
    form = ReplyForm(request.POST)
    replied = form_save(
        request,
        form,
        lambda: services.request_reply(
            request=found, actor=request.user, message=form.cleaned_data["message"]
        ),
    )
    if replied is not None:
        messages.success(request, _("Reply sent."))
        return redirect("conversations:detail", found.pk)
    context = _detail_context(found, reply_form=form)
    return render_form(request, "conversations/detail.html", context, form=form)


@login_required
@require_POST
def request_decide(request: StaffRequest, pk: int) -> HttpResponse:
    found = request_or_404(request, pk)
    form = DecideForm(request.POST, prefix="decide")
    decided = form_save(
        request,
        form,
        lambda: services.request_decide(
            request=found,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            message=form.cleaned_data["message"],
        ),
    )
    if decided is not None:
        messages.success(request, _("Request closed; the client has been told."))
        return redirect("conversations:inbox")
    context = _detail_context(found, decide_form=form)
    return render_form(request, "conversations/detail.html", context, form=form)


@login_required
def unmatched(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    return render(
        request,
        "conversations/unmatched.html",
        {
            "emails": selectors.unmatched_emails(workspace=workspace)[:100],
            "form": AssignForm(workspace=workspace),
            "lead_form": UnmatchedLeadForm(),
            "discarded": selectors.unmatched_discarded(workspace=workspace),
        },
    )


def _unmatched_act(request: StaffRequest, act: Callable[[], Request | None]) -> HttpResponse:
    try:
        created = act()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("conversations:unmatched")
    if created is None:
        messages.success(request, _("Email discarded; it is kept in the list below."))
        return redirect("conversations:unmatched")
    messages.success(request, _("Request created from the email."))
    return redirect("conversations:detail", created.pk)


@login_required
@require_POST
def unmatched_assign(request: StaffRequest, pk: int) -> HttpResponse:
    email = unmatched_email_or_404(request, pk)
    form = AssignForm(request.POST, workspace=workspace_of(request))
    if not form.is_valid():
        messages.error(request, _("Choose a contact."))
        return redirect("conversations:unmatched")
    contact = form.cleaned_data["contact"]
    return _unmatched_act(
        request,
        lambda: inbound_mail.unmatched_assign(email=email, contact=contact, actor=request.user),
    )


@login_required
@require_POST
def unmatched_lead(request: StaffRequest, pk: int) -> HttpResponse:
    email = unmatched_email_or_404(request, pk)
    form = UnmatchedLeadForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    return _unmatched_act(
        request,
        lambda: inbound_mail.unmatched_to_lead(email=email, actor=request.user, name=name),
    )


@login_required
@require_POST
def unmatched_discard(request: StaffRequest, pk: int) -> HttpResponse:
    email = unmatched_email_or_404(request, pk)

    def discard() -> None:
        inbound_mail.unmatched_discard(email=email, actor=request.user)

    return _unmatched_act(request, discard)
