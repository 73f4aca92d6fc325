"""The Settings page's lead screening checklist (P01), rendered by clients, which owns it.

Adding and removing a question are ``clients.screening.views.question_add`` and
``question_remove``; they lead back to the Settings page.
"""

from __future__ import annotations

from typing import Any

from django import template

from rapport.accounts.models import Membership, Workspace
from rapport.clients.models import ScreeningQuestion
from rapport.clients.screening.selectors import checklist

register = template.Library()


@register.inclusion_tag("clients/_checklist_settings.html")
def checklist_settings(workspace: Workspace, membership: Membership) -> dict[str, Any]:
    """The workspace's questions (one query); the owner may add and remove them."""
    return {
        "questions": checklist(workspace),
        "flag_choices": ScreeningQuestion.Flag.choices,
        "can_edit": membership.is_owner,
    }
