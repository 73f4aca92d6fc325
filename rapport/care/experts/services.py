"""Writes of the expert directory and of the recommendations made to clients (P32).

An expert is a trusted colleague with skills; archiving keeps their recommendations on
record and takes them out of the lists. A recommendation names the expert, the client (and
optionally the contact told), what for and when; its outcome is pending until it is known
and may change as it becomes known. It may go to the contact as a message in their language
(the outbox, as every client message), with the expert's name, contact details and why.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import LANGUAGE_CHOICES, User, Workspace
from rapport.care.model_referrals import Expert, Recommendation
from rapport.clients.models import Client, Contact
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.core.validation import clean_tags
from rapport.notifications.services import notification_queue

NAME_MAX = 200
NOTE_MAX = 500
TEXT_MAX = 4000
LANGUAGES = {code for code, _label in LANGUAGE_CHOICES}


def _text(value: str, *, field: str, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(_("This field is required."), field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": limit}, field=field
        )
    return value


def _expert_fill(
    expert: Expert,
    *,
    name: str,
    skills: list[str] | str,
    email: str,
    phone: str,
    website: str,
    language: str,
    notes: str,
) -> None:
    expert.name = _text(name, field="name", required=True, limit=NAME_MAX)
    expert.skills = clean_tags(skills, field="skills")
    if not expert.skills:
        raise ApplicationError(_("Name at least one skill."), field="skills")
    expert.skill_index = "|" + "|".join(expert.skills) + "|"
    expert.email = _text(email, field="email", required=False, limit=254)
    if expert.email and ("@" not in expert.email or " " in expert.email):
        raise ApplicationError(_("Enter a valid email address."), field="email")
    expert.phone = _text(phone, field="phone", required=False, limit=40)
    expert.website = _text(website, field="website", required=False, limit=200)
    if expert.website and not expert.website.startswith(("https://", "http://")):
        raise ApplicationError(_("A website address starts with https://."), field="website")
    if language and language not in LANGUAGES:
        raise ApplicationError(_("Choose one of the languages offered."), field="language")
    expert.language = language
    expert.notes = _text(notes, field="notes", required=False, limit=TEXT_MAX)


@transaction.atomic
def expert_create(
    *,
    workspace: Workspace,
    name: str,
    skills: list[str] | str,
    email: str = "",
    phone: str = "",
    website: str = "",
    language: str = "",
    notes: str = "",
) -> Expert:
    """Add a trusted colleague to the directory. A name and at least one skill are needed;
    skills are lower-cased tags (``clean_tags``); the email and website, when given, must
    look like one."""
    expert = Expert(workspace=workspace)
    _expert_fill(
        expert,
        name=name,
        skills=skills,
        email=email,
        phone=phone,
        website=website,
        language=language,
        notes=notes,
    )
    expert.save()
    return expert


@transaction.atomic
def expert_update(
    *,
    expert: Expert,
    name: str,
    skills: list[str] | str,
    email: str = "",
    phone: str = "",
    website: str = "",
    language: str = "",
    notes: str = "",
) -> Expert:
    """Change an expert's card; the same rules as :func:`expert_create`."""
    _expert_fill(
        expert,
        name=name,
        skills=skills,
        email=email,
        phone=phone,
        website=website,
        language=language,
        notes=notes,
    )
    expert.save()
    return expert


@transaction.atomic
def expert_archive(*, expert: Expert) -> Expert:
    """Take an expert out of the lists; their recommendations stay on record. Idempotent."""
    if expert.archived_at is None:
        expert.archived_at = timezone.now()
        expert.save(update_fields=["archived_at", "updated_at"])
    return expert


@transaction.atomic
def expert_restore(*, expert: Expert) -> Expert:
    """Bring an archived expert back into the lists. Idempotent."""
    if expert.archived_at is not None:
        expert.archived_at = None
        expert.save(update_fields=["archived_at", "updated_at"])
    return expert


def recommendation_message_context(recommendation: Recommendation) -> dict[str, object]:
    """What the message to the contact says: the expert, how to reach them, and why."""
    return {"recommendation": recommendation, "expert": recommendation.expert}


@transaction.atomic
def recommendation_record(
    *,
    client: Client,
    expert: Expert,
    reason: str,
    actor: User | None,
    contact: Contact | None = None,
    recommended_on: date | None = None,
    send: bool = False,
) -> Recommendation:
    """Log that ``expert`` was recommended to ``client`` (and ``contact``) for ``reason``.

    The expert and the contact must be of the client's workspace (and the contact of this
    client); an archived expert is refused. ``recommended_on`` is today when not given and
    never in the future. With ``send`` the contact gets the recommendation as a message in
    their language through their channel (one outbox row, written in this transaction).
    """
    if expert.workspace_id != client.workspace_id:
        raise ApplicationError(_("Choose an expert of your directory."), field="expert")
    if expert.archived_at is not None:
        raise ApplicationError(_("This expert is archived; restore them first."), field="expert")
    if contact is not None and (contact.client_id != client.pk or contact.archived_at is not None):
        raise ApplicationError(_("Choose a contact of this client."), field="contact")
    if send and contact is None:
        raise ApplicationError(_("Choose the contact to send it to."), field="contact")
    reason = _text(reason, field="reason", required=True, limit=TEXT_MAX)
    today = timezone.localdate()
    recommended_on = recommended_on or today
    if recommended_on > today:
        raise ApplicationError(
            _("A recommendation cannot be made in the future."), field="recommended_on"
        )
    recommendation = Recommendation.objects.create(
        workspace_id=client.workspace_id,
        expert=expert,
        client=client,
        contact=contact,
        reason=reason,
        recommended_on=recommended_on,
        recorded_by=actor,
    )
    if send and contact is not None:
        notification_queue(
            contact=contact,
            template="expert_recommended",
            context=recommendation_message_context(recommendation),
            subject=recommendation,
            dedupe_key=f"expert_recommended:{recommendation.pk}",
        )
        recommendation.sent_at = timezone.now()
        recommendation.save(update_fields=["sent_at", "updated_at"])
    timeline_record(
        client=client,
        verb="expert.recommended",
        actor=actor,
        subject=recommendation,
        data={"expert": expert.name, "reason": reason[:120]},
    )
    return recommendation


@transaction.atomic
def recommendation_outcome(
    *, recommendation: Recommendation, outcome: str, note: str = ""
) -> Recommendation:
    """Record how a recommendation went (pending, hired, not hired, unknown), with a note;
    it may change again as more becomes known."""
    if outcome not in Recommendation.Outcome.values:
        raise ApplicationError(_("Choose one of the outcomes offered."), field="outcome")
    recommendation.outcome = outcome
    recommendation.outcome_note = _text(note, field="outcome_note", required=False, limit=NOTE_MAX)
    recommendation.outcome_at = (
        None if outcome == Recommendation.Outcome.PENDING else timezone.now()
    )
    recommendation.save(update_fields=["outcome", "outcome_note", "outcome_at", "updated_at"])
    return recommendation
