"""Forms for change requests: the provider's, the client's in the portal, rejecting one, and
turning a client's request into one. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.core.forms import model_choice_field
from rapport.projects.models import Milestone, Project


class ChangeRequestForm(forms.Form):
    """The provider's change request: what changes and what it costs in money and days."""

    title = forms.CharField(label=_("Change"), max_length=200)
    description = forms.CharField(
        label=_("What changes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    price_impact = forms.CharField(
        label=_("Price impact"),
        required=False,
        help_text=_("In the project's currency; negative if the change takes work away."),
    )
    days_impact = forms.CharField(
        label=_("Date impact (working days)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 365}),
    )
    milestone = forms.ModelChoiceField(
        label=_("Affected milestone"),
        queryset=Milestone.objects.none(),
        required=False,
        help_text=_("It and the milestones after it move by the date impact."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "milestone").queryset = Milestone.objects.filter(
            project=project, archived_at__isnull=True
        ).order_by("due_date", "id")


class PortalChangeForm(forms.Form):
    """The client asks for a change; the provider prices and dates it before it comes back."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    title = forms.CharField(label=_("What should change?"), max_length=200)
    description = forms.CharField(
        label=_("Tell us more"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "project").queryset = projects


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FromRequestForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "project").queryset = projects
