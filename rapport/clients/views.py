"""Staff pages for clients and contacts. Views are thin: forms parse, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.accounts.business import IDENTITY_FIELDS
from rapport.accounts.business_forms import IdentityForm, identity_initial
from rapport.clients import selectors, services
from rapport.clients.access import client_or_404, contact_or_404, important_date_or_404
from rapport.clients.briefs.selectors import client_briefs
from rapport.clients.first_contact import CONTACT_PREFIX, client_create_with_contact
from rapport.clients.forms import (
    ClientFilterForm,
    ClientForm,
    ContactForm,
    FirstContactForm,
    ImportantDateForm,
)
from rapport.clients.handover import handover_get, handover_mark_read, handover_unread
from rapport.clients.models import CLIENT_FIELDS, CONTACT_FIELDS, ImportantDate
from rapport.clients.portal_links import services as portal_links
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.forms import form_add_error
from rapport.core.pagination import Paginator
from rapport.core.sections import render_section
from rapport.notifications.selectors import client_notifications

CLIENTS_PER_PAGE = 25
IDENTITY_PREFIX = "billing"


@login_required
def client_list(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    form = ClientFilterForm(request.GET or None, workspace=workspace)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "query": form.cleaned_data["q"],
            "status": form.cleaned_data["status"],
            "owner_id": form.cleaned_data["owner"],
            "archived": form.cleaned_data["archived"],
        }
    clients = selectors.client_list(workspace=workspace, **filters)
    page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "clients": page.object_list}
    # htmx asks only for the results when the search box changes.
    template = "clients/list.html#results" if request.htmx else "clients/list.html"
    return render(request, template, context)


def _client_form_data(form: ClientForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in CLIENT_FIELDS}


def _route_error(exc: ApplicationError, client: ClientForm, *others: BaseForm) -> None:
    """Put each refusal on the form it belongs to: the billing identity's fields, the first
    contact's (``contact.<field>``) or the client's own."""
    for key, messages_ in exc.errors.items():
        target: BaseForm = client
        field = key
        for other in others:
            if isinstance(other, FirstContactForm) and key.startswith(f"{CONTACT_PREFIX}."):
                target, field = other, key.removeprefix(f"{CONTACT_PREFIX}.")
            elif isinstance(other, IdentityForm) and key in IDENTITY_FIELDS:
                target = other
        for message in messages_:
            form_add_error(target, ApplicationError(message, field=field))


def _client_page(request: StaffRequest, context: dict[str, Any]) -> HttpResponse:
    forms_ = [context[k] for k in ("form", "identity_form", "contact_form") if context.get(k)]
    status = 400 if any(f.errors for f in forms_) else 200
    return render(request, "clients/form.html", context, status=status)


@login_required
def client_create(request: StaffRequest) -> HttpResponse:
    """The new-client page: the client, its billing identity and (optionally) its first
    contact, written in one transaction (``clients.first_contact``)."""
    workspace = workspace_of(request)
    initial = {
        "currency": workspace.default_currency,
        "language": workspace.default_language,
        "timezone": workspace.timezone,
        "account_owner": request.user.pk,
    }
    data = request.POST or None
    form = ClientForm(data, workspace=workspace, initial=initial)
    identity_form = IdentityForm(data, prefix=IDENTITY_PREFIX)
    contact_form = FirstContactForm(data)
    if request.method == "POST" and all(
        [f.is_valid() for f in (form, identity_form, contact_form)]
    ):
        try:
            client, contact = client_create_with_contact(
                workspace=workspace,
                actor=request.user,
                identity=identity_form.identity(),
                contact=contact_form.contact_data(),
                **_client_form_data(form),
            )
        except ApplicationError as exc:
            _route_error(exc, form, identity_form, contact_form)
        else:
            done = _("Client and contact created.") if contact else _("Client created.")
            messages.success(request, done)
            return redirect("clients:detail", client.pk)
    context = {"form": form, "identity_form": identity_form, "contact_form": contact_form}
    return _client_page(request, context)


@login_required
def client_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """The client page. The view reads the client's own rows (contacts, briefs); the
    commitments, requests and projects are sections rendered by the apps that own them (their
    template tags in ``clients/detail.html``). The quotes, contracts, balance, messages and
    timeline load after the page, each from its own URL (ADR 0014)."""
    client = found_or_404(selectors.client_get(workspace=workspace_of(request), pk=pk))
    contacts, archived_contacts = selectors.client_contacts_split(client=client)
    context = {
        "client": client,
        "contacts": contacts,
        "archived_contacts": archived_contacts,
        "briefs": client_briefs(client=client),
        # P27: the note handed to this reader, until they mark it read.
        "handover": handover_unread(client=client, user=request.user),
    }
    return render(request, "clients/detail.html", context)


@login_required
@require_GET
def client_recent_timeline(request: StaffRequest, pk: int) -> HttpResponse:
    """The client page's timeline card: the latest events (one query)."""
    client = client_or_404(request, pk)
    timeline, timeline_more = selectors.client_timeline(client=client)
    context = {"client": client, "timeline": timeline, "timeline_more": timeline_more}
    return render_section(request, "clients/_timeline_card.html", context, back=client)


@login_required
@require_GET
def client_messages(request: StaffRequest, pk: int) -> HttpResponse:
    """The client page's "messages sent" card (one query). The rows and the card are
    notifications', which sits below clients and does not know the client page."""
    client = client_or_404(request, pk)
    # ``now``: a message still queued for later says until when it waits.
    context = {"notifications": client_notifications(client=client), "now": timezone.now()}
    return render_section(request, "notifications/_client_messages.html", context, back=client)


TIMELINE_PER_PAGE = 50


@login_required
def client_timeline(request: StaffRequest, pk: int) -> HttpResponse:
    """Everything that happened with the client, newest first, 50 events a page."""
    client = client_or_404(request, pk)
    page = Paginator(selectors.client_timeline_all(client=client), TIMELINE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"client": client, "page_obj": page, "timeline": page.object_list}
    return render(request, "clients/timeline.html", context)


@login_required
def client_edit(request: StaffRequest, pk: int) -> HttpResponse:
    client = client_or_404(request, pk)
    data = request.POST or None
    form = ClientForm(data, instance=client, workspace=workspace_of(request))
    identity_form = IdentityForm(data, initial=identity_initial(client), prefix=IDENTITY_PREFIX)
    if request.method == "POST" and all([f.is_valid() for f in (form, identity_form)]):
        try:
            services.client_update(
                client=client,
                actor=request.user,
                identity=identity_form.identity(),
                **_client_form_data(form),
            )
        except ApplicationError as exc:
            _route_error(exc, form, identity_form)
        else:
            messages.success(request, _("Client saved."))
            return redirect("clients:detail", client.pk)
    return _client_page(request, {"form": form, "identity_form": identity_form, "client": client})


@login_required
@require_POST
def client_archive(request: StaffRequest, pk: int) -> HttpResponse:
    client = client_or_404(request, pk)
    if request.POST.get("restore"):
        services.client_restore(client=client, actor=request.user)
        messages.success(request, _("Client restored."))
    else:
        services.client_archive(client=client, actor=request.user)
        messages.success(request, _("Client archived. You can restore it from the archived list."))
    return redirect("clients:detail", client.pk)


def _contact_data(form: ContactForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in CONTACT_FIELDS}


@login_required
def contact_create(request: StaffRequest, client_pk: int) -> HttpResponse:
    client = client_or_404(request, client_pk)
    form = ContactForm(request.POST or None)
    saved = form_save(
        request,
        form,
        lambda: services.contact_create(client=client, actor=request.user, **_contact_data(form)),
    )
    if saved is not None:
        messages.success(request, _("Contact added."))
        return redirect("clients:detail", client.pk)
    return render_form(request, "clients/contact_form.html", {"form": form, "client": client})


@login_required
def contact_edit(request: StaffRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(request, pk)
    form = ContactForm(request.POST or None, instance=contact)
    saved = form_save(
        request,
        form,
        lambda: services.contact_update(contact=contact, actor=request.user, **_contact_data(form)),
    )
    if saved is not None:
        messages.success(request, _("Contact saved."))
        return redirect("clients:detail", contact.client_id)
    context = {"form": form, "client": contact.client, "contact": contact}
    return render_form(request, "clients/contact_form.html", context)


@login_required
@require_POST
def contact_archive(request: StaffRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(request, pk)
    if request.POST.get("restore"):
        services.contact_restore(contact=contact, actor=request.user)
        messages.success(request, _("Contact restored."))
    else:
        services.contact_archive(contact=contact, actor=request.user)
        portal_links.portal_links_revoke(contact=contact, actor=request.user)
        messages.success(request, _("Contact archived."))
    return redirect("clients:detail", contact.client_id)


@login_required
def important_date_add(request: StaffRequest, contact_pk: int) -> HttpResponse:
    """The "add an important date" form of one contact, and its answer.

    The contact's card asks for the form with htmx when it is opened and gets it alone; without
    JavaScript the card's link leads to the form on a page of its own.
    """
    contact = contact_or_404(request, contact_pk)
    # Ids of this contact's own: the form sits in its card beside the other contacts' cards.
    # "Set their own date" beside a calendar name day opens the form on that kind.
    kind = request.GET.get("kind", "")
    initial = {"kind": kind} if kind in ImportantDate.Kind.values else {}
    form = ImportantDateForm(request.POST or None, auto_id=f"date-{contact.pk}-%s", initial=initial)
    if not form.is_bound:
        # The form takes the place of the link that was followed: the focus goes to its start.
        form.fields["kind"].widget.attrs["autofocus"] = True
    saved = form_save(
        request, form, lambda: services.important_date_add(contact=contact, **form.cleaned_data)
    )
    if saved is not None:
        messages.success(request, _("Date saved."))
        page = reverse("clients:detail", args=[contact.client_id])
        return HttpResponseClientRedirect(page) if request.htmx else redirect(page)
    context = {"form": form, "contact": contact, "client": contact.client}
    if request.htmx:
        # htmx swaps only a 2xx answer into the card: the form and its errors come as a 200.
        return render(request, "clients/_date_form.html", context)
    return render_form(request, "clients/date_form.html", context)


@login_required
@require_POST
def important_date_remove(request: StaffRequest, pk: int) -> HttpResponse:
    item = important_date_or_404(request, pk)
    client_id = item.contact.client_id
    try:
        services.important_date_remove(item=item)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Date removed."))
    return redirect("clients:detail", client_id)


@login_required
@require_POST
def contact_portal_link(request: StaffRequest, pk: int) -> HttpResponse:
    """Email the contact a fresh portal link (P13)."""
    contact = contact_or_404(request, pk)
    try:
        portal_links.portal_link_send(contact=contact, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Portal link sent to %(email)s.") % {"email": contact.email})
    return redirect("clients:detail", contact.client_id)


@login_required
@require_POST
def contact_portal_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(request, pk)
    count = portal_links.portal_links_revoke(contact=contact, actor=request.user)
    messages.success(
        request,
        ngettext("%(n)s portal link revoked.", "%(n)s portal links revoked.", count) % {"n": count},
    )
    return redirect("clients:detail", contact.client_id)


@login_required
@require_POST
def handover_read(request: StaffRequest, pk: int) -> HttpResponse:
    """The new owner has read the handover note: it leaves their client page."""
    handover = found_or_404(handover_get(workspace_id=workspace_of(request).pk, pk=pk))
    if handover.to_user_id != request.user.pk:
        raise Http404  # another member's note is not theirs to see or mark
    handover_mark_read(handover=handover, actor=request.user)
    return redirect("clients:detail", handover.client_id)
