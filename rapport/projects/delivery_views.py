"""Staff pages for handing a deliverable over for review: its files and links, "Deliver", and
the access-checked download of an attached file (P06, P13)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.forms import BaseForm
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save
from rapport.projects import selectors
from rapport.projects.access import deliverable_or_404
from rapport.projects.attachments import (
    ALLOWED,
    attachment_response,
    deliverable_attachment_remove,
    deliverable_file_attach,
    deliverable_link_attach,
    max_bytes,
)
from rapport.projects.forms import AttachFileForm, AttachLinkForm, DeliverForm
from rapport.projects.models import Deliverable
from rapport.projects.review import deliverable_deliver


def _page(
    request: StaffRequest, deliverable: Deliverable, **forms: BaseForm | None
) -> HttpResponse:
    project = deliverable.milestone.project
    contacts = selectors.client_contacts(client_id=project.client_id)
    context: dict[str, Any] = {
        "deliverable": deliverable,
        "milestone": deliverable.milestone,
        "project": project,
        "attachments": selectors.deliverable_attachments(deliverable=deliverable),
        "file_form": forms.get("file_form") or AttachFileForm(accept=",".join(sorted(ALLOWED))),
        "link_form": forms.get("link_form") or AttachLinkForm(),
        "deliver_form": forms.get("deliver_form")
        or DeliverForm(client_id=project.client_id, initial={"contacts": contacts}),
        "max_mb": max_bytes() // (1024 * 1024),
        # Shown with spaces, so that the list wraps inside its card.
        "types": ", ".join(sorted(ALLOWED)),
    }
    refused = any(form is not None and form.errors for form in forms.values())
    return render(
        request, "projects/deliverable_detail.html", context, status=400 if refused else 200
    )


@login_required
@require_GET
def deliverable_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _page(request, deliverable_or_404(request, pk))


@login_required
@require_POST
def deliverable_file_add(request: StaffRequest, pk: int) -> HttpResponse:
    deliverable = deliverable_or_404(request, pk)
    form = AttachFileForm(request.POST, request.FILES)
    upload = request.FILES.get("file")
    saved = form_save(
        request,
        form,
        lambda: deliverable_file_attach(
            deliverable=deliverable,
            actor=request.user,
            upload=upload if isinstance(upload, UploadedFile) else form.cleaned_data["file"],
        ),
    )
    if saved is None:
        return _page(request, deliverable, file_form=form)
    messages.success(request, _("File attached."))
    return redirect("projects:deliverable_detail", deliverable.pk)


@login_required
@require_POST
def deliverable_link_add(request: StaffRequest, pk: int) -> HttpResponse:
    deliverable = deliverable_or_404(request, pk)
    form = AttachLinkForm(request.POST)
    saved = form_save(
        request,
        form,
        lambda: deliverable_link_attach(
            deliverable=deliverable,
            actor=request.user,
            url=form.cleaned_data["url"],
            name=form.cleaned_data["name"],
        ),
    )
    if saved is None:
        return _page(request, deliverable, link_form=form)
    messages.success(request, _("Link attached."))
    return redirect("projects:deliverable_detail", deliverable.pk)


@login_required
@require_POST
def deliverable_deliver_view(request: StaffRequest, pk: int) -> HttpResponse:
    deliverable = deliverable_or_404(request, pk)
    project = deliverable.milestone.project
    form = DeliverForm(request.POST, client_id=project.client_id)
    saved = form_save(
        request,
        form,
        lambda: deliverable_deliver(
            deliverable=deliverable,
            actor=request.user,
            contacts=list(form.cleaned_data["contacts"]),
            note=form.cleaned_data["note"],
        ),
    )
    if saved is None:
        return _page(request, deliverable, deliver_form=form)
    messages.success(request, _("Delivered: the client has been told and can review it."))
    return redirect("projects:deliverable_detail", deliverable.pk)


@login_required
@require_POST
def attachment_remove(request: StaffRequest, pk: int) -> HttpResponse:
    attachment = found_or_404(selectors.attachment_get(workspace=workspace_of(request), pk=pk))
    try:
        deliverable_attachment_remove(attachment=attachment)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed."))
    return redirect("projects:deliverable_detail", attachment.deliverable_id)


@login_required
@require_GET
def attachment_file(request: StaffRequest, pk: int) -> FileResponse:
    attachment = found_or_404(selectors.attachment_get(workspace=workspace_of(request), pk=pk))
    return attachment_response(attachment)
