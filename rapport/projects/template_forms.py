"""Forms of the project templates and of "Duplicate project": they parse input only; the
services (``projects.project_templates``, ``projects.duplicate``) check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client
from rapport.core.forms import DateInput, model_choice_field


class TemplateNameForm(forms.Form):
    name = forms.CharField(
        label=_("Template name"),
        max_length=200,
        help_text=_("E.g. “Website in three phases”."),
    )


class NewProjectForm(forms.Form):
    """Client, name and start date of a project made from a template or as a copy."""

    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    title = forms.CharField(label=_("Project name"), max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this workspace's current clients: never another tenant's in the list.
        model_choice_field(self, "client").queryset = (
            Client.objects.for_workspace(workspace).active().order_by("name")
        )


class TemplateUseForm(NewProjectForm):
    owner = forms.ModelChoiceField(
        label=_("Milestones owned by"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Who does the work; empty: you."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        model_choice_field(self, "owner").queryset = User.objects.filter(
            memberships__workspace=workspace
        ).order_by("name")
