"""Compute the relationship health of every client of one workspace, or of all (the first
run, or after the weights in ``care/health/score.py`` changed; ADR 0038)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rapport.accounts.models import Workspace
from rapport.care.health.services import workspace_health_recompute


class Command(BaseCommand):
    help = "Compute the health score of every client of a workspace (or of every workspace)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workspace", type=int, metavar="WORKSPACE_ID")

    def handle(self, *args: Any, workspace: int | None = None, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if workspace is not None:
            workspaces = workspaces.filter(pk=workspace)
            if not workspaces.exists():
                raise CommandError("--workspace: no such workspace.")
        for ws in workspaces:
            scored = workspace_health_recompute(workspace_id=ws.pk)
            self.stdout.write(f"{ws.pk}\t{scored}")
