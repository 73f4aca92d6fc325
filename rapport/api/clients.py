"""Clients and contacts: /api/v1/clients/ and /api/v1/contacts/."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rapport.accounts.models import User, Workspace
from rapport.accounts.selectors import member_users
from rapport.api.base import ResourceViewSet, RestoreMixin, document
from rapport.api.fields import (
    StrictCharField,
    StrictInputMixin,
    StrictModelSerializer,
    WorkspaceRelatedField,
)
from rapport.api.filters import ClientFilters, ContactFilters
from rapport.api.output import datetime_text, local_time_text, output_zone, value_names
from rapport.api.pagination import Ordering, Row
from rapport.clients import selectors, services
from rapport.clients.models import (
    CLIENT_FIELDS,
    CONTACT_FIELDS,
    Client,
    Contact,
    ImportantDate,
)

# Checks that need data (time zone and currency codes, tag rules, unique emails, the preferred
# channel's address) are business rules: the services make them and name the field at fault.


def member_get(*, workspace: Workspace, pk: int) -> User | None:
    """A member of the workspace (the account owner of a client must be one)."""
    return member_users(workspace=workspace).filter(pk=pk).first()


def _tags() -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=50), max_length=20, required=False
    )


class GlossaryEntrySerializer(StrictInputMixin, serializers.Serializer[Any]):
    """P26: one of the client's words and what they mean by it."""

    term = StrictCharField(max_length=100)
    meaning = StrictCharField(max_length=500)


class ClientSerializer(StrictModelSerializer):
    """A client (or lead): how they like to work with you, in their language and time zone."""

    industry_tags = _tags()
    competitor_tags = _tags()
    glossary = GlossaryEntrySerializer(many=True, required=False)
    account_owner = WorkspaceRelatedField(
        getter=member_get,
        noun=_("member"),
        allow_null=True,
        required=False,
        help_text="User id of the member who holds the relationship (defaults to you).",
    )
    timezone = StrictCharField(max_length=64, required=False, help_text="e.g. Europe/Athens")
    currency = StrictCharField(
        min_length=3, max_length=3, required=False, help_text="ISO 4217 code, e.g. EUR"
    )

    class Meta:
        model = Client
        # What a provider sets on a client, but the response target, which the API does not offer.
        fields = [
            "id",
            *(name for name in CLIENT_FIELDS if name != "response_target_hours"),
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["archived_at", "created_at", "updated_at"]
        # Uniqueness and the like are the services' business; never query from a serializer.


# What a list page reads of each client, and the row ClientSerializer writes from it.
CLIENT_VALUES = value_names(Client, ClientSerializer.Meta.fields)


def client_row(client: dict[str, Any], zone: tzinfo) -> Row:
    """``ClientSerializer(obj).data`` of a client read as ``values(*CLIENT_VALUES)``."""
    return {
        "id": client["id"],
        "name": client["name"],
        "kind": client["kind"],
        "status": client["status"],
        # Lists of strings, as the services store them.
        "industry_tags": client["industry_tags"],
        "competitor_tags": client["competitor_tags"],
        "account_owner": client["account_owner_id"],
        "language": client["language"],
        "timezone": client["timezone"],
        "currency": client["currency"],
        "referral_source": client["referral_source"],
        "temperament_notes": client["temperament_notes"],
        "glossary": [
            {"term": entry["term"], "meaning": entry["meaning"]} for entry in client["glossary"]
        ],
        "archived_at": datetime_text(client["archived_at"], zone),
        "created_at": datetime_text(client["created_at"], zone),
        "updated_at": datetime_text(client["updated_at"], zone),
    }


@document(singular="client", plural="clients")
class ClientViewSet(RestoreMixin, ResourceViewSet):
    queryset = Client.objects.none()  # for the schema's path parameter types only
    serializer_class = ClientSerializer
    update_serializer_class = ClientSerializer
    filter_class = ClientFilters
    ordering = Ordering(Client, ("name", "id"))

    def select_list(self, filters: dict[str, Any]) -> QuerySet[Client]:
        return selectors.client_list(
            workspace=self.workspace,
            query=filters.get("q", ""),
            status=filters.get("status", ""),
            owner_id=filters.get("owner"),
            archived=filters["archived"],
            contact_counts=False,
        )

    def read_page(self, page: QuerySet[Client]) -> list[Row]:
        zone = output_zone()
        return [client_row(client, zone) for client in page.values(*CLIENT_VALUES)]

    def select_one(self, pk: int) -> Client | None:
        return selectors.client_get(workspace=self.workspace, pk=pk)

    def perform_create_with(self, data: dict[str, Any]) -> Client:
        return services.client_create(workspace=self.workspace, actor=self.actor, **data)

    def perform_update_with(self, obj: Client, data: dict[str, Any]) -> Client:
        return services.client_update(client=obj, actor=self.actor, **data)

    def perform_archive(self, obj: Client) -> Client:
        return services.client_archive(client=obj, actor=self.actor)

    def perform_restore(self, obj: Client) -> Client:
        return services.client_restore(client=obj, actor=self.actor)


class ImportantDateSerializer(serializers.ModelSerializer[ImportantDate]):
    """P31: a date that matters to the contact (birthday, name day, anniversary)."""

    class Meta:
        model = ImportantDate
        fields = ["id", "kind", "month", "day", "year", "label"]
        read_only_fields = fields


class ContactSerializer(StrictModelSerializer):
    """A person at a client: how, when and in which language to reach them."""

    client = WorkspaceRelatedField(getter=selectors.client_get, noun=_("client"))
    timezone = StrictCharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="e.g. Europe/Athens; blank means the client's.",
    )
    important_dates = ImportantDateSerializer(many=True, read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            *CONTACT_FIELDS,
            "important_dates",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["archived_at", "created_at", "updated_at"]


# What a list page reads of each contact and of its important dates, and the rows
# ContactSerializer and ImportantDateSerializer write from them.
CONTACT_VALUES = value_names(Contact, ContactSerializer.Meta.fields)
IMPORTANT_DATE_VALUES = ("contact_id", "id", "kind", "month", "day", "year", "label")


def contact_row(contact: dict[str, Any], zone: tzinfo) -> Row:
    """``ContactSerializer(obj).data`` of a contact read as ``values(*CONTACT_VALUES)``, its
    ``important_dates`` still empty (``ContactViewSet.read_page`` reads them for the page)."""
    return {
        "id": contact["id"],
        "client": contact["client_id"],
        "name": contact["name"],
        "role": contact["role"],
        "email": contact["email"],
        "phone": contact["phone"],
        "telegram": contact["telegram"],
        "whatsapp": contact["whatsapp"],
        "slack": contact["slack"],
        "ntfy_topic": contact["ntfy_topic"],
        "webhook_url": contact["webhook_url"],
        "preferred_channel": contact["preferred_channel"],
        "contact_hours_start": local_time_text(contact["contact_hours_start"]),
        "contact_hours_end": local_time_text(contact["contact_hours_end"]),
        "language": contact["language"],
        "timezone": contact["timezone"],
        "important_dates": [],
        "archived_at": datetime_text(contact["archived_at"], zone),
        "created_at": datetime_text(contact["created_at"], zone),
        "updated_at": datetime_text(contact["updated_at"], zone),
    }


def important_date_row(day: dict[str, Any]) -> Row:
    """``ImportantDateSerializer(obj).data`` of a date read as
    ``values(*IMPORTANT_DATE_VALUES)``."""
    return {
        "id": day["id"],
        "kind": day["kind"],
        "month": day["month"],
        "day": day["day"],
        "year": day["year"],
        "label": day["label"],
    }


class ContactUpdateSerializer(ContactSerializer):
    """The changeable fields of a contact (its client is set when creating)."""

    client = None  # type: ignore[assignment]  # removes the inherited field

    class Meta(ContactSerializer.Meta):
        fields = [f for f in ContactSerializer.Meta.fields if f != "client"]
        create_only = ["client"]


@document(singular="contact", plural="contacts")
class ContactViewSet(RestoreMixin, ResourceViewSet):
    queryset = Contact.objects.none()
    serializer_class = ContactSerializer
    update_serializer_class = ContactUpdateSerializer
    filter_class = ContactFilters
    ordering = Ordering(Contact, ("name", "id"))

    def select_list(self, filters: dict[str, Any]) -> QuerySet[Contact]:
        return selectors.contact_list(
            workspace=self.workspace,
            client_id=filters.get("client"),
            query=filters.get("q", ""),
            archived=filters["archived"],
        )

    def read_page(self, page: QuerySet[Contact]) -> list[Row]:
        zone = output_zone()
        rows = [contact_row(contact, zone) for contact in page.values(*CONTACT_VALUES)]
        if rows:
            # The important dates of the whole page in one query, in the model's order (as
            # prefetch_related reads them: by the ids of contacts read within the workspace).
            by_id = {row["id"]: row for row in rows}
            days = (
                ImportantDate.objects.filter(contact_id__in=list(by_id))
                .order_by("month", "day", "id")
                .values(*IMPORTANT_DATE_VALUES)
            )
            for day in days:
                by_id[day["contact_id"]]["important_dates"].append(important_date_row(day))
        return rows

    def select_one(self, pk: int) -> Contact | None:
        return selectors.contact_get(workspace=self.workspace, pk=pk)

    def perform_create_with(self, data: dict[str, Any]) -> Contact:
        client = data.pop("client")
        return services.contact_create(client=client, actor=self.actor, **data)

    def perform_update_with(self, obj: Contact, data: dict[str, Any]) -> Contact:
        return services.contact_update(contact=obj, actor=self.actor, **data)

    def perform_archive(self, obj: Contact) -> Contact:
        return services.contact_archive(contact=obj, actor=self.actor)

    def perform_restore(self, obj: Contact) -> Contact:
        return services.contact_restore(contact=obj, actor=self.actor)
