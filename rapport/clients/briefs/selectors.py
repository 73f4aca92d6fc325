"""Reads of briefs and questionnaires, scoped to a workspace (staff) or a client (portal)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from rapport.accounts.models import Workspace
from rapport.clients.models import Brief, BriefAnswer, BriefQuestion, BriefTemplate, Client, Contact


@dataclass
class BriefRow:
    """One question of a brief with its answer (if any)."""

    index: int
    kind: str
    text: str
    help_text: str
    choices: list[str]
    required: bool
    answer: BriefAnswer | None

    @property
    def value(self) -> str:
        return self.answer.text if self.answer is not None else ""

    @property
    def error_key(self) -> str:
        """The field name services use for this question's errors."""
        return f"q{self.index}"

    @property
    def has_file(self) -> bool:
        return self.answer is not None and bool(self.answer.file)


def brief_templates(*, workspace: Workspace, archived: bool = False) -> QuerySet[BriefTemplate]:
    return (
        BriefTemplate.objects.for_workspace(workspace)
        .filter(archived_at__isnull=not archived)
        .prefetch_related(
            Prefetch("questions", queryset=BriefQuestion.objects.order_by("position", "id"))
        )
        .order_by("title", "id")
    )


def brief_template_get(*, workspace: Workspace, pk: int) -> BriefTemplate | None:
    return BriefTemplate.objects.for_workspace(workspace).filter(pk=pk).first()


def brief_question_get(*, workspace: Workspace, pk: int) -> BriefQuestion | None:
    return (
        BriefQuestion.objects.filter(template__workspace=workspace, pk=pk)
        .select_related("template")
        .first()
    )


CLIENT_PAGE_BRIEFS = 10


def client_briefs(*, client: Client) -> list[Brief]:
    """The client's latest briefs, newest first, with the contact each went to."""
    return list(
        Brief.objects.filter(workspace_id=client.workspace_id, client=client)
        .select_related("contact")
        .order_by("-sent_at", "-id")[:CLIENT_PAGE_BRIEFS]
    )


def brief_get(*, workspace: Workspace, pk: int) -> Brief | None:
    return (
        Brief.objects.for_workspace(workspace)
        .select_related("client", "contact")
        .filter(pk=pk)
        .first()
    )


def brief_rows(*, brief: Brief, posted: dict[int, str] | None = None) -> list[BriefRow]:
    """The questions of the snapshot with the saved answers (one query).

    ``posted`` overrides the saved text with what was just typed (a refused plain submit
    shows the page again without losing it).
    """
    answers = {a.question_index: a for a in BriefAnswer.objects.filter(brief=brief)}
    rows = []
    for index, q in enumerate(brief.questions):
        answer = answers.get(index)
        if posted is not None and index in posted and q.get("kind") != BriefQuestion.Kind.FILE:
            answer = BriefAnswer(brief=brief, question_index=index, text=posted[index])
            if index in answers:
                answer.file = answers[index].file
        rows.append(
            BriefRow(
                index=index,
                kind=str(q.get("kind", BriefQuestion.Kind.TEXT)),
                text=str(q.get("text", "")),
                help_text=str(q.get("help_text", "")),
                choices=[str(c) for c in q.get("choices", [])],
                required=bool(q.get("required")),
                answer=answer,
            )
        )
    return rows


def brief_answer_file(*, workspace: Workspace, pk: int) -> BriefAnswer | None:
    """An uploaded file of a brief of ``workspace``."""
    return BriefAnswer.objects.filter(pk=pk, brief__workspace=workspace).exclude(file="").first()


# --- Portal ------------------------------------------------------------------------------------


def portal_briefs(*, contact: Contact) -> QuerySet[Brief]:
    """The briefs of the contact's client (any of its contacts may fill them in)."""
    return Brief.objects.filter(
        client_id=contact.client_id, workspace_id=contact.workspace_id
    ).order_by("-sent_at", "-id")


def portal_brief_answer_file(*, contact: Contact, pk: int) -> BriefAnswer | None:
    """An uploaded file of a brief of the contact's client."""
    return (
        BriefAnswer.objects.filter(
            pk=pk, brief__client_id=contact.client_id, brief__workspace_id=contact.workspace_id
        )
        .exclude(file="")
        .first()
    )


def portal_brief_get(*, contact: Contact, pk: int) -> Brief | None:
    found: Brief | None = portal_briefs(contact=contact).filter(pk=pk).first()
    return found
