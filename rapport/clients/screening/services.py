"""Writes of lead screening (P01, P02): the checklist, the answers and the decision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.accounts.access import require_owner
from rapport.accounts.models import Membership, User, Workspace
from rapport.clients.models import Client, Contact, Screening, ScreeningAnswer, ScreeningQuestion
from rapport.clients.screening.selectors import checklist
from rapport.clients.services import client_update
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.services import notification_queue

# The first checklist of a workspace, in its language; the owner edits it in Settings.
DEFAULT_QUESTIONS = [
    (gettext_lazy("Did they say what they want to achieve, not only what they want to see?"), "no"),
    (gettext_lazy("Did they speak badly of every provider they had before?"), "yes"),
    (gettext_lazy("Do they want a fixed price before the scope is clear?"), "yes"),
    (gettext_lazy("Did they refuse a deposit or a written agreement?"), "yes"),
    (gettext_lazy("Is the deadline realistic for the scope?"), "no"),
    (gettext_lazy("Were they respectful and on time in the first contacts?"), "no"),
]


def checklist_create_defaults(workspace: Workspace) -> None:
    """Write the first checklist of a new workspace, in its language."""
    with translation.override(workspace.default_language):
        ScreeningQuestion.objects.bulk_create(
            ScreeningQuestion(workspace=workspace, text=str(text), red_flag=flag, position=i)
            for i, (text, flag) in enumerate(DEFAULT_QUESTIONS)
        )


@transaction.atomic
def question_add(*, membership: Membership, text: str, red_flag: str) -> ScreeningQuestion:
    require_owner(membership)
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write the question."), field="text")
    if len(text) > 300:
        raise ApplicationError(_("At most 300 characters."), field="text")
    if red_flag not in ScreeningQuestion.Flag.values:
        raise ApplicationError(_("Choose which answer is a red flag."), field="red_flag")
    existing = checklist(membership.workspace)
    return ScreeningQuestion.objects.create(
        workspace=membership.workspace, text=text, red_flag=red_flag, position=len(existing)
    )


@transaction.atomic
def question_remove(*, membership: Membership, question_id: int) -> None:
    """Take a question off the checklist; past answers keep it."""
    require_owner(membership)
    updated = (
        ScreeningQuestion.objects.for_workspace(membership.workspace)
        .filter(pk=question_id, archived_at__isnull=True)
        .update(archived_at=timezone.now())
    )
    if not updated:
        raise ApplicationError(_("No such question."), code="not_found")


def screening_for(client: Client) -> Screening:
    screening, _created = Screening.objects.get_or_create(
        client=client, defaults={"workspace_id": client.workspace_id}
    )
    return screening


@transaction.atomic
def screening_save(
    *,
    client: Client,
    actor: User,
    answers: dict[int, tuple[str, str]],
    past_experience: str,
    stakes: str,
    notes: str,
) -> Screening:
    """Record the answers (question id -> (answer, note)) and the notes (P01, P02)."""
    screening = screening_for(client)
    questions = {q.pk: q for q in checklist(client.workspace)}
    for question_id, (answer, note) in answers.items():
        if question_id not in questions:
            raise ApplicationError(_("Unknown question."), field="answers")
        if answer not in ScreeningAnswer.Answer.values:
            raise ApplicationError(_("Answer yes, no or not sure."), field=f"q{question_id}")
        ScreeningAnswer.objects.update_or_create(
            screening=screening,
            question_id=question_id,
            defaults={"answer": answer, "note": note.strip()[:500]},
        )
    screening.past_experience = past_experience.strip()
    screening.stakes = stakes.strip()
    screening.notes = notes.strip()
    screening.save()
    return screening


def decline_message_default(contact: Contact, workspace_name: str) -> str:
    """The polite decline, in the contact's language, for the provider to edit."""
    with translation.override(contact.effective_language):
        return _(
            "Thank you for thinking of us for this work and for the time you gave us. After "
            "looking at it carefully, we are not the right fit for it at the moment, and we "
            "would rather tell you now than promise something we could not do well. We wish "
            "you every success with it."
        )


@transaction.atomic
def screening_decide(
    *,
    client: Client,
    actor: User,
    decision: str,
    contact: Contact | None = None,
    message: str = "",
) -> Screening:
    """Take the work (the lead becomes an active client) or decline it, telling the contact
    with the provider's message in their language. The decision is recorded either way."""
    if decision not in (Screening.Decision.TAKE, Screening.Decision.DECLINE):
        raise ApplicationError(_("Choose take or decline."), field="decision")
    screening = screening_for(client)
    if decision == Screening.Decision.DECLINE:
        if contact is None or contact.client_id != client.pk:
            raise ApplicationError(_("Choose the contact to write to."), field="contact")
        if not message.strip():
            raise ApplicationError(_("Write the message to the client."), field="message")
        notification_queue(
            contact=contact,
            template="lead_decline",
            context={"message": message.strip()},
            subject=screening,
            dedupe_key=f"lead_decline:{screening.pk}",
        )
        screening.decline_message = message.strip()
        client_update(client=client, actor=actor, status=Client.Status.DECLINED)
    else:
        client_update(client=client, actor=actor, status=Client.Status.ACTIVE)
    screening.decision = decision
    screening.decided_at = timezone.now()
    screening.decided_by = actor
    screening.save()
    timeline_record(
        client=client,
        verb=f"screening.{decision}",
        actor=actor,
        subject=screening,
        data={"name": client.name},
    )
    return screening
