"""Mail that reached the server's inbound address without a known workspace token (a
mistyped or forged plus-address) and from no known contact: kept with no workspace, and
listed here for the server's admin, who hands each to its workspace (ADR 0017)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rapport.accounts.models import Workspace
from rapport.conversations.inbound_mail import orphan_assign
from rapport.conversations.models import InboundEmail


class Command(BaseCommand):
    help = "List inbound emails that reached no workspace, or hand one to a workspace."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--assign", type=int, metavar="EMAIL_ID", help="The email to hand.")
        parser.add_argument("--workspace", type=int, metavar="WORKSPACE_ID", help="To whom.")

    def handle(
        self, *args: Any, assign: int | None = None, workspace: int | None = None, **options: Any
    ) -> None:
        if assign is None:
            rows = InboundEmail.objects.filter(workspace__isnull=True).order_by("-received_at")
            for email in rows[:200]:
                self.stdout.write(
                    f"{email.pk}\t{email.received_at:%Y-%m-%d %H:%M}\t{email.sender}\t"
                    f"{email.recipient}\t{email.subject}"
                )
            return
        found = InboundEmail.objects.filter(pk=assign, workspace__isnull=True).first()
        target = Workspace.objects.filter(pk=workspace).first() if workspace else None
        if found is None:
            raise CommandError(f"No email {assign} without a workspace.")
        if target is None:
            raise CommandError("--workspace: no such workspace.")
        orphan_assign(email=found, workspace=target)
        self.stdout.write(f"Email {assign} is now on the Unmatched page of {target.name}.")
