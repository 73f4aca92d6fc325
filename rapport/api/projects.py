"""Projects, milestones and deliverables: /api/v1/projects/, /milestones/, /deliverables/."""

from __future__ import annotations

from datetime import tzinfo
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rapport.api.base import ResourceViewSet, RestoreMixin, document
from rapport.api.fields import (
    StrictCharField,
    StrictChoiceField,
    StrictDecimalField,
    StrictIntegerField,
    StrictModelSerializer,
    WorkspaceRelatedField,
)
from rapport.api.filters import DeliverableFilters, MilestoneFilters, ProjectFilters
from rapport.api.output import date_text, datetime_text, money_text, output_zone
from rapport.api.pagination import Ordering, Row
from rapport.clients.selectors import client_get
from rapport.commitments.services import TOLD_OUTSIDE_RAPPORT, ClientTold
from rapport.projects import selectors, services
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.services import MAX_BUDGET

# Rules that relate rows (a milestone within its project's dates, a project's due date after its
# milestones, known currencies) are the services'; serializers check shape and types only.


class ProjectSerializer(StrictModelSerializer):
    """A piece of work for a client, with its goal, dates, budget and update cadence."""

    client = WorkspaceRelatedField(getter=client_get, noun=_("client"))
    budget = StrictDecimalField(
        max_digits=11,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_BUDGET - Decimal("0.01"),
        allow_null=True,
        required=False,
        help_text="A decimal string, in the project's currency.",
    )
    currency = StrictCharField(
        min_length=3,
        max_length=3,
        required=False,
        help_text="ISO 4217 code, e.g. EUR (defaults to the client's).",
    )
    update_weekday = StrictChoiceField(
        choices=Project.Weekday.choices, required=False, help_text="The day updates are due."
    )
    # Annotated by the selectors: the mean progress of the open milestones, 0-100.
    progress = serializers.FloatField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "client",
            "title",
            "goal",
            "start_date",
            "due_date",
            "budget",
            "currency",
            "status",
            "out_of_scope",
            "update_cadence",
            "update_weekday",
            "progress",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["archived_at", "created_at", "updated_at"]


# What a list page reads of each project, and the row ProjectSerializer writes from it.
PROJECT_VALUES = (
    "id",
    "client_id",
    "title",
    "goal",
    "start_date",
    "due_date",
    "budget",
    "currency",
    "status",
    "out_of_scope",
    "update_cadence",
    "update_weekday",
    "progress",  # annotated by the selector
    "archived_at",
    "created_at",
    "updated_at",
)


def project_row(project: dict[str, Any], zone: tzinfo) -> Row:
    """``ProjectSerializer(obj).data`` of a project read as ``values(*PROJECT_VALUES)``."""
    return {
        "id": project["id"],
        "client": project["client_id"],
        "title": project["title"],
        "goal": project["goal"],
        "start_date": date_text(project["start_date"]),
        "due_date": date_text(project["due_date"]),
        "budget": money_text(project["budget"]),
        "currency": project["currency"],
        "status": project["status"],
        "out_of_scope": project["out_of_scope"],
        "update_cadence": project["update_cadence"],
        "update_weekday": project["update_weekday"],
        "progress": float(project["progress"]),
        "archived_at": datetime_text(project["archived_at"], zone),
        "created_at": datetime_text(project["created_at"], zone),
        "updated_at": datetime_text(project["updated_at"], zone),
    }


class ProjectUpdateSerializer(ProjectSerializer):
    """The changeable fields of a project (its client is set when creating)."""

    client = None  # type: ignore[assignment]  # removes the inherited field

    class Meta(ProjectSerializer.Meta):
        fields = [f for f in ProjectSerializer.Meta.fields if f != "client"]
        create_only = ["client"]


@document(singular="project", plural="projects")
class ProjectViewSet(RestoreMixin, ResourceViewSet):
    queryset = Project.objects.none()  # for the schema's path parameter types only
    serializer_class = ProjectSerializer
    update_serializer_class = ProjectUpdateSerializer
    filter_class = ProjectFilters
    ordering = Ordering(Project, ("-created_at", "-id"))

    def select_list(self, filters: dict[str, Any]) -> QuerySet[Project]:
        # The client by id: another workspace's client matches nothing, as an unknown one.
        return selectors.project_list(
            workspace=self.workspace,
            client_id=filters.get("client"),
            status=filters.get("status", ""),
            archived=filters["archived"],
            milestone_counts=False,
        )

    def read_page(self, page: QuerySet[Project]) -> list[Row]:
        zone = output_zone()
        return [project_row(project, zone) for project in page.values(*PROJECT_VALUES)]

    def select_one(self, pk: int) -> Project | None:
        return selectors.project_get(workspace=self.workspace, pk=pk)

    def perform_create_with(self, data: dict[str, Any]) -> Project:
        client = data.pop("client")
        return services.project_create(client=client, actor=self.actor, **data)

    def perform_update_with(self, obj: Project, data: dict[str, Any]) -> Project:
        return services.project_update(project=obj, actor=self.actor, **data)

    def perform_archive(self, obj: Project) -> Project:
        return services.project_archive(project=obj, actor=self.actor)

    def perform_restore(self, obj: Project) -> Project:
        return services.project_restore(project=obj, actor=self.actor)


class MilestoneSerializer(StrictModelSerializer):
    """A dated step of a project; progress 100 and status done go together."""

    project = WorkspaceRelatedField(getter=selectors.project_get, noun=_("project"))
    progress = StrictIntegerField(
        min_value=0, max_value=100, required=False, help_text="Percent done, 0-100."
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "title",
            "due_date",
            "progress",
            "status",
            "completed_at",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["completed_at", "archived_at", "created_at", "updated_at"]


# What a list page reads of each milestone, and the row MilestoneSerializer writes from it.
MILESTONE_VALUES = (
    "id",
    "project_id",
    "title",
    "due_date",
    "progress",
    "status",
    "completed_at",
    "archived_at",
    "created_at",
    "updated_at",
)


def milestone_row(milestone: dict[str, Any], zone: tzinfo) -> Row:
    """``MilestoneSerializer(obj).data`` of a milestone read as ``values(*MILESTONE_VALUES)``."""
    return {
        "id": milestone["id"],
        "project": milestone["project_id"],
        "title": milestone["title"],
        "due_date": date_text(milestone["due_date"]),
        "progress": milestone["progress"],
        "status": milestone["status"],
        "completed_at": datetime_text(milestone["completed_at"], zone),
        "archived_at": datetime_text(milestone["archived_at"], zone),
        "created_at": datetime_text(milestone["created_at"], zone),
        "updated_at": datetime_text(milestone["updated_at"], zone),
    }


class MilestoneUpdateSerializer(MilestoneSerializer):
    """The changeable fields of a milestone (its project is set when creating). A later
    ``due_date`` without ``told_via`` and ``told_note`` is recorded as moved without notice and
    counts as a broken promise (docs/promise-keeping.md)."""

    project = None  # type: ignore[assignment]  # removes the inherited field
    told_via = StrictChoiceField(
        choices=TOLD_OUTSIDE_RAPPORT,
        required=False,
        write_only=True,
        help_text="With a later due_date: how the client was told outside Rapport.",
    )
    told_note = StrictCharField(
        required=False,
        write_only=True,
        max_length=300,
        help_text="With told_via: when and how the client was told.",
    )

    class Meta(MilestoneSerializer.Meta):
        fields = [
            *(f for f in MilestoneSerializer.Meta.fields if f != "project"),
            "told_via",
            "told_note",
        ]
        create_only = ["project"]


@document(singular="milestone", plural="milestones")
class MilestoneViewSet(RestoreMixin, ResourceViewSet):
    queryset = Milestone.objects.none()
    serializer_class = MilestoneSerializer
    update_serializer_class = MilestoneUpdateSerializer
    filter_class = MilestoneFilters
    ordering = Ordering(Milestone, ("due_date", "id"))

    def select_list(self, filters: dict[str, Any]) -> QuerySet[Milestone]:
        return selectors.milestone_list(
            workspace=self.workspace,
            project_id=filters.get("project"),
            due_within_days=filters.get("due_within_days"),
            open_only=filters["open"],
            archived=filters["archived"],
        )

    def read_page(self, page: QuerySet[Milestone]) -> list[Row]:
        zone = output_zone()
        return [milestone_row(milestone, zone) for milestone in page.values(*MILESTONE_VALUES)]

    def select_one(self, pk: int) -> Milestone | None:
        return selectors.milestone_get(workspace=self.workspace, pk=pk)

    def perform_create_with(self, data: dict[str, Any]) -> Milestone:
        project = data.pop("project")
        return services.milestone_create(project=project, actor=self.actor, **data)

    def perform_update_with(self, obj: Milestone, data: dict[str, Any]) -> Milestone:
        via, note = data.pop("told_via", ""), data.pop("told_note", "")
        told = ClientTold(via=via, note=note) if via or note else None
        return services.milestone_update(milestone=obj, actor=self.actor, told=told, **data)

    def perform_archive(self, obj: Milestone) -> Milestone:
        return services.milestone_archive(milestone=obj, actor=self.actor)

    def perform_restore(self, obj: Milestone) -> Milestone:
        return services.milestone_restore(milestone=obj, actor=self.actor)


class DeliverableSerializer(StrictModelSerializer):
    """Something handed to the client, with a written spec and an agreed format."""

    milestone = WorkspaceRelatedField(getter=selectors.milestone_get, noun=_("milestone"))

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "milestone",
            "title",
            "spec",
            "format",
            "status",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["archived_at", "created_at", "updated_at"]


# What a list page reads of each deliverable, and the row DeliverableSerializer writes from it.
DELIVERABLE_VALUES = (
    "id",
    "milestone_id",
    "title",
    "spec",
    "format",
    "status",
    "archived_at",
    "created_at",
    "updated_at",
)


def deliverable_row(deliverable: dict[str, Any], zone: tzinfo) -> Row:
    """``DeliverableSerializer(obj).data`` of a deliverable read as
    ``values(*DELIVERABLE_VALUES)``."""
    return {
        "id": deliverable["id"],
        "milestone": deliverable["milestone_id"],
        "title": deliverable["title"],
        "spec": deliverable["spec"],
        "format": deliverable["format"],
        "status": deliverable["status"],
        "archived_at": datetime_text(deliverable["archived_at"], zone),
        "created_at": datetime_text(deliverable["created_at"], zone),
        "updated_at": datetime_text(deliverable["updated_at"], zone),
    }


class DeliverableUpdateSerializer(DeliverableSerializer):
    """The changeable fields of a deliverable (its milestone is set when creating)."""

    milestone = None  # type: ignore[assignment]  # removes the inherited field

    class Meta(DeliverableSerializer.Meta):
        fields = [f for f in DeliverableSerializer.Meta.fields if f != "milestone"]
        create_only = ["milestone"]


@document(singular="deliverable", plural="deliverables")
class DeliverableViewSet(RestoreMixin, ResourceViewSet):
    queryset = Deliverable.objects.none()
    serializer_class = DeliverableSerializer
    update_serializer_class = DeliverableUpdateSerializer
    filter_class = DeliverableFilters
    ordering = Ordering(Deliverable, ("id",))

    def select_list(self, filters: dict[str, Any]) -> QuerySet[Deliverable]:
        return selectors.deliverable_list(
            workspace=self.workspace,
            milestone_id=filters.get("milestone"),
            archived=filters["archived"],
        )

    def read_page(self, page: QuerySet[Deliverable]) -> list[Row]:
        zone = output_zone()
        return [
            deliverable_row(deliverable, zone) for deliverable in page.values(*DELIVERABLE_VALUES)
        ]

    def select_one(self, pk: int) -> Deliverable | None:
        return selectors.deliverable_get(workspace=self.workspace, pk=pk)

    def perform_create_with(self, data: dict[str, Any]) -> Deliverable:
        milestone = data.pop("milestone")
        return services.deliverable_create(milestone=milestone, actor=self.actor, **data)

    def perform_update_with(self, obj: Deliverable, data: dict[str, Any]) -> Deliverable:
        return services.deliverable_update(deliverable=obj, actor=self.actor, **data)

    def perform_archive(self, obj: Deliverable) -> Deliverable:
        return services.deliverable_archive(deliverable=obj, actor=self.actor)

    def perform_restore(self, obj: Deliverable) -> Deliverable:
        return services.deliverable_restore(deliverable=obj, actor=self.actor)
