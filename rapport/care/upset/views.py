"""The de-escalation page (P23, P24, P28): what was seen, six steps, the client's temperament
and, for a hostile message, a calm boundary message in the contact's language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.upset import selectors
from rapport.care.upset.access import upset_alert_or_404
from rapport.care.upset.guidance import boundary_message, checklist
from rapport.conversations.models import Request
from rapport.notifications.alerts import alert_text


def _words_html(parts: list[selectors.Part]) -> SafeString:
    """The client's words with the cues in <mark>, escaped, line breaks kept: built here, not
    in the template, where a line break between two tags would put a space into the words."""
    html = format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", p.text) if p.cue else linebreaksbr(p.text),)
            for p in parts
        ),
    )
    return mark_safe(html)  # noqa: S308 - every piece above is escaped by format_html


def _sender(request: StaffRequest) -> str:
    """Who signs the boundary message: the provider, and the studio when it has another name."""
    workspace = workspace_of(request)
    name = request.user.name
    studio = workspace.sender_name or workspace.name
    return f"{name}\n{studio}" if studio and studio != name else name


@require_GET
@login_required
def upset_detail(request: StaffRequest, pk: int) -> HttpResponse:
    alert = upset_alert_or_404(request, pk)
    upset = selectors.upset_read(alert=alert)
    context: dict[str, Any] = {
        "upset": upset,
        "alert": alert,
        "client": alert.client,
        "sentence": alert_text(alert),
        "words": _words_html(upset.parts),
        "steps": checklist(),
    }
    if upset.hostile and upset.contact is not None:
        found = upset.request
        open_request = found is not None and found.state == Request.State.OPEN
        boundary = boundary_message(
            contact=upset.contact,
            sender=_sender(request),
            subject=found.subject_data if found is not None else "",
            answer_by=found.eta if open_request and found is not None else None,
        )
        context["boundary"] = boundary
        if open_request and found is not None:
            context["answer_url"] = (
                reverse("conversations:detail", args=[found.pk])
                + "?"
                + urlencode({"draft": boundary})
                + "#reply"
            )
    return render(request, "care/upset_detail.html", context)
