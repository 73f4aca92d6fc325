"""A recommendation on alice's website project, as the decisions tests need it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rapport.care.decisions.services import OptionInput, decision_record
from rapport.care.model_decisions import Decision
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.projects.models import Project


def two_options() -> list[OptionInput]:
    soon = date.today() + timedelta(days=10)
    return [
        OptionInput(1, "A static site with a headless CMS", "Fast, cheap to host.", "900", soon),
        OptionInput(2, "The page builder you saw at a friend's", "Slow pages, lock-in.", "400"),
    ]


def recommend(
    *, project: Project, alice: Persona, contacts: list[Contact] | None = None, **changes: Any
) -> Decision:
    fields: dict[str, Any] = {
        "title": "How the site is built",
        "recommendation": "A static site: your visitors are on slow phones.",
        "options": two_options(),
        "recommended": 1,
        **changes,
    }
    return decision_record(project=project, actor=alice.user, contacts=contacts, **fields)
