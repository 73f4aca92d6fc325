"""Writes for clients, contacts and important dates. Each write leaves a timeline event."""

from __future__ import annotations

import calendar
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.business import IDENTITY_FIELDS, Identity, identity_apply, identity_clean
from rapport.accounts.models import Membership, User, Workspace
from rapport.clients.models import CLIENT_FIELDS, CONTACT_FIELDS, Client, Contact, ImportantDate
from rapport.clients.signals import CLIENT_DATE_FIELDS, CONTACT_DATE_FIELDS, contact_dates_changed
from rapport.core.errors import ApplicationError
from rapport.core.services import model_assign, model_validate
from rapport.core.timeline import timeline_record
from rapport.core.validation import check_currency, check_timezone, clean_tags
from rapport.notifications.channels import CHANNELS


def clean_glossary(value: Any) -> list[dict[str, str]]:
    """P26: the client's words and what they mean, as a list of {term, meaning}."""
    if not isinstance(value, list):
        raise ApplicationError(_("The glossary must be a list of terms."), field="glossary")
    entries: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("term"), str):
            raise ApplicationError(
                _("Each glossary entry needs a term and a meaning."), field="glossary"
            )
        term = item["term"].strip()
        meaning = str(item.get("meaning", "")).strip()
        if not term or not meaning:
            raise ApplicationError(
                _("Each glossary entry needs a term and a meaning."), field="glossary"
            )
        if len(term) > 100 or len(meaning) > 500:
            raise ApplicationError(
                _("A term has at most 100 characters and a meaning at most 500."),
                field="glossary",
            )
        entries.append({"term": term, "meaning": meaning})
    return entries


def _client_clean(client: Client) -> None:
    client.name = client.name.strip()
    client.industry_tags = clean_tags(client.industry_tags, field="industry_tags")
    client.competitor_tags = clean_tags(client.competitor_tags, field="competitor_tags")
    tags = sorted(set(client.industry_tags) | set(client.competitor_tags))
    client.tag_index = "|" + "|".join(tags) + "|" if tags else ""
    client.glossary = clean_glossary(client.glossary)
    client.currency = (client.currency or "").upper()
    check_timezone(client.timezone)
    check_currency(client.currency)
    if (
        client.account_owner_id is not None
        and not Membership.objects.filter(
            workspace_id=client.workspace_id, user_id=client.account_owner_id
        ).exists()
    ):
        raise ApplicationError(
            _("The account owner must be a member of this workspace."), field="account_owner"
        )
    if client.response_target_hours is not None and not 1 <= client.response_target_hours <= 200:
        raise ApplicationError(
            _("The response target is between 1 and 200 business hours."),
            field="response_target_hours",
        )
    model_validate(client, exclude=["workspace", "account_owner"])


def _identity_set(client: Client, identity: Identity | None) -> list[str]:
    """Apply the client's billing identity (checked as the workspace's is, ADR 0019); the
    names of the fields that changed."""
    if identity is None:
        return []
    clean = identity_clean(identity)
    before = {name: getattr(client, name) for name in IDENTITY_FIELDS}
    identity_apply(client, clean)
    return [name for name in IDENTITY_FIELDS if getattr(client, name) != before[name]]


@transaction.atomic
def client_create(
    *, workspace: Workspace, actor: User | None, identity: Identity | None = None, **data: Any
) -> Client:
    """Create a client in ``workspace``. Unknown keys are refused; defaults come from the
    workspace (currency, language, time zone); the actor becomes account owner unless given.
    ``identity``: the billing address and tax ids, refused field by field like the
    workspace's (``accounts.business.identity_clean``)."""
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown field."), field=sorted(unknown)[0])
    client = Client(
        workspace=workspace,
        currency=workspace.default_currency,
        language=workspace.default_language,
        timezone=workspace.timezone,
        account_owner=actor,
    )
    model_assign(client, fields=CLIENT_FIELDS, data=data)
    _client_clean(client)
    _identity_set(client, identity)
    client.save()
    timeline_record(client=client, verb="client.created", actor=actor, data={"name": client.name})
    return client


@transaction.atomic
def client_update(
    *, client: Client, actor: User | None, identity: Identity | None = None, **data: Any
) -> Client:
    """Change a client's details (and, given ``identity``, its billing identity); records
    what changed (and a status change on its own). A refused field leaves the client as it
    was."""
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown field."), field=sorted(unknown)[0])
    old_status = client.status
    old_owner_id = client.account_owner_id
    changed = model_assign(client, fields=CLIENT_FIELDS, data=data)
    if (
        "account_owner" in changed
        and old_owner_id is not None
        and client.account_owner_id is not None
    ):
        # P27: one owner gives way to another only with a note (``clients.handover``).
        client.account_owner_id = old_owner_id
        raise ApplicationError(
            _("To change the account owner, hand the client over with a note."),
            field="account_owner",
        )
    _client_clean(client)
    changed += _identity_set(client, identity)
    if not changed:
        return client
    client.save()
    if CLIENT_DATE_FIELDS.intersection(changed):
        # Contacts that inherit the language or the time zone greet on other mornings.
        contacts = list(client.contacts.filter(archived_at__isnull=True))
        for contact in contacts:
            contact.client = client
        if contacts:
            contact_dates_changed.send(sender=Contact, contacts=contacts)
    if "status" in changed:
        timeline_record(
            client=client,
            verb="client.status_changed",
            actor=actor,
            data={"old": old_status, "new": client.status},
        )
        changed.remove("status")
    if changed:
        timeline_record(
            client=client, verb="client.updated", actor=actor, data={"fields": ", ".join(changed)}
        )
    return client


@transaction.atomic
def client_activate(*, client: Client, actor: User | None) -> bool:
    """Make a lead (or a past client) active, as when its first project starts; the provider
    has confirmed it. True when the status changed; an active or declined client is left as it
    is (declining is the provider's own decision, not undone by a project)."""
    if client.status not in (Client.Status.LEAD, Client.Status.PAST):
        return False
    client_update(client=client, actor=actor, status=Client.Status.ACTIVE)
    return True


@transaction.atomic
def client_archive(*, client: Client, actor: User | None) -> Client:
    if client.archived_at is None:
        client.archived_at = timezone.now()
        client.save(update_fields=["archived_at", "updated_at"])
        timeline_record(client=client, verb="client.archived", actor=actor)
    return client


@transaction.atomic
def client_restore(*, client: Client, actor: User | None) -> Client:
    if client.archived_at is not None:
        client.archived_at = None
        client.save(update_fields=["archived_at", "updated_at"])
        timeline_record(client=client, verb="client.restored", actor=actor)
    return client


def _contact_clean(contact: Contact) -> None:
    contact.name = contact.name.strip()
    contact.email = contact.email.strip().lower()
    check_timezone(contact.timezone, allow_blank=True)
    if (contact.contact_hours_start is None) != (contact.contact_hours_end is None):
        raise ApplicationError(
            _("Give both ends of the contact hours, or neither."), field="contact_hours_end"
        )
    if contact.contact_hours_start is not None and (
        contact.contact_hours_start == contact.contact_hours_end
    ):
        raise ApplicationError(
            _("Contact hours must not start and end at the same time."),
            field="contact_hours_end",
        )
    _contact_check_channels(contact)
    if contact.email and (
        Contact.objects.filter(client_id=contact.client_id, email__iexact=contact.email)
        .exclude(pk=contact.pk)
        .exists()
    ):
        raise ApplicationError(
            _("This client already has a contact with this email."), field="email"
        )
    model_validate(contact, exclude=["workspace", "client"])


def _contact_check_channels(contact: Contact) -> None:
    """Every address given is well formed, and the preferred channel can be used (P12, P28).

    Refused here, at save, so that nothing fails later at send time.
    """
    preferred = contact.preferred_channel
    if preferred not in Contact.Channel.values:
        raise ApplicationError(_("Unknown channel."), field="preferred_channel")
    for channel in CHANNELS.values():
        value = getattr(contact, channel.address_field)
        if value:
            setattr(contact, channel.address_field, channel.validate_address(value))
    if preferred == Contact.Channel.PHONE:
        if not contact.phone:
            raise ApplicationError(
                _("The preferred channel needs this to be filled in."), field="phone"
            )
        return
    channel = CHANNELS[preferred]
    if not getattr(contact, channel.address_field):
        raise ApplicationError(
            _("The preferred channel needs this to be filled in."), field=channel.address_field
        )
    channel.check_configured(contact.client.workspace)


def _contact_save(contact: Contact) -> None:
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as exc:  # a concurrent insert of the same email
        raise ApplicationError(
            _("This client already has a contact with this email."), field="email"
        ) from exc


@transaction.atomic
def contact_create(*, client: Client, actor: User | None, **data: Any) -> Contact:
    """Add a contact to ``client``. Email is unique per client (case-insensitive)."""
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown field."), field=sorted(unknown)[0])
    contact = Contact(workspace_id=client.workspace_id, client=client)
    model_assign(contact, fields=CONTACT_FIELDS, data=data)
    if contact.contact_hours_start is None and contact.contact_hours_end is None:
        # No hours given: the workspace's default contact hours (Settings).
        contact.contact_hours_start = client.workspace.default_contact_hours_start
        contact.contact_hours_end = client.workspace.default_contact_hours_end
    _contact_clean(contact)
    _contact_save(contact)
    contact_dates_changed.send(sender=Contact, contacts=[contact])
    timeline_record(
        client=client,
        verb="contact.created",
        actor=actor,
        subject=contact,
        data={"name": contact.name},
    )
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: User | None, **data: Any) -> Contact:
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown field."), field=sorted(unknown)[0])
    changed = model_assign(contact, fields=CONTACT_FIELDS, data=data)
    _contact_clean(contact)
    if changed:
        _contact_save(contact)
        if CONTACT_DATE_FIELDS.intersection(changed):
            contact_dates_changed.send(sender=Contact, contacts=[contact])
        timeline_record(
            client=contact.client,
            verb="contact.updated",
            actor=actor,
            subject=contact,
            data={"name": contact.name, "fields": ", ".join(changed)},
        )
    return contact


@transaction.atomic
def contact_archive(*, contact: Contact, actor: User | None) -> Contact:
    if contact.archived_at is None:
        contact.archived_at = timezone.now()
        contact.save(update_fields=["archived_at", "updated_at"])
        contact_dates_changed.send(sender=Contact, contacts=[contact])
        timeline_record(
            client=contact.client,
            verb="contact.archived",
            actor=actor,
            subject=contact,
            data={"name": contact.name},
        )
    return contact


@transaction.atomic
def contact_restore(*, contact: Contact, actor: User | None) -> Contact:
    if contact.archived_at is not None:
        contact.archived_at = None
        contact.save(update_fields=["archived_at", "updated_at"])
        contact_dates_changed.send(sender=Contact, contacts=[contact])
        timeline_record(
            client=contact.client,
            verb="contact.restored",
            actor=actor,
            subject=contact,
            data={"name": contact.name},
        )
    return contact


@transaction.atomic
def important_date_add(
    *, contact: Contact, kind: str, month: int, day: int, year: int | None = None, label: str = ""
) -> ImportantDate:
    """P31: remember a birthday, name day or anniversary. The day must exist in that month."""
    if not 1 <= month <= 12:
        raise ApplicationError(_("Month must be between 1 and 12."), field="month")
    max_day = calendar.monthrange(year or 2000, month)[1]  # 2000 is a leap year: 29 Feb is fine
    if not 1 <= day <= max_day:
        raise ApplicationError(_("This month has no day %(day)s.") % {"day": day}, field="day")
    item = ImportantDate(
        workspace_id=contact.workspace_id,
        contact=contact,
        kind=kind,
        month=month,
        day=day,
        year=year,
        label=label.strip(),
    )
    model_validate(item, exclude=["workspace", "contact"])
    item.save()
    contact_dates_changed.send(sender=Contact, contacts=[contact])
    return item


@transaction.atomic
def important_date_remove(*, item: ImportantDate) -> None:
    """Forget a date. A name day from the calendar cannot be removed: it follows the name
    (the provider enters the contact's own date instead, which wins over it)."""
    if item.source == ImportantDate.Source.CALENDAR:
        raise ApplicationError(
            _("This name day comes from the calendar: enter the contact's own date instead."),
            field="source",
        )
    contact = item.contact
    item.delete()
    contact_dates_changed.send(sender=Contact, contacts=[contact])
