"""Staff pages for quotes: the list, the editor, the quote page (with the capacity check
before sending, P03), sending and new versions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.accounts.business import identity_lines
from rapport.agreements.items.forms import item_row
from rapport.agreements.items.selectors import saved_item_get, saved_items
from rapport.agreements.models import Quote, QuoteLine, SavedItem
from rapport.agreements.quotes import selectors, services
from rapport.agreements.quotes.forms import (
    PREFIXES,
    LineFormSet,
    QuoteEditor,
    kept_rows,
    line_inputs,
    quote_initial,
    rows_posted,
)
from rapport.agreements.quotes.packages import quote_price
from rapport.agreements.quotes.totals import quote_totals
from rapport.clients.access import client_or_404
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.pagination import Paginator
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404
from rapport.projects.capacity import capacity_weeks
from rapport.projects.models import Milestone, Project

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

QUOTES_PER_PAGE = 25


def quote_or_404(request: StaffRequest, pk: int) -> WithAnnotations[Quote, selectors.QuoteVersions]:
    return found_or_404(selectors.quote_get(workspace=workspace_of(request), pk=pk))


def _milestones(project: Project) -> list[Milestone]:
    return list(project.milestones.filter(archived_at__isnull=True).order_by("due_date", "id"))


@login_required
def quote_list(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    status = request.GET.get("status", "")
    if status not in Quote.Status.values:
        status = ""
    found = selectors.quote_list(workspace=workspace, status=status)
    page = Paginator(found, QUOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/quote_list.html",
        {
            "page_obj": page,
            "quotes": page.object_list,
            "status": status,
            "statuses": Quote.Status.choices,
        },
    )


def _editor_page(
    request: StaffRequest,
    *,
    project: Project,
    editor: QuoteEditor,
    quote: Quote | None,
    status: int = 200,
) -> HttpResponse:
    items = saved_items(workspace=workspace_of(request))
    return render(
        request,
        "agreements/quote_form.html",
        {"project": project, "editor": editor, "quote": quote, "saved_items": items},
        status=status,
    )


def _posted(request: StaffRequest) -> tuple[QueryDict, bool]:
    """The editor's rows renumbered, and whether the post only adds or removes a row (the
    "Add a line" and "Remove" buttons without JavaScript): then the page comes back unsaved."""
    remove, add = request.POST.get("_remove", ""), request.POST.get("_add", "")
    if add != "item":
        return rows_posted(request.POST, remove=remove, add=add), bool(remove or add)
    # "Add the saved item": one more line, filled from the item picked.
    posted = rows_posted(request.POST, add="lines")
    item = _saved_item(request, request.POST.get("_item", ""))
    index = int(posted.get("lines-TOTAL_FORMS", "1")) - 1
    for name, value in item_row(item).items():
        posted[f"lines-{index}-{name}"] = value
    return posted, True


def _saved_item(request: StaffRequest, pk: str) -> SavedItem:
    """The workspace's saved item ``pk``; another workspace's (or none) is a 404."""
    if not pk.isdigit():
        raise Http404
    return found_or_404(saved_item_get(workspace=workspace_of(request), pk=int(pk)))


def _save(editor: QuoteEditor, write: Any) -> Quote | None:
    """Run the service on the editor's input; a refusal lands on the field it names."""
    if not editor.is_valid():
        return None
    try:
        saved: Quote = write(editor.service_input())
    except ApplicationError as exc:
        editor.add_error(exc.field, exc.message)
        return None
    return saved


@login_required
def quote_create(request: StaffRequest, project_pk: int) -> HttpResponse:
    project = project_or_404(request, project_pk)
    milestones = _milestones(project)
    if request.method == "POST":
        data, rearranged = _posted(request)
        editor = QuoteEditor(data, project=project, milestones=milestones)
        if rearranged:
            return _editor_page(request, project=project, editor=editor, quote=None)
        saved = _save(
            editor,
            lambda data: services.quote_create(project=project, actor=request.user, data=data),
        )
        if saved is not None:
            messages.success(request, _("Quote %(ref)s saved as a draft.") % {"ref": saved})
            return redirect("agreements:quote_detail", saved.pk)
        return _editor_page(request, project=project, editor=editor, quote=None, status=400)
    initial = selectors.quote_defaults(
        project=project, today=workspace_today(workspace_of(request))
    )
    editor = QuoteEditor(None, project=project, milestones=milestones, initial=initial)
    return _editor_page(request, project=project, editor=editor, quote=None)


@login_required
def quote_edit(request: StaffRequest, pk: int) -> HttpResponse:
    quote = quote_or_404(request, pk)
    project = quote.project
    if quote.status != Quote.Status.DRAFT:
        messages.error(request, _("Only a draft can be edited; make a new version instead."))
        return redirect("agreements:quote_detail", quote.pk)
    milestones = _milestones(project)
    if request.method == "POST":
        data, rearranged = _posted(request)
        editor = QuoteEditor(data, project=project, milestones=milestones)
        if rearranged:
            return _editor_page(request, project=project, editor=editor, quote=quote)
        saved = _save(
            editor,
            lambda data: services.quote_update(quote=quote, actor=request.user, data=data),
        )
        if saved is not None:
            messages.success(request, _("Quote %(ref)s saved.") % {"ref": saved})
            return redirect("agreements:quote_detail", saved.pk)
        return _editor_page(request, project=project, editor=editor, quote=quote, status=400)
    editor = QuoteEditor(None, project=project, milestones=milestones, initial=quote_initial(quote))
    return _editor_page(request, project=project, editor=editor, quote=quote)


@login_required
@require_GET
def quote_row(request: StaffRequest, project_pk: int) -> HttpResponse:
    """htmx: one more empty row of lines, deliverables or payments, and the formset's new
    count (swapped out of band), so that adding a row costs no page load."""
    project = project_or_404(request, project_pk)
    kind = request.GET.get("kind", "")
    formset_class = PREFIXES.get(kind)
    if formset_class is None:
        raise Http404
    try:
        index = int(request.GET.get(f"{kind}-TOTAL_FORMS", "0"))
    except ValueError:
        index = 0
    index = max(0, min(index, 500))
    kwargs: dict[str, Any] = {"milestones": _milestones(project)} if kind == "stages" else {}
    if kind == "lines" and request.GET.get("_item"):
        kwargs["initial"] = item_row(_saved_item(request, request.GET["_item"]))
    formset = formset_class(prefix=kind, form_kwargs=kwargs)
    response = render(
        request,
        "agreements/quote_row.html",
        {
            "project_pk": project.pk,
            # The row the formset itself would build at this index (a private method of
            # Django's formsets, which the stubs leave out).
            "row": formset._construct_form(index, **formset.get_form_kwargs(index)),  # type: ignore[attr-defined]
            "kind": kind,
            "total": index + 1,
        },
    )
    response["HX-Trigger"] = "quote-rows"  # the totals follow the new row
    return response


@login_required
@require_POST
def quote_totals_preview(request: StaffRequest, project_pk: int) -> HttpResponse:
    """htmx: the lines' subtotal, tax per rate and total as they are typed, computed by the
    server's own rounding (``quotes.totals``). A "Remove" button posts here too: the answer
    then also deletes that row from the page (out of band) and leaves it out of the sums."""
    project_or_404(request, project_pk)
    remove = request.POST.get("_remove", "")
    lines = LineFormSet(rows_posted(request.POST, remove=remove), prefix="lines")
    context: dict[str, Any] = {"removed": remove if remove.partition("-")[0] in PREFIXES else ""}
    try:
        context["totals"] = quote_totals(
            lines=line_inputs(kept_rows(lines)), currency=request.POST.get("currency", "")
        )
    except ApplicationError as exc:
        context["error"] = exc.message
    return render(request, "agreements/quote_totals.html", context)


def _capacity(quote: Quote, today: Any) -> dict[str, Any]:
    """The weekly load with and without this work (P03), before the quote goes out.

    The work is the project's estimate (or the hourly lines' hours) spread over the
    project's dates; the project itself is left out of the booked hours.
    """
    project = quote.project
    # With packages the client takes one: count the common hours and the largest package's.
    hours_by_package: dict[int | None, Decimal] = {}
    for line in quote.lines.all():
        if line.kind == QuoteLine.Kind.HOURLY:
            hours_by_package[line.package_id] = (
                hours_by_package.get(line.package_id, Decimal(0)) + line.quantity
            )
    common = hours_by_package.pop(None, Decimal(0))
    hourly = common + max(hours_by_package.values(), default=Decimal(0))
    hours = project.estimated_hours or hourly or None
    start = project.start_date or today
    due = project.due_date if project.due_date and project.due_date >= start else None
    due = due or start + timedelta(weeks=4)
    weeks = capacity_weeks(
        workspace=quote.client.workspace,
        today=today,
        new_hours=hours,
        new_start=start,
        new_due=due,
        exclude_project_id=project.pk,
    )
    return {
        "weeks": weeks,
        "over": [w for w in weeks if w.over_with_new],
        "basis": {"hours": hours, "start": start, "due": due},
    }


@login_required
def quote_detail(request: StaffRequest, pk: int) -> HttpResponse:
    quote = quote_or_404(request, pk)
    today = workspace_today(quote.client.workspace)
    workspace = quote.client.workspace
    context: dict[str, Any] = {
        "quote": quote,
        "price": quote_price(quote),
        "seller": identity_lines(workspace, fallback_name=workspace.name),
        "buyer": identity_lines(quote.client, fallback_name=quote.client.name),
        "project": quote.project,
        "can_send": quote.status == Quote.Status.DRAFT,
        "can_version": quote.status in services.VERSIONABLE and not quote.has_next,
    }
    if quote.status == Quote.Status.DRAFT:
        context["capacity"] = _capacity(quote, today)
    return render(request, "agreements/quote_detail.html", context)


@login_required
@require_POST
def quote_send(request: StaffRequest, pk: int) -> HttpResponse:
    quote = quote_or_404(request, pk)
    try:
        services.quote_send(quote=quote, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        name = quote.contact.name if quote.contact else ""
        messages.success(request, _("Quote sent to %(name)s.") % {"name": name})
    return redirect("agreements:quote_detail", quote.pk)


@login_required
@require_POST
def quote_new_version(request: StaffRequest, pk: int) -> HttpResponse:
    quote = quote_or_404(request, pk)
    try:
        new = services.quote_new_version(quote=quote, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("agreements:quote_detail", quote.pk)
    messages.success(
        request,
        _("%(new)s drafted from %(old)s; the old version can no longer be accepted.")
        % {"new": new.reference, "old": quote.reference},
    )
    return redirect("agreements:quote_edit", new.pk)


# --- Sections of other apps' pages, loaded after the page (core.sections) ----------------------


@login_required
@require_GET
def client_quotes(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The client page's quotes card (one query)."""
    client = client_or_404(request, client_pk)
    return render_section(
        request,
        "agreements/quote_client_list.html",
        {"client": client, "quotes": selectors.quotes_for_client(client=client)},
        back=client,
    )


@login_required
@require_GET
def project_quotes(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The project page's quotes card (one query)."""
    project = project_or_404(request, project_pk, progress=False)
    return render_section(
        request,
        "agreements/quote_project_list.html",
        {"project": project, "quotes": selectors.quotes_for_project(project=project)},
        back=project,
    )
