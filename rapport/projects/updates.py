"""Progress updates to the client (P12, P29): the provider writes only their own words, and
each contact receives them with the milestones as they stand when the update is *sent*,
rendered in that contact's language (headings, dates, percentages); "no big news" is one click.

The page that composes an update carries the figures it showed (:func:`update_figures`); if
they changed by the time of sending, :func:`update_send` refuses with the list of what changed
so the provider confirms the new figures before the client reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_keep
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.templatetags.rapport import percent
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alerts_resolve_for, notification_queue, render_message
from rapport.projects.cadence import update_commitment_ensure
from rapport.projects.models import Extra, Milestone, Project, ProjectUpdate
from rapport.projects.pulse_links import pulse_context

# The figures travel through the provider's browser; signing keeps a page from claiming
# figures it never showed (the salt keeps the token from being reused for anything else).
FIGURES_SALT = "rapport.projects.update-figures"


@dataclass(frozen=True)
class UpdateFacts:
    """The milestones an update reports, read at one moment."""

    progressed: list[Milestone]
    """Moved forward (or finished) since the last update."""
    open: list[Milestone]
    """Not done yet, by due date: where things stand and what comes next."""
    at_risk: list[Milestone]
    """With an open "deadline at risk" alert."""
    extras: list[Extra] = field(default_factory=list)
    """Delivered beyond the agreement and not told yet: "We also …" (P18)."""

    def message_context(self) -> dict[str, Any]:
        return {
            "progressed": self.progressed,
            "open": self.open,
            "at_risk": self.at_risk,
            "extras": self.extras,
        }

    def figures(self) -> dict[str, dict[str, Any]]:
        """What the client reads, per milestone: the fingerprint compares these."""
        shown = {m.pk: m for m in [*self.progressed, *self.open, *self.at_risk]}
        risky = {m.pk for m in self.at_risk}
        return {
            str(pk): {
                "title": m.title,
                "progress": m.progress,
                "due": m.due_date.isoformat(),
                "done": m.is_done,
                "risk": pk in risky,
            }
            for pk, m in sorted(shown.items())
        }


@dataclass(frozen=True)
class UpdatePreview:
    contact: Contact
    language: str
    subject: str
    text: str


class UpdateFiguresChanged(ApplicationError):
    """The figures changed since the page was opened: nothing was sent.

    ``changes`` says what changed (in the provider's language); ``figures`` is the token of
    the current figures, to send with the confirmation.
    """

    def __init__(self, *, changes: list[str], figures: str) -> None:
        super().__init__(
            _("The figures changed since you opened this page. Check them and send again."),
            field="figures",
            code="stale",
        )
        self.changes = changes
        self.figures = figures


def update_facts(*, project: Project) -> UpdateFacts:
    """The milestones as they are now, and the extras to tell (four queries whatever their
    number)."""
    last = project.updates.filter(archived_at__isnull=True).order_by("-sent_at").first()
    since = last.sent_at if last else project.created_at
    touched_ids = set(
        TimelineEvent.objects.filter(
            client_id=project.client_id,
            subject_type="milestone",
            verb__in=["milestone.progressed", "milestone.done"],
            created_at__gte=since,
        ).values_list("subject_id", flat=True)
    )
    milestones = list(
        Milestone.objects.filter(project=project, archived_at__isnull=True).order_by(
            "due_date", "id"
        )
    )
    at_risk_ids = set(
        Alert.objects.filter(
            kind=Alert.Kind.DEADLINE_AT_RISK,
            state=Alert.State.OPEN,
            subject_type="milestone",
            subject_id__in=[m.pk for m in milestones],
        ).values_list("subject_id", flat=True)
    )
    return UpdateFacts(
        progressed=[m for m in milestones if m.pk in touched_ids],
        open=[m for m in milestones if not m.is_done],
        at_risk=[m for m in milestones if m.pk in at_risk_ids and not m.is_done],
        extras=list(
            Extra.objects.filter(
                project=project, delivered_at__isnull=False, reported_at__isnull=True
            ).order_by("delivered_at", "id")
        ),
    )


def update_figures(facts: UpdateFacts) -> str:
    """A signed token of the figures shown, for the send form to carry."""
    return signing.dumps(facts.figures(), salt=FIGURES_SALT, compress=True)


def _day(iso: str) -> str:
    return str(formats.date_format(date.fromisoformat(iso), "DATE_FORMAT"))


def update_figures_changes(*, figures: str, facts: UpdateFacts) -> list[str]:
    """What differs between the token ``figures`` and ``facts``, one sentence each (empty when
    nothing does). A token that does not verify counts as a change: the page is redone."""
    try:
        seen: dict[str, dict[str, Any]] = signing.loads(figures, salt=FIGURES_SALT)
    except signing.BadSignature:
        return [_("The figures on the page could not be checked; here they are as they are now.")]
    now = facts.figures()
    changes: list[str] = []
    for pk, fig in now.items():
        old = seen.get(pk)
        title = fig["title"]
        if old is None:
            changes.append(_("%(title)s is new in the update.") % {"title": title})
            continue
        if old["progress"] != fig["progress"]:
            changes.append(
                _("%(title)s: progress %(old)s → %(new)s.")
                % {"title": title, "old": percent(old["progress"]), "new": percent(fig["progress"])}
            )
        if old["due"] != fig["due"]:
            changes.append(
                _("%(title)s: due date %(old)s → %(new)s.")
                % {"title": title, "old": _day(old["due"]), "new": _day(fig["due"])}
            )
        if old["done"] != fig["done"] and fig["done"]:
            changes.append(_("%(title)s is now done.") % {"title": title})
        if old["risk"] != fig["risk"]:
            changes.append(
                (
                    _("%(title)s is now at risk.")
                    if fig["risk"]
                    else _("%(title)s is no longer at risk.")
                )
                % {"title": title}
            )
    for pk, old in seen.items():
        if pk not in now:
            changes.append(_("%(title)s is no longer in the update.") % {"title": old["title"]})
    return changes


def _message_context(project: Project, update: ProjectUpdate, facts: UpdateFacts) -> dict[str, Any]:
    return {"project": project, "update": update, **facts.message_context()}


def update_previews(
    *,
    project: Project,
    facts: UpdateFacts,
    contacts: list[Contact],
    body: str = "",
    no_big_news: bool = False,
) -> list[UpdatePreview]:
    """The update as each of ``contacts`` would read it, in their language and time zone.

    Reads nothing: the contacts' client and workspace are the project's.
    """
    draft = ProjectUpdate(project=project, body=body.strip(), no_big_news=no_big_news)
    context = {
        "client": project.client,
        "workspace_name": project.client.workspace.name,
        **_message_context(project, draft, facts),
    }
    previews = []
    for contact in contacts:
        language = contact.effective_language
        # The draft has no id yet: the preview's pulse links show where they go, not a
        # working token (only a sent update can be answered).
        pulse = pulse_context(contact_id=contact.pk or 0, update_id=0)
        subject, text, _html = render_message(
            "progress_update",
            {**context, **pulse, "contact": contact},
            language,
            contact.effective_timezone,
        )
        previews.append(
            UpdatePreview(contact=contact, language=language, subject=subject, text=text)
        )
    return previews


@transaction.atomic
def update_send(
    *,
    project: Project,
    actor: User | None,
    contacts: list[Contact],
    body: str = "",
    no_big_news: bool = False,
    figures: str | None = None,
) -> ProjectUpdate:
    """Send a progress update to ``contacts`` and keep the update that was due.

    ``body`` is the provider's own words; each contact's message adds the milestones read
    now (since the last update, where things stand, what is at risk), in the contact's
    language. With ``no_big_news`` the words are the standard "no big news, work is going on".
    With ``figures`` (from :func:`update_figures` when the page was shown), raises
    :class:`UpdateFiguresChanged` and sends nothing if the figures differ now.
    """
    if not contacts:
        raise ApplicationError(_("Choose at least one contact."), field="contacts")
    if any(c.client_id != project.client_id or c.archived_at is not None for c in contacts):
        raise ApplicationError(_("Choose contacts of this client."), field="contacts")
    if not no_big_news and not body.strip():
        raise ApplicationError(_("Write the update, or send “no big news”."), field="body")
    facts = update_facts(project=project)
    if figures is not None:
        changes = update_figures_changes(figures=figures, facts=facts)
        if changes:
            raise UpdateFiguresChanged(changes=changes, figures=update_figures(facts))
    now = timezone.now()
    update = ProjectUpdate.objects.create(
        workspace_id=project.workspace_id,
        project=project,
        author=actor,
        body=body.strip(),
        no_big_news=no_big_news,
        sent_at=now,
    )
    update.contacts.set(contacts)
    # P18: each extra is told once; a later update does not repeat it.
    Extra.objects.filter(pk__in=[e.pk for e in facts.extras], reported_at__isnull=True).update(
        reported_at=now, reported_in=update, updated_at=now
    )
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="progress_update",
            # P23: "How are we doing?" ends every update, its links signed for this contact.
            context={
                **_message_context(project, update, facts),
                **pulse_context(contact_id=contact.pk, update_id=update.pk),
            },
            subject=update,
            dedupe_key=f"update:{update.pk}:{contact.pk}",
        )
    for commitment in Commitment.objects.filter(
        project=project, kind=Commitment.Kind.UPDATE, state=Commitment.State.OPEN
    ).select_related("client"):
        commitment_keep(commitment=commitment, actor=actor, now=now)
        alerts_resolve_for(subject=commitment, kinds=[Alert.Kind.UPDATE_DUE])
    update_commitment_ensure(project, actor=actor)
    timeline_record(
        client=project.client,
        verb="update.sent",
        actor=actor,
        subject=update,
        data={"title": project.title, "names": ", ".join(c.name for c in contacts)},
    )
    return update
