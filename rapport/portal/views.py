"""The client portal: magic-link confirm, home, project pages, asking for a new link."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from rapport.billing.revisions.selectors import portal_project_rounds
from rapport.care.decisions.selectors import PORTAL_DECISIONS, client_decisions
from rapport.care.problems.selectors import PORTAL_PROBLEMS, client_problems
from rapport.clients.models import Contact
from rapport.clients.portal_links import selectors as links
from rapport.clients.portal_links import services as link_services
from rapport.commitments.services import promise_confirm as promise_confirm_service
from rapport.conversations.forms import PortalRequestForm
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.core.client_ip import client_ip
from rapport.core.clock import zone_or_utc
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section
from rapport.portal import access, selectors


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"))


def _in_language(
    language: str, render_page: Callable[[], HttpResponse], tz: str | None = None
) -> HttpResponse:
    """The page in ``language`` (words, and Django's and Babel's formats of dates, numbers,
    percentages and money, which follow the active language: P29), and with ``tz`` in the
    time zone ``tz``. Both end with the page, so nothing carries over to the next request."""
    zone = timezone.override(zone_or_utc(tz)) if tz else nullcontext()
    with translation.override(language), zone:
        response = render_page()
        response.headers["Content-Language"] = language
    return response


def portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the session's contact (or 404) and render in the contact's language and time
    zone."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        contact = access.portal_contact(request)
        return _in_language(
            contact.effective_language,
            lambda: view(request, contact, *args, **kwargs),
            contact.effective_timezone,
        )

    return wrapper


def home_section(
    request: HttpRequest, contact: Contact, template_name: str, context: dict[str, Any]
) -> HttpResponse:
    """A section of the portal home, loaded after the home is shown (core.sections); without
    JavaScript, a page of its own that leads back to the home."""
    page_context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        **context,
    }
    return render_section(
        request,
        template_name,
        page_context,
        back=(str(_("Your projects")), reverse("portal:home")),
        page="portal/section_page.html",
    )


def _portal_next(request: HttpRequest) -> str:
    """A portal page to land on after the confirm (``?next=/p/quotes/3/``), never
    anywhere else: a link in a message opens on the thing it is about."""
    target = request.GET.get("next", "")
    home = reverse("portal:home")
    if target.startswith(home) and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def link_open(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm button; only the POST starts the session (mail scanners GET)."""
    link = links.portal_link_find(token)
    # A used or expired link still tells us whose it was: answer in their language.
    owner = link.contact if link else links.portal_link_contact(token)
    language = owner.effective_language if owner else (translation.get_language() or "en")
    if link is None:
        return _in_language(
            language,
            lambda: render(
                request,
                "portal/link_invalid.html",
                {"form": LinkRequestForm(), "lang": language},
                status=404,
            ),
        )
    if request.method == "POST":
        try:
            link = link_services.portal_link_confirm(token=token)
        except ApplicationError:
            return _in_language(
                language,
                lambda: render(
                    request,
                    "portal/link_invalid.html",
                    {"form": LinkRequestForm(), "lang": language},
                    status=404,
                ),
            )
        access.portal_session_start(request, link)
        return redirect(_portal_next(request) or "portal:home")
    context = {"contact": link.contact, "workspace_name": link.workspace.name}
    return _in_language(language, lambda: render(request, "portal/confirm.html", context))


def _page_language(request: HttpRequest) -> str:
    """The language a public portal page answers in: the ``lang`` it was opened or posted
    with (the expired link's contact's, carried by the form), else the visitor's own."""
    asked = request.POST.get("lang") or request.GET.get("lang") or ""
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


def link_request(request: HttpRequest) -> HttpResponse:
    """Ask for a new link by email. The answer is the same whether the address is known, and
    in the language the page was opened in (an expired link's page passes its contact's)."""
    language = _page_language(request)
    form = LinkRequestForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "lang": language}
    if request.method == "POST" and form.is_valid():
        try:
            link_services.portal_link_request(
                email=form.cleaned_data["email"], ip_address=client_ip(request) or ""
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return _in_language(
                language,
                lambda: render(request, "portal/link_request.html", context, status=429),
            )
        return _in_language(language, lambda: render(request, "portal/link_requested.html"))
    status = 400 if form.errors else 200
    return _in_language(
        language, lambda: render(request, "portal/link_request.html", context, status=status)
    )


@portal_view
def home(request: HttpRequest, contact: Contact) -> HttpResponse:
    """Where the work stands: promises to confirm, next dates, projects, requests. The briefs,
    quotes, documents and changes to sign, invoices and past updates load after the page
    (their ``home_*`` views, ADR 0014)."""
    today = timezone.localdate()
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "projects": selectors.portal_projects(contact=contact, with_deliverables=False),
        "next_dates": selectors.portal_next_dates(contact=contact, today=today),
        "today": today,
        "requests": selectors.portal_requests(contact=contact),
        "promises": selectors.portal_promises_to_confirm(contact=contact),
        "deliverables": selectors.portal_deliverables(contact=contact),
        # P23: "How are we doing?" about the latest update.
        **selectors.portal_home_pulse(contact=contact),
        # After asking for a change, the contracts and changes section thanks the client.
        "signing_url": reverse("portal:home_signing")
        + ("?change=sent" if request.GET.get("change") == "sent" else ""),
    }
    return render(request, "portal/home.html", context)


@require_GET
@portal_view
def home_updates(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The latest progress updates sent to the client (one query)."""
    context = {"updates": selectors.portal_updates(contact=contact)}
    return home_section(request, contact, "portal/_updates.html", context)


@portal_view
def request_new(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The client asks for something; it is acknowledged at once with an ETA (P14)."""
    projects = selectors.portal_projects_for_choice(contact=contact)
    form = PortalRequestForm(request.POST or None, projects=projects)
    created = form_save(
        request,
        form,
        lambda: request_receive(
            client=contact.client,
            contact=contact,
            source=Request.Source.PORTAL,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            project=form.cleaned_data["project"],
            urgent=form.cleaned_data["urgent"],
        ),
    )
    if created is not None:
        return redirect(f"{reverse('portal:home')}?sent={created.pk}#requests")
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "form": form,
    }
    return render_form(request, "portal/request_form.html", context)


@require_POST
@portal_view
def promise_confirm(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    promise = selectors.portal_promises_to_confirm(contact=contact).filter(pk=pk).first()
    if promise is None:
        raise Http404
    promise_confirm_service(commitment=promise, contact=contact)
    return redirect(f"{reverse('portal:home')}#promises")


@portal_view
def project(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    found = selectors.portal_projects(contact=contact).filter(pk=pk).first()
    if found is None:
        raise Http404
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "project": found,
        "revision_rounds": portal_project_rounds(contact=contact, project=found),
        "problems": list(
            client_problems(
                workspace_id=contact.workspace_id, client_id=contact.client_id, project_id=found.pk
            )[:PORTAL_PROBLEMS]
        ),
        "decisions": list(
            client_decisions(
                workspace_id=contact.workspace_id, client_id=contact.client_id, project_id=found.pk
            )[:PORTAL_DECISIONS]
        ),
        "deliverables": selectors.portal_deliverables(
            contact=contact, project_id=found.pk, limit=selectors.PROJECT_DELIVERABLES
        ),
    }
    return render(request, "portal/project.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    access.portal_session_end(request)
    return redirect("portal:link_request")
