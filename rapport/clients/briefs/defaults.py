"""The first questionnaire of a workspace (P05, "goals first"), written in its language by
``services.brief_template_create_default``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from rapport.clients.models import BriefQuestion

DEFAULT_TITLE = gettext_lazy("Discovery brief")
DEFAULT_BUDGETS = [
    gettext_lazy("Under 1,000"),
    gettext_lazy("1,000 to 5,000"),
    gettext_lazy("5,000 to 15,000"),
    gettext_lazy("Over 15,000"),
    gettext_lazy("Not sure yet"),
]
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": BriefQuestion.Kind.TEXT,
        "text": gettext_lazy("What do you want to achieve with this work?"),
        "help_text": gettext_lazy("The result you hope for, not only what it should look like."),
        "required": True,
    },
    {
        "kind": BriefQuestion.Kind.TEXT,
        "text": gettext_lazy("Who is it for?"),
        "help_text": gettext_lazy("Your audience or customers: who they are and what they need."),
        "required": True,
    },
    {
        "kind": BriefQuestion.Kind.TEXT,
        "text": gettext_lazy("Which examples do you like, and why?"),
        "help_text": gettext_lazy("Links to work you like or dislike, with a word on why."),
        "required": False,
    },
    {
        "kind": BriefQuestion.Kind.FILE,
        "text": gettext_lazy("References or samples"),
        "help_text": gettext_lazy("A logo, a brand guide, sketches, earlier material (one file)."),
        "required": False,
    },
    {
        "kind": BriefQuestion.Kind.TEXT,
        "text": gettext_lazy("Are there dates that matter?"),
        "help_text": gettext_lazy("A launch, an event, a season: when must it be ready, and why."),
        "required": False,
    },
    {
        "kind": BriefQuestion.Kind.CHOICE,
        "text": gettext_lazy("What budget do you have in mind?"),
        "help_text": gettext_lazy("In your currency. It helps us propose what fits."),
        "required": False,
        "choices": DEFAULT_BUDGETS,
    },
]
