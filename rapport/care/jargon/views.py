"""Plain words (P26): the workspace's list (Settings → Plain words) and the inline check the
message forms call while the provider writes."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, membership_of
from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.care.jargon import selectors
from rapport.care.jargon.access import jargon_term_or_404
from rapport.care.jargon.forms import AddTermForm, TermForm
from rapport.care.jargon.services import (
    jargon_shipped_switch_off,
    jargon_term_remove,
    jargon_term_save,
    jargon_term_switch,
)
from rapport.care.jargon.shipped import LANGUAGES
from rapport.clients.access import client_or_404
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form

# The form fields a message page asks to check: "body", "decide-message", "alt1_description".
_FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
# Longer text is checked up to here: a message to a client is never this long.
TEXT_MAX = 20_000


def _owner_only[T](save: Callable[[], T]) -> Callable[[], T]:
    """``save``, with a member who is not the owner answered 404 (as for another workspace's
    entry) instead of a form error: members see the list, only the owner changes it."""

    def run() -> T:
        try:
            return save()
        except ApplicationError as exc:
            if exc.code in ("forbidden", "not_found"):
                raise Http404 from exc
            raise

    return run


def _page_language(value: str | None) -> str:
    if value in LANGUAGES:
        return value
    current = (translation.get_language() or "en").split("-")[0]
    return current if current in LANGUAGES else "en"


def _list_url(language: str) -> str:
    return f"{reverse('care:plain_words')}?language={language}"


@login_required
def plain_words(request: StaffRequest) -> HttpResponse:
    """Settings → Plain words: the list in one language and, for the owner, a form to add a
    term or change a shipped term's suggestion."""
    membership = membership_of(request)
    language = _page_language(request.POST.get("language") or request.GET.get("language"))
    initial = {
        "language": language,
        "term": request.GET.get("term", ""),
        "suggestion": request.GET.get("suggestion", ""),
    }
    form = AddTermForm(request.POST or None, initial=initial)
    saved = form_save(
        request,
        form,
        _owner_only(
            lambda: jargon_term_save(
                membership=membership,
                language=form.cleaned_data["language"],
                term=form.cleaned_data["term"],
                suggestion=form.cleaned_data["suggestion"],
            )
        ),
    )
    if saved is not None:
        messages.success(request, _("“%(term)s” is on your list.") % {"term": saved.term})
        return redirect(_list_url(saved.language))
    context = {
        "membership": membership,
        "form": form,
        "language": language,
        "languages": LANGUAGE_CHOICES,
        "rows": selectors.plain_words_rows(workspace_id=membership.workspace_id, language=language),
    }
    return render_form(request, "care/plain_words.html", context)


@login_required
def jargon_term_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """Change one of the workspace's entries: the word, or what to say instead."""
    membership = membership_of(request)
    row = jargon_term_or_404(request, pk)
    form = TermForm(request.POST or None, initial={"term": row.term, "suggestion": row.suggestion})
    saved = form_save(
        request,
        form,
        _owner_only(
            lambda: jargon_term_save(
                membership=membership,
                language=row.language,
                term=form.cleaned_data["term"],
                suggestion=form.cleaned_data["suggestion"],
                row=row,
            )
        ),
    )
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect(_list_url(saved.language))
    context = {"membership": membership, "form": form, "row": row}
    return render_form(request, "care/plain_words_edit.html", context)


def _act(
    request: StaffRequest, act: Callable[[], object], done: str, language: str
) -> HttpResponse:
    try:
        _owner_only(act)()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_list_url(language))


@login_required
@require_POST
def jargon_term_switch_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Flag one of the workspace's entries again, or stop flagging it (``active`` 1 or 0)."""
    row = jargon_term_or_404(request, pk)
    active = request.POST.get("active") == "1"
    return _act(
        request,
        lambda: jargon_term_switch(membership=membership_of(request), row=row, active=active),
        _("Flagged again.") if active else _("No longer flagged."),
        row.language,
    )


@login_required
@require_POST
def jargon_term_remove_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Remove an entry of the workspace: its own term, or its change to a shipped one."""
    row = jargon_term_or_404(request, pk)
    return _act(
        request,
        lambda: jargon_term_remove(membership=membership_of(request), row=row),
        _("Removed."),
        row.language,
    )


@login_required
@require_POST
def jargon_shipped_off(request: StaffRequest) -> HttpResponse:
    """Stop flagging a shipped term in this workspace."""
    membership = membership_of(request)
    language = _page_language(request.POST.get("language"))
    term = request.POST.get("term", "")
    return _act(
        request,
        lambda: jargon_shipped_switch_off(membership=membership, language=language, term=term),
        _("No longer flagged."),
        language,
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 12]


@login_required
@require_POST
def jargon_check(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The inline check of a message to a client (htmx, while the provider writes): the
    terms found, with what to say instead. Never blocks anything: it only answers.

    Takes the text as ``text``, or the names of the form's text fields in ``check_fields``
    (comma-separated: the panel sits inside the message's form and htmx sends the whole
    form); the recipients as ``contacts`` (the form's choice) or ``check_contact``.
    """
    client = client_or_404(request, client_pk)
    names = [n for n in request.POST.get("check_fields", "").split(",") if _FIELD_NAME.match(n)]
    if names:
        text = "\n\n".join(request.POST.get(name, "") for name in names)
    else:
        text = request.POST.get("text", "")
    contact_ids = _ids(request.POST.getlist("contacts") or request.POST.getlist("check_contact"))
    findings = selectors.jargon_findings(
        client=client, text=text[:TEXT_MAX], contact_ids=contact_ids
    )
    return render(request, "care/jargon/_findings.html", {"findings": findings, "client": client})
