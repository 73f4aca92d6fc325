"""Staff pages for discovery briefs (P05): questionnaires in Settings, sending a brief to a
contact, reading the answers, and the access-checked download of uploaded files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, found_or_404, membership_of, workspace_of
from rapport.clients.access import client_or_404
from rapport.clients.briefs import selectors, services
from rapport.clients.briefs.forms import BriefQuestionForm, BriefSendForm, BriefTemplateForm
from rapport.clients.briefs.validation import upload_content_type
from rapport.clients.models import BriefAnswer
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form


def brief_file_response(answer: BriefAnswer) -> FileResponse:
    """Stream an uploaded file as a download: never shown inline, never sniffed, never
    cached by a shared cache; its type comes from its allow-listed extension."""
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    stored = answer.file.name or ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=answer.text or stored.rsplit("/", 1)[-1],
        content_type=upload_content_type(stored),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def brief_send(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Choose a contact and a questionnaire, and send it."""
    client = client_or_404(request, client_pk)
    form = BriefSendForm(request.POST or None, client=client)
    brief = form_save(
        request,
        form,
        lambda: services.brief_send(
            client=client,
            contact=form.cleaned_data["contact"],
            template=form.cleaned_data["template"],
            actor=request.user,
        ),
    )
    if brief is not None:
        messages.success(request, _("Brief sent."))
        return redirect("clients:detail", client.pk)
    return render_form(request, "clients/brief_send.html", {"client": client, "form": form})


@login_required
def brief_detail(request: StaffRequest, pk: int) -> HttpResponse:
    brief = found_or_404(selectors.brief_get(workspace=workspace_of(request), pk=pk))
    context = {"brief": brief, "client": brief.client, "rows": selectors.brief_rows(brief=brief)}
    return render(request, "clients/brief_detail.html", context)


@login_required
def brief_file(request: StaffRequest, pk: int) -> FileResponse:
    answer = selectors.brief_answer_file(workspace=workspace_of(request), pk=pk)
    return brief_file_response(found_or_404(answer))


# --- Settings → Briefs -------------------------------------------------------------------------


@login_required
def brief_templates(request: StaffRequest) -> HttpResponse:
    """The workspace's questionnaires; the owner creates new ones here."""
    workspace = workspace_of(request)
    membership = membership_of(request)
    form = BriefTemplateForm(request.POST or None, initial={"language": workspace.default_language})
    template = form_save(
        request,
        form,
        lambda: services.brief_template_create(
            membership=membership,
            title=form.cleaned_data["title"],
            language=form.cleaned_data["language"],
        ),
    )
    if template is not None:
        messages.success(request, _("Questionnaire created: add its questions."))
        return redirect("clients:brief_template", template.pk)
    context = {
        "templates": selectors.brief_templates(workspace=workspace),
        "form": form,
        "membership": membership,
    }
    return render_form(request, "clients/brief_templates.html", context)


@login_required
def brief_template(request: StaffRequest, pk: int) -> HttpResponse:
    """One questionnaire: its questions in order; the owner adds, moves and removes them."""
    workspace = workspace_of(request)
    membership = membership_of(request)
    template = found_or_404(selectors.brief_template_get(workspace=workspace, pk=pk))
    form = BriefQuestionForm(request.POST or None)
    question = form_save(
        request,
        form,
        lambda: services.brief_question_add(
            membership=membership, template=template, **form.cleaned_data
        ),
    )
    if question is not None:
        messages.success(request, _("Question added."))
        return redirect("clients:brief_template", template.pk)
    context = {
        "template": template,
        "questions": template.questions.order_by("position", "id"),
        "form": form,
        "membership": membership,
    }
    return render_form(request, "clients/brief_template.html", context)


@login_required
@require_POST
def brief_template_archive(request: StaffRequest, pk: int) -> HttpResponse:
    template = found_or_404(selectors.brief_template_get(workspace=workspace_of(request), pk=pk))
    try:
        services.brief_template_archive(membership=membership_of(request), template=template)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("clients:brief_template", template.pk)
    messages.success(request, _("Questionnaire archived."))
    return redirect("clients:brief_templates")


@login_required
@require_POST
def brief_question_remove(request: StaffRequest, pk: int) -> HttpResponse:
    question = found_or_404(selectors.brief_question_get(workspace=workspace_of(request), pk=pk))
    try:
        services.brief_question_remove(membership=membership_of(request), question=question)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("clients:brief_template", question.template_id)


@login_required
@require_POST
def brief_question_move(request: StaffRequest, pk: int) -> HttpResponse:
    question = found_or_404(selectors.brief_question_get(workspace=workspace_of(request), pk=pk))
    try:
        services.brief_question_move(
            membership=membership_of(request),
            question=question,
            up=request.POST.get("direction") != "down",
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("clients:brief_template", question.template_id)
