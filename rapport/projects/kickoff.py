"""Kickoff (P11): once the contract is signed and the deposit paid. Owner: billing work."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rapport.projects.models import Project


def kickoff_if_ready(*, project: Project) -> bool:
    """If the project's contract is signed and its deposit paid, and kickoff has not happened:
    queue the welcome message to the client and write the provider's kickoff checklist.
    True when it happened now. Idempotent. Called after signing and after each payment."""
    raise NotImplementedError
