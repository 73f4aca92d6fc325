"""Writes of discovery briefs (P05): questionnaires (owner only), sending one to a contact,
and the contact's answers in the portal. The checks of the input are in ``validation``."""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.accounts.access import require_owner
from rapport.accounts.models import Membership, User, Workspace
from rapport.clients.briefs.defaults import DEFAULT_QUESTIONS, DEFAULT_TITLE
from rapport.clients.briefs.validation import (
    check_upload,
    clean_answer_text,
    clean_question,
    clean_template,
)
from rapport.clients.models import Brief, BriefAnswer, BriefQuestion, BriefTemplate, Client, Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue

# --- Templates (Settings → Briefs) -------------------------------------------------------------


def brief_template_create_default(workspace: Workspace) -> BriefTemplate:
    """Write the first questionnaire of ``workspace``, in its language."""
    language = workspace.default_language
    with translation.override(language):
        template = BriefTemplate.objects.create(
            workspace=workspace, title=str(DEFAULT_TITLE), language=language
        )
        BriefQuestion.objects.bulk_create(
            BriefQuestion(
                template=template,
                position=i,
                kind=q["kind"],
                text=str(q["text"]),
                help_text=str(q["help_text"]),
                required=q["required"],
                choices=[str(c) for c in q.get("choices", [])],
            )
            for i, q in enumerate(DEFAULT_QUESTIONS)
        )
    return template


def _template_of(membership: Membership, template: BriefTemplate) -> BriefTemplate:
    require_owner(membership)
    if template.workspace_id != membership.workspace_id:
        raise ApplicationError(_("No such template."), code="not_found")
    return template


@transaction.atomic
def brief_template_create(*, membership: Membership, title: str, language: str) -> BriefTemplate:
    """A new, empty questionnaire (owner only); questions are added next."""
    require_owner(membership)
    title = clean_template(title=title, language=language)
    return BriefTemplate.objects.create(
        workspace=membership.workspace, title=title, language=language
    )


@transaction.atomic
def brief_template_archive(*, membership: Membership, template: BriefTemplate) -> BriefTemplate:
    """Stop offering a questionnaire; briefs already sent keep their copy of it."""
    _template_of(membership, template)
    if template.archived_at is None:
        template.archived_at = timezone.now()
        template.save(update_fields=["archived_at", "updated_at"])
    return template


@transaction.atomic
def brief_question_add(
    *,
    membership: Membership,
    template: BriefTemplate,
    kind: str,
    text: str,
    help_text: str = "",
    choices: list[str] | str = "",
    required: bool = False,
) -> BriefQuestion:
    """Append a question (text, choice with options, or file) to a questionnaire."""
    _template_of(membership, template)
    text, help_text, cleaned_choices = clean_question(
        kind=kind, text=text, help_text=help_text, choices=choices
    )
    last = template.questions.aggregate(last=Max("position"))["last"]
    return BriefQuestion.objects.create(
        template=template,
        position=0 if last is None else last + 1,
        kind=kind,
        text=text,
        help_text=help_text,
        choices=cleaned_choices,
        required=required,
    )


@transaction.atomic
def brief_question_remove(*, membership: Membership, question: BriefQuestion) -> None:
    """Take a question off a questionnaire (briefs already sent keep it)."""
    _template_of(membership, question.template)
    question.delete()


@transaction.atomic
def brief_question_move(*, membership: Membership, question: BriefQuestion, up: bool) -> None:
    """Swap a question with the one before (``up``) or after it."""
    template = _template_of(membership, question.template)
    questions = list(template.questions.select_for_update().order_by("position", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions):
        q.position = position
    BriefQuestion.objects.bulk_update(questions, ["position"])


# --- Sending -------------------------------------------------------------------------------


def _snapshot(template: BriefTemplate) -> list[dict[str, Any]]:
    return [
        {
            "kind": q.kind,
            "text": q.text,
            "help_text": q.help_text,
            "choices": list(q.choices or []),
            "required": q.required,
        }
        for q in template.questions.order_by("position", "id")
    ]


@transaction.atomic
def brief_send(*, client: Client, contact: Contact, template: BriefTemplate, actor: User) -> Brief:
    """Send a questionnaire to ``contact`` (P05).

    The questions are copied into the brief as they are now. The contact gets a message in
    their language with a fresh portal link; the brief waits for them on the portal's home.
    The template is shown as written: its language is the provider's choice.
    """
    if contact.client_id != client.pk or contact.archived_at is not None:
        raise ApplicationError(_("Choose a contact of this client."), field="contact")
    if client.archived_at is not None:
        raise ApplicationError(_("This client is archived."), field="client")
    if template.workspace_id != client.workspace_id or template.archived_at is not None:
        raise ApplicationError(_("Choose a questionnaire."), field="template")
    questions = _snapshot(template)
    if not questions:
        raise ApplicationError(_("This questionnaire has no questions yet."), field="template")
    brief = Brief.objects.create(
        workspace_id=client.workspace_id,
        client=client,
        contact=contact,
        template=template,
        title=template.title,
        questions=questions,
        sent_at=timezone.now(),
    )
    _link, token = portal_link_create(contact=contact, actor=actor)
    notification_queue(
        contact=contact,
        template="brief_sent",
        context={
            "brief": brief,
            # The link opens the portal on the brief itself (after the confirm click).
            "url": f"{portal_link_url(token)}?next={reverse('portal:brief', args=[brief.pk])}",
            "count": len(questions),
        },
        subject=brief,
        dedupe_key=f"brief_sent:{brief.pk}",
    )
    timeline_record(
        client=client,
        verb="brief.sent",
        actor=actor,
        subject=brief,
        data={"title": brief.title, "name": contact.name},
    )
    return brief


# --- Answering (portal) ------------------------------------------------------------------------


def _locked_open_brief(brief: Brief, contact: Contact) -> Brief:
    """The brief, row-locked, if ``contact`` may still change it."""
    locked = Brief.objects.select_for_update().get(pk=brief.pk)
    if locked.client_id != contact.client_id or locked.workspace_id != contact.workspace_id:
        raise ApplicationError(_("No such brief."), code="not_found")
    if locked.status == Brief.Status.SUBMITTED:
        raise ApplicationError(
            _("This brief was already sent; it can no longer be changed."), field="brief"
        )
    return locked


def _question(brief: Brief, index: int) -> dict[str, Any]:
    if not 0 <= index < len(brief.questions):
        raise ApplicationError(_("No such question."), code="not_found")
    question: dict[str, Any] = brief.questions[index]
    return question


def _save_one(
    brief: Brief, index: int, *, text: str | None, upload: UploadedFile[bytes] | None
) -> BriefAnswer:
    question = _question(brief, index)
    field = f"q{index}"
    answer = BriefAnswer.objects.filter(brief=brief, question_index=index).first() or BriefAnswer(
        brief=brief, question_index=index
    )
    if question["kind"] == BriefQuestion.Kind.FILE:
        if upload is None:
            raise ApplicationError(_("Choose a file."), field=field)
        extension = check_upload(upload, field)
        old = answer.file.name if answer.file else ""
        # A random stored name: the client's file name is kept only as text, never as a path.
        answer.file.save(f"{secrets.token_hex(12)}{extension}", upload, save=False)
        answer.text = PurePath(upload.name or "").name[:200]
        if old:
            storage = answer.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    else:
        value = clean_answer_text(question, text, field)
        if not value and answer.pk is None:
            return answer  # nothing to keep: no empty rows for questions left blank
        answer.text = value
    answer.save()
    return answer


@transaction.atomic
def brief_answer_save(
    *,
    brief: Brief,
    contact: Contact,
    index: int,
    text: str | None = None,
    upload: UploadedFile[bytes] | None = None,
) -> BriefAnswer:
    """Save one answer as the contact types it (the portal's autosave).

    ``text`` for text and choice questions (a choice must be one of the options or blank),
    ``upload`` for file questions (allow-listed types, at most 10 MB). Refused once the brief
    has been sent back.
    """
    brief = _locked_open_brief(brief, contact)
    answer = _save_one(brief, index, text=text, upload=upload)
    if brief.status == Brief.Status.SENT:
        brief.status = Brief.Status.IN_PROGRESS
        brief.save(update_fields=["status", "updated_at"])
    return answer


@transaction.atomic
def brief_answers_save(
    *,
    brief: Brief,
    contact: Contact,
    texts: dict[int, str],
    uploads: dict[int, UploadedFile[bytes]],
) -> Brief:
    """Save several answers at once (the page's plain submit, without JavaScript).

    All or nothing: one refused answer (named by its field ``q<index>``) saves none.
    """
    brief = _locked_open_brief(brief, contact)
    for index, text in sorted(texts.items()):
        if _question(brief, index)["kind"] != BriefQuestion.Kind.FILE:
            _save_one(brief, index, text=text, upload=None)
    # Check every file before storing any, so that a refused one leaves no stray file.
    for index, upload in sorted(uploads.items()):
        if _question(brief, index)["kind"] != BriefQuestion.Kind.FILE:
            raise ApplicationError(_("This question takes no file."), field=f"q{index}")
        check_upload(upload, f"q{index}")
    for index, upload in sorted(uploads.items()):
        _save_one(brief, index, text=None, upload=upload)
    if (texts or uploads) and brief.status == Brief.Status.SENT:
        brief.status = Brief.Status.IN_PROGRESS
        brief.save(update_fields=["status", "updated_at"])
    return brief


@transaction.atomic
def brief_submit(*, brief: Brief, contact: Contact) -> Brief:
    """The contact sends the brief back: every required question must be answered (the
    message names the first that is not). The provider gets an alert; the brief is then
    read-only."""
    brief = _locked_open_brief(brief, contact)
    given = {a.question_index: a for a in BriefAnswer.objects.filter(brief=brief)}
    for index, question in enumerate(brief.questions):
        answer = given.get(index)
        answered = answer is not None and (
            bool(answer.file) if question["kind"] == BriefQuestion.Kind.FILE else bool(answer.text)
        )
        if question["required"] and not answered:
            raise ApplicationError(
                _("Please answer “%(question)s”.") % {"question": question["text"]},
                field=f"q{index}",
            )
    brief.status = Brief.Status.SUBMITTED
    brief.submitted_at = timezone.now()
    brief.save(update_fields=["status", "submitted_at", "updated_at"])
    client = brief.client
    alert_raise(
        workspace=brief.workspace_id,
        kind=Alert.Kind.BRIEF_SUBMITTED,
        dedupe_key=f"brief_submitted:{brief.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=brief,
        data={"name": contact.name, "title": brief.title, "brief_id": brief.pk},
        severity=Alert.Severity.INFO,
    )
    timeline_record(
        client=client,
        verb="brief.submitted",
        actor_contact=contact,
        subject=brief,
        data={"title": brief.title, "name": contact.name},
    )
    return brief
