"""Writing and describing timeline events (the audit trail on a client's page)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.formatting import readable
from rapport.core.models import TimelineEvent

if TYPE_CHECKING:
    from django.db.models import Model

    from rapport.accounts.models import User
    from rapport.clients.models import Client, Contact

# Each verb has one sentence, translated when shown; ``data`` fills its placeholders.
VERBS: dict[str, Any] = {
    "client.created": gettext_lazy("Client %(name)s created"),
    "client.updated": gettext_lazy("Client details edited (%(fields)s)"),
    "client.status_changed": gettext_lazy("Status changed from %(old)s to %(new)s"),
    "client.archived": gettext_lazy("Client archived"),
    "client.restored": gettext_lazy("Client restored"),
    "client.handed_over": gettext_lazy("Account handed over from %(old)s to %(new)s"),
    "contact.created": gettext_lazy("Contact %(name)s added"),
    "contact.updated": gettext_lazy("Contact %(name)s edited (%(fields)s)"),
    "contact.archived": gettext_lazy("Contact %(name)s archived"),
    "contact.restored": gettext_lazy("Contact %(name)s restored"),
    "project.created": gettext_lazy("Project %(title)s created"),
    "project.updated": gettext_lazy("Project %(title)s edited (%(fields)s)"),
    "project.status_changed": gettext_lazy("Project %(title)s: status %(old)s → %(new)s"),
    "project.archived": gettext_lazy("Project %(title)s archived"),
    "project.restored": gettext_lazy("Project %(title)s restored"),
    "milestone.created": gettext_lazy("Milestone %(title)s added"),
    "milestone.updated": gettext_lazy("Milestone %(title)s edited (%(fields)s)"),
    "milestone.progressed": gettext_lazy("Milestone %(title)s at %(progress)s%%"),
    "milestone.done": gettext_lazy("Milestone %(title)s done"),
    "milestone.archived": gettext_lazy("Milestone %(title)s archived"),
    "milestone.restored": gettext_lazy("Milestone %(title)s restored"),
    "deliverable.restored": gettext_lazy("Deliverable %(title)s restored"),
    "deliverable.created": gettext_lazy("Deliverable %(title)s added"),
    "deliverable.updated": gettext_lazy("Deliverable %(title)s edited (%(fields)s)"),
    "deliverable.archived": gettext_lazy("Deliverable %(title)s archived"),
    "deliverable.delivered": gettext_lazy(
        "Deliverable %(title)s delivered for review (%(count)s files and links)"
    ),
    "deliverable.accepted": gettext_lazy("%(name)s approved deliverable %(title)s"),
    "project.from_template": gettext_lazy("Project %(title)s created from template %(template)s"),
    "extra.planned": gettext_lazy("Extra planned for %(project)s: %(title)s"),
    "extra.delivered": gettext_lazy("Extra delivered for %(project)s: %(title)s"),
    "project.duplicated": gettext_lazy("Project %(title)s created as a copy of %(source)s"),
    "screening.take": gettext_lazy("Screened: we take the work"),
    "screening.decline": gettext_lazy("Screened: we declined, politely, in writing"),
    "portal.link_sent": gettext_lazy("Portal link sent to %(name)s"),
    "portal.link_revoked": gettext_lazy("Portal link of %(name)s revoked"),
    "portal.opened": gettext_lazy("%(name)s opened the portal"),
    "notification.queued": gettext_lazy("Message to %(name)s queued (%(channel)s): %(subject)s"),
    "notification.sent": gettext_lazy("Message to %(name)s sent (%(channel)s): %(subject)s"),
    "notification.retry": gettext_lazy(
        "Message to %(name)s not delivered yet (%(channel)s, attempt %(attempt)s): %(error)s"
    ),
    "notification.failed": gettext_lazy("Message to %(name)s failed (%(channel)s): %(error)s"),
    "notification.fallback": gettext_lazy("Message to %(name)s sent again by email instead"),
    "commitment.created": gettext_lazy("Commitment: %(wording)s (due %(due)s)"),
    "commitment.kept": gettext_lazy("Commitment kept: %(wording)s"),
    "commitment.broken": gettext_lazy("Commitment broken: %(wording)s"),
    "commitment.renegotiated": gettext_lazy(
        "Commitment renegotiated: %(wording)s, new date %(due)s (%(reason)s)"
    ),
    "commitment.cancelled": gettext_lazy("Commitment cancelled: %(wording)s"),
    "commitment.moved": gettext_lazy(
        "Date moved without telling the client: %(wording)s, new date %(due)s"
    ),
    "commitment.superseded": gettext_lazy("Commitment superseded: %(wording)s"),
    "commitment.cancel_agreed": gettext_lazy("%(name)s agreed to cancel: %(wording)s"),
    "commitment.cancel_disagreed": gettext_lazy("%(name)s did not agree to cancel: %(wording)s"),
    "promise.confirmation_requested": gettext_lazy("Asked %(name)s to confirm: %(wording)s"),
    "promise.confirmed": gettext_lazy("%(name)s confirmed: %(wording)s"),
    "request.received": gettext_lazy("Request from %(name)s: %(subject)s (answer by %(eta)s)"),
    "request.replied": gettext_lazy("Replied to request: %(subject)s"),
    "request.client_replied": gettext_lazy("%(name)s replied by email: %(subject)s"),
    "request.done": gettext_lazy("Request done: %(subject)s"),
    "request.declined": gettext_lazy("Request declined: %(subject)s (%(reason)s)"),
    "update.sent": gettext_lazy("Progress update on %(title)s sent to %(names)s"),
    "delay.notified": gettext_lazy("Delay notice for %(title)s: new date %(due)s"),
    # Briefs (P05) and revision rounds (P08)
    "brief.sent": gettext_lazy("Brief “%(title)s” sent to %(name)s"),
    "brief.submitted": gettext_lazy("%(name)s sent back the brief “%(title)s”"),
    "revision.logged": gettext_lazy("Revision round %(number)s of %(title)s logged"),
    "revision.requested": gettext_lazy("%(name)s asked for revision round %(number)s of %(title)s"),
    "revision.estimated": gettext_lazy(
        "Revision round %(number)s of %(title)s: %(hours)s h estimated, sent to the client"
    ),
    "revision.accepted": gettext_lazy(
        "%(name)s accepted billable revision round %(number)s of %(title)s"
    ),
    "revision.declined": gettext_lazy(
        "%(name)s declined billable revision round %(number)s of %(title)s"
    ),
    "revision.done": gettext_lazy("Revision round %(number)s of %(title)s done (%(hours)s h)"),
    # Quotes (P06, P07)
    "quote.created": gettext_lazy("Quote %(ref)s drafted: %(title)s"),
    "quote.sent": gettext_lazy("Quote %(ref)s sent to %(name)s"),
    "quote.accepted": gettext_lazy("%(name)s accepted quote %(ref)s"),
    "quote.accepted_package": gettext_lazy(
        "%(name)s accepted quote %(ref)s, package “%(package)s”"
    ),
    "quote.declined": gettext_lazy("%(name)s declined quote %(ref)s: %(feedback)s"),
    "quote.new_version": gettext_lazy("Quote %(ref)s drafted to replace %(old)s"),
    "quote.expired": gettext_lazy("Quote %(ref)s expired without a decision"),
    "contract.created": gettext_lazy("Contract %(title)s sent to %(name)s to sign"),
    "contract.client_signed": gettext_lazy("%(name)s signed %(title)s"),
    "contract.countersigned": gettext_lazy("%(title)s countersigned: signed by both sides"),
    "contract.voided": gettext_lazy("%(title)s withdrawn (%(reason)s)"),
    "change.created": gettext_lazy("Change request: %(title)s"),
    "change.sent": gettext_lazy("Change request %(title)s sent to %(name)s to sign"),
    "change.approved": gettext_lazy("Change request %(title)s approved by %(name)s"),
    "change.rejected": gettext_lazy("Change request %(title)s rejected (%(reason)s)"),
    "change.withdrawn": gettext_lazy("Change request %(title)s withdrawn"),
    # Billing and kickoff (P09, P11)
    "invoice.issued": gettext_lazy("Invoice %(number)s issued: %(total)s, due %(due)s"),
    "invoice.paid": gettext_lazy("Invoice %(number)s paid in full"),
    "invoice.voided": gettext_lazy("Invoice %(number)s cancelled"),
    "payment.recorded": gettext_lazy("Payment of %(amount)s recorded on invoice %(number)s"),
    "project.kicked_off": gettext_lazy("Kickoff of %(title)s: welcome sent, checklist ready"),
    # Problems and mistakes (P20, P21, P22)
    "problem.reported": gettext_lazy("Problem reported on %(project)s: %(title)s"),
    "problem.chosen": gettext_lazy("%(name)s chose “%(choice)s” for the problem %(title)s"),
    "problem.talk": gettext_lazy("%(name)s asked to talk about the problem %(title)s"),
    "problem.resolved": gettext_lazy("Problem resolved, report sent: %(title)s"),
    # The decisions log (P36)
    "decision.recorded": gettext_lazy("Recommendation recorded on %(project)s: %(title)s"),
    "decision.decided": gettext_lazy("%(name)s decided “%(choice)s”: %(title)s"),
    # The pulse (P23)
    "pulse.answered": gettext_lazy("%(name)s answered “How are we doing?”: %(face)s %(score)s/5"),
    # At the close of a project (P33, P34)
    "survey.sent": gettext_lazy("Satisfaction survey sent for %(project)s"),
    "survey.answered": gettext_lazy(
        "%(name)s answered the survey on %(project)s: %(csat)s of 5, %(nps)s of 10"
    ),
    "testimonial.given": gettext_lazy("%(name)s gave a testimonial we may publish"),
    "testimonial.withdrawn": gettext_lazy(
        "%(name)s withdrew the permission to publish a testimonial"
    ),
    "portfolio.granted": gettext_lazy("%(name)s allowed us to show %(project)s in our portfolio"),
    "portfolio.revoked": gettext_lazy("%(name)s withdrew the portfolio permission for %(project)s"),
    "promotion.logged": gettext_lazy("Their work was shown: %(channel)s on %(date)s"),
    "problem.goodwill": gettext_lazy("%(hours)s hours not charged for the problem %(title)s"),
    "problem.reminded": gettext_lazy("Reminder sent: the problem %(title)s waits for an answer"),
    # Referrals and recommendations (P32, P34)
    "referral.recorded": gettext_lazy("Referred by %(name)s"),
    "expert.recommended": gettext_lazy("%(expert)s recommended for: %(reason)s"),
    # Keeping in touch (P30, P31, P34)
    "keepintouch.check_in_sent": gettext_lazy("Check-in sent to %(name)s: %(subject)s"),
    "keepintouch.win_back_sent": gettext_lazy("Win-back message sent to %(name)s: %(subject)s"),
    "keepintouch.loyalty_offered": gettext_lazy("Loyalty offer for the next quote: %(offer)s"),
}


# Verbs whose data name a model's fields ("fields": "due_date, title") or status codes ("old",
# "new"): the reader sees the model's translated labels. Looked up by label at read time, so
# core imports no domain app.
VERB_MODELS = {
    "client": "clients.Client",
    "contact": "clients.Contact",
    "project": "projects.Project",
    "milestone": "projects.Milestone",
    "deliverable": "projects.Deliverable",
}


def _field_label(model: type[Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _choice_labels(model_label: str, field_name: str) -> dict[Any, Any]:
    field = apps.get_model(model_label)._meta.get_field(field_name)
    return dict(getattr(field, "flatchoices", ()))


def _labelled(verb: str, data: dict[str, Any]) -> dict[str, Any]:
    if verb.startswith("notification.") and "channel" in data:
        # The channel is stored as its code ("email"); a contact's channel choices name it.
        labels = _choice_labels("clients.Contact", "preferred_channel")
        return {**data, "channel": str(labels.get(data["channel"], data["channel"]))}
    model_label = VERB_MODELS.get(verb.split(".", 1)[0])
    if model_label is None:
        return data
    model = apps.get_model(model_label)
    shown = dict(data)
    fields = shown.get("fields")
    if isinstance(fields, str):
        names = [name.strip() for name in fields.split(",") if name.strip()]
        shown["fields"] = ", ".join(_field_label(model, name) for name in names)
    if verb.endswith(".status_changed"):
        try:
            choices = _choice_labels(model_label, "status")
        except FieldDoesNotExist:
            choices = {}
        for key in ("old", "new"):
            if shown.get(key) in choices:
                shown[key] = str(choices[shown[key]])
    return shown


def describe_event(verb: str, data: dict[str, Any]) -> str:
    """The event's sentence in the active language, its stored values written out for the
    reader: field names and status codes as labels, dates, amounts and system texts."""
    template = VERBS.get(verb)
    if template is None:
        return verb
    try:
        return str(template) % readable(_labelled(verb, data))
    except (KeyError, TypeError, ValueError):
        return _("%(verb)s") % {"verb": verb}


def timeline_record(
    *,
    client: Client,
    verb: str,
    actor: User | None = None,
    actor_contact: Contact | None = None,
    subject: Model | None = None,
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append one event to the client's timeline. Call inside the service's transaction."""
    _verb_check(verb)
    return TimelineEvent.objects.create(
        workspace_id=client.workspace_id,
        client=client,
        actor=actor,
        actor_contact=actor_contact,
        verb=verb,
        subject_type=(subject._meta.model_name or "") if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        data=data or {},
    )


@dataclass(frozen=True, slots=True)
class NewEvent:
    """One event of :func:`timeline_record_many`: on whose timeline, about what, with what.

    The client is named by its ids: a scanner has the rows it changed, not their clients.
    """

    workspace_id: int
    client_id: int
    subject: Model | None = None
    data: dict[str, Any] = field(default_factory=dict)


def timeline_record_many(
    *,
    verb: str,
    events: Iterable[NewEvent],
    actor: User | None = None,
    at: datetime | None = None,
) -> list[TimelineEvent]:
    """Append one event per entry of ``events``, all with ``verb``, by ``actor`` (None: the
    engine) and at ``at`` (now unless given), in one bulk insert; returns the events written.

    The bulk form of :func:`timeline_record` for scanners that change many rows at once. Call
    it inside the transaction of the change. Like the single one it writes every event it is
    given: a scanner claims its rows first (a conditional update), so a second run has none.
    """
    _verb_check(verb)
    at = at or timezone.now()
    return TimelineEvent.objects.bulk_create(
        TimelineEvent(
            workspace_id=event.workspace_id,
            client_id=event.client_id,
            actor=actor,
            verb=verb,
            subject_type=(
                (event.subject._meta.model_name or "") if event.subject is not None else ""
            ),
            subject_id=event.subject.pk if event.subject is not None else None,
            data=event.data,
            created_at=at,
        )
        for event in events
    )


def _verb_check(verb: str) -> None:
    if verb not in VERBS:
        raise ValueError(f"unknown timeline verb {verb!r}")
