"""Reads of projects, milestones and deliverables, with their relations already joined."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from rapport.accounts.models import Workspace
from rapport.clients.models import Client, Contact
from rapport.commitments.models import Commitment
from rapport.notifications.models import Alert
from rapport.projects.models import (
    Deliverable,
    DeliverableAttachment,
    Milestone,
    Project,
    ProjectTemplate,
    ProjectUpdate,
    TemplateDeliverable,
    TemplateMilestone,
)
from rapport.projects.revision_policy import with_revision_counts


def _with_progress(projects: QuerySet[Project], *, counts: bool = True) -> QuerySet[Project]:
    """Average progress per project and, with ``counts``, its milestone counts.

    Correlated subqueries rather than a GROUP BY over the join: the database computes them
    only for the rows of the page, not for every milestone of the workspace.
    """
    open_ms = (
        Milestone.objects.filter(project_id=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("project_id")
    )
    projects = projects.annotate(
        progress=Coalesce(
            Subquery(open_ms.annotate(a=Avg("progress")).values("a"), output_field=FloatField()),
            Value(0.0),
        ),
    )
    if not counts:
        return projects
    done_ms = open_ms.filter(status=Milestone.Status.DONE)
    return projects.annotate(
        milestone_count=Coalesce(
            Subquery(open_ms.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        ),
        milestone_done_count=Coalesce(
            Subquery(done_ms.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        ),
    )


def project_list(
    *,
    workspace: Workspace,
    client_id: int | None = None,
    status: str = "",
    archived: bool = False,
    milestone_counts: bool = True,
) -> QuerySet[Project]:
    """The workspace's current (or archived) projects, newest first, of one client or all,
    each with its client and ``progress`` and, unless ``milestone_counts`` is False,
    ``milestone_count`` and ``milestone_done_count`` (the staff list shows them; the API
    shows only the progress, and leaves their subqueries out)."""
    conditions: dict[str, Any] = {"archived_at__isnull": not archived}
    if client_id is not None:
        conditions["client_id"] = client_id
    if status:
        conditions["status"] = status
    projects = Project.objects.for_workspace(workspace).filter(**conditions)
    return _with_progress(projects.select_related("client"), counts=milestone_counts).order_by(
        "-created_at", "-id"
    )


def client_projects(*, client: Client) -> list[Project]:
    """The client's current projects with their progress, newest first, each with
    ``project.client`` set to ``client`` (the client page, which shows no milestone counts)."""
    rows = list(
        _with_progress(
            Project.objects.filter(
                workspace_id=client.workspace_id, client=client, archived_at__isnull=True
            ),
            counts=False,
        ).order_by("-created_at", "-id")
    )
    for row in rows:
        row.client = client
    return rows


OPEN_STATUSES = (Project.Status.PROPOSED, Project.Status.ACTIVE, Project.Status.ON_HOLD)


def open_project_counts(*, client_ids: list[int]) -> dict[int, int]:
    """How many current projects (proposed, active or on hold) each of these clients has;
    clients without any are left out (the clients list, one query for its page)."""
    return dict(
        Project.objects.filter(
            client_id__in=client_ids, archived_at__isnull=True, status__in=OPEN_STATUSES
        )
        .order_by()
        .values("client_id")
        .annotate(n=Count("pk"))
        .values_list("client_id", "n")
    )


def project_get(*, workspace: Workspace, pk: int, progress: bool = True) -> Project | None:
    """The workspace's project ``pk`` with its client, workspace and, unless ``progress`` is
    False, its progress figures, or None (every project page reads it; a section of the
    project page shows no progress)."""
    projects: QuerySet[Project] = Project.objects.for_workspace(workspace).select_related(
        "client__workspace"
    )
    if progress:
        projects = _with_progress(projects)
    return projects.filter(pk=pk).first()


def project_milestone_list(*, project: Project) -> list[Milestone]:
    """``project_milestones`` read, each milestone with ``milestone.project`` set."""
    rows = list(project_milestones(project=project))
    for row in rows:
        row.project = project
    return rows


def _milestones_with_deliverables(milestones: QuerySet[Milestone]) -> QuerySet[Milestone]:
    return milestones.prefetch_related(
        Prefetch(
            "deliverables",
            # P08: "round 2 of 2 free" on each line, counted in the same query.
            queryset=with_revision_counts(
                Deliverable.objects.filter(archived_at__isnull=True)
            ).order_by("id"),
        )
    ).order_by("due_date", "id")


PROJECT_PAGE_UPDATES = 5


def project_updates_recent(*, project: Project) -> list[ProjectUpdate]:
    """The latest progress updates sent on the project, with their author."""
    return list(
        ProjectUpdate.objects.filter(project=project, archived_at__isnull=True)
        .select_related("author")
        .order_by("-sent_at", "-id")[:PROJECT_PAGE_UPDATES]
    )


def project_next_update(*, project: Project) -> Commitment | None:
    """The project's next progress update due (its open update commitment), or None."""
    return (
        Commitment.objects.filter(
            project=project, kind=Commitment.Kind.UPDATE, state=Commitment.State.OPEN
        )
        .order_by("due_at", "id")
        .first()
    )


def project_milestones_at_risk(*, project: Project) -> set[int]:
    """Ids of the project's milestones with an open "deadline at risk" alert."""
    subject_ids = Alert.objects.filter(
        workspace_id=project.workspace_id,
        kind=Alert.Kind.DEADLINE_AT_RISK,
        state=Alert.State.OPEN,
        subject_type="milestone",
        subject_id__in=Milestone.objects.filter(project=project).values("pk"),
    ).values_list("subject_id", flat=True)
    return {pk for pk in subject_ids if pk is not None}


def project_milestones(*, project: Project) -> QuerySet[Milestone]:
    """The project's current milestones by due date, each with its current deliverables and
    their revision counts (a queryset, to narrow; pages use ``project_milestone_list``)."""
    return _milestones_with_deliverables(
        Milestone.objects.filter(project=project, archived_at__isnull=True)
    )


def milestone_get(*, workspace: Workspace, pk: int) -> Milestone | None:
    return (
        Milestone.objects.for_workspace(workspace)
        .select_related("project__client")
        .filter(pk=pk)
        .first()
    )


def deliverable_get(*, workspace: Workspace, pk: int) -> Deliverable | None:
    return (
        Deliverable.objects.for_workspace(workspace)
        .select_related("milestone__project__client")
        .filter(pk=pk)
        .first()
    )


def milestone_list(
    *,
    workspace: Workspace,
    project_id: int | None = None,
    due_within_days: int | None = None,
    open_only: bool = False,
    today: date | None = None,
    archived: bool = False,
) -> QuerySet[Milestone]:
    """Milestones of the workspace by due date, each with its project and client;
    ``due_within_days`` + ``open_only`` is served by the partial index ``milestone_open_due``."""
    conditions: dict[str, Any] = {"archived_at__isnull": not archived}
    if project_id is not None:
        conditions["project_id"] = project_id
    if due_within_days is not None:
        start = today or date.today()
        conditions["due_date__gte"] = start
        conditions["due_date__lte"] = start + timedelta(days=due_within_days)
    not_done = [~Q(status=Milestone.Status.DONE)] if open_only else []
    return (
        Milestone.objects.for_workspace(workspace)
        .filter(*not_done, **conditions)
        .select_related("project__client")
        .order_by("due_date", "id")
    )


def deliverable_list(
    *, workspace: Workspace, milestone_id: int | None = None, archived: bool = False
) -> QuerySet[Deliverable]:
    """Deliverables of the workspace in the order they were created, of one milestone or all,
    each with its milestone and project."""
    conditions: dict[str, Any] = {"archived_at__isnull": not archived}
    if milestone_id is not None:
        conditions["milestone_id"] = milestone_id
    return (
        Deliverable.objects.for_workspace(workspace)
        .filter(**conditions)
        .select_related("milestone__project")
        .order_by("id")
    )


def deliverable_attachments(*, deliverable: Deliverable) -> list[DeliverableAttachment]:
    """The deliverable's files and links in the order they were added, with who added them."""
    return list(
        DeliverableAttachment.objects.filter(deliverable=deliverable)
        .select_related("added_by")
        .order_by("id")
    )


def attachment_get(*, workspace: Workspace, pk: int) -> DeliverableAttachment | None:
    return (
        DeliverableAttachment.objects.for_workspace(workspace)
        .select_related("deliverable")
        .filter(pk=pk)
        .first()
    )


def client_contacts(*, client_id: int) -> list[Contact]:
    """The client's current contacts by name (whom a message may go to)."""
    return list(
        Contact.objects.filter(client_id=client_id, archived_at__isnull=True).order_by("name")
    )


def template_list(*, workspace: Workspace, archived: bool = False) -> QuerySet[ProjectTemplate]:
    """The workspace's current (or archived) templates by name, each with its milestones and
    their deliverables (three queries whatever their number)."""
    prefetches: list[Prefetch[Any]] = [
        Prefetch("milestones", queryset=TemplateMilestone.objects.order_by("position", "id")),
        Prefetch(
            "milestones__deliverables",
            queryset=TemplateDeliverable.objects.order_by("position", "id"),
        ),
    ]
    return (
        ProjectTemplate.objects.for_workspace(workspace)
        .filter(archived_at__isnull=not archived)
        .prefetch_related(*prefetches)
        .order_by("name", "id")
    )


def template_get(*, workspace: Workspace, pk: int) -> ProjectTemplate | None:
    return ProjectTemplate.objects.for_workspace(workspace).filter(pk=pk).first()
