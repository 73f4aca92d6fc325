"""Staff pages of saved line items: the list (with the add form), edit, archive, and the
builder's "Save for reuse" on a quote line (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.agreements.items import selectors, services
from rapport.agreements.items.forms import SavedItemForm, item_initial
from rapport.agreements.models import SavedItem
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form


def _item_or_404(request: StaffRequest, pk: int) -> SavedItem:
    return found_or_404(selectors.saved_item_get(workspace=workspace_of(request), pk=pk))


@login_required
def saved_item_list(request: StaffRequest) -> HttpResponse:
    """The workspace's saved items, and the form that adds one."""
    workspace = workspace_of(request)
    archived = request.GET.get("archived") == "1"
    form = SavedItemForm(
        request.POST or None, initial={"currency": workspace.default_currency, "kind": "fixed"}
    )
    item = form_save(
        request,
        form,
        lambda: services.saved_item_create(workspace=workspace, data=form.item_input()),
    )
    if item is not None:
        messages.success(request, _("“%(name)s” saved for reuse.") % {"name": item.description})
        return redirect("agreements:saved_items")
    context = {
        "form": form,
        "items": selectors.saved_items(workspace=workspace, archived=archived),
        "archived": archived,
    }
    return render_form(request, "agreements/saved_items.html", context)


@login_required
def saved_item_edit(request: StaffRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    form = SavedItemForm(request.POST or None, initial=item_initial(item))
    saved = form_save(
        request, form, lambda: services.saved_item_update(item=item, data=form.item_input())
    )
    if saved is not None:
        messages.success(request, _("“%(name)s” saved.") % {"name": saved.description})
        return redirect("agreements:saved_items")
    return render_form(request, "agreements/saved_item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def saved_item_archive(request: StaffRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    restore = request.POST.get("restore") == "1"
    try:
        services.saved_item_archive(item=item, archived=not restore)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        text = _("“%(name)s” is offered again.") if restore else _("“%(name)s” archived.")
        messages.success(request, text % {"name": item.description})
    return redirect("agreements:saved_items")


@login_required
@require_POST
def saved_item_from_line(request: StaffRequest) -> HttpResponse:
    """htmx: keep the quote line named by ``_line`` ("lines-2") as a saved item, in the
    quote's currency; the answer is a short status shown beside the row."""
    workspace = workspace_of(request)
    prefix = request.POST.get("_line", "")
    head, _sep, index = prefix.partition("-")
    if head != "lines" or not index.isdigit():
        return HttpResponse(_("No line to save."), status=400)

    def posted(name: str, default: str = "") -> str:
        return request.POST.get(f"{prefix}-{name}", default)

    data = services.ItemInput(
        description=posted("description"),
        kind=posted("kind", "fixed"),
        unit=posted("unit"),
        unit_price=posted("unit_price"),
        tax_rate=posted("tax_rate"),
        currency=request.POST.get("currency", ""),
    )
    try:
        item = services.saved_item_create(workspace=workspace, data=data)
    except ApplicationError as exc:
        return render(
            request,
            "agreements/saved_item_status.html",
            {"message": exc.message, "failed": True},
            status=400,
        )
    message = _("Saved “%(name)s” for reuse.") % {"name": item.description}
    return render(request, "agreements/saved_item_status.html", {"message": message})
