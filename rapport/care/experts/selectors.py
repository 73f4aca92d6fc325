"""Reads of the expert directory and of the recommendations (a fixed number of queries
whatever the number of experts and recommendations)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from rapport.care.model_referrals import Expert, Recommendation

# The recommendations the client page's card shows; an expert's page shows the latest ones.
SECTION_RECOMMENDATIONS = 10
EXPERT_RECOMMENDATIONS = 50


def experts_list(
    *, workspace_id: int, skill: str = "", query: str = "", archived: bool = False
) -> QuerySet[Expert]:
    """The directory by name, filtered by one skill (exact tag) and a search of the name,
    skills and notes; each row carries its number of recommendations and of hires."""
    rows = Expert.objects.for_workspace(workspace_id).filter(archived_at__isnull=not archived)
    skill = skill.strip().lower()
    if skill:
        rows = rows.filter(skill_index__contains=f"|{skill}|")
    query = query.strip()
    if query:
        rows = rows.filter(
            Q(name__icontains=query)
            | Q(skill_index__icontains=query.lower())
            | Q(notes__icontains=query)
        )
    return rows.annotate(
        recommended=Count("recommendations"),
        hired=Count(
            "recommendations",
            filter=Q(recommendations__outcome=Recommendation.Outcome.HIRED),
        ),
    ).order_by("name", "id")


def expert_skills(*, workspace_id: int) -> list[str]:
    """Every skill of the active directory, sorted, for the filter (one query)."""
    skills: set[str] = set()
    for index in (
        Expert.objects.for_workspace(workspace_id)
        .filter(archived_at__isnull=True)
        .values_list("skill_index", flat=True)
    ):
        skills.update(s for s in index.split("|") if s)
    return sorted(skills)


def expert_get(*, workspace_id: int, pk: int) -> Expert | None:
    return Expert.objects.for_workspace(workspace_id).filter(pk=pk).first()


def experts_active(*, workspace_id: int) -> QuerySet[Expert]:
    """The experts a recommendation or a referral may name."""
    return Expert.objects.for_workspace(workspace_id).filter(archived_at__isnull=True)


def _recommendations(workspace_id: int) -> QuerySet[Recommendation]:
    return Recommendation.objects.for_workspace(workspace_id).select_related(
        "expert", "client", "contact"
    )


def client_recommendations(*, workspace_id: int, client_id: int) -> QuerySet[Recommendation]:
    """The experts recommended to one client, newest first."""
    return _recommendations(workspace_id).filter(client_id=client_id)


def expert_recommendations(*, workspace_id: int, expert_id: int) -> QuerySet[Recommendation]:
    """The clients one expert was recommended to, newest first."""
    return _recommendations(workspace_id).filter(expert_id=expert_id)


def recommendation_get(*, workspace_id: int, pk: int) -> Recommendation | None:
    return _recommendations(workspace_id).filter(pk=pk).first()
