from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client, Contact
from rapport.core.forms import DateInput, model_choice_field
from rapport.core.pickers import CurrencyField
from rapport.projects.models import Deliverable, Milestone, Project


class _ServiceValidatedForm[M: Model](forms.ModelForm[M]):
    """Parse input only; the service validates the model and the business rules."""

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ProjectForm(_ServiceValidatedForm[Project]):
    class Meta:
        model = Project
        fields = [
            "title",
            "goal",
            "status",
            "start_date",
            "due_date",
            "budget",
            "estimated_hours",
            "currency",
            "update_cadence",
            "update_weekday",
            "out_of_scope",
        ]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "out_of_scope": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "goal": _("What the client wants to achieve, in their words."),
            "out_of_scope": _("What is explicitly not included, one item per line."),
            "update_cadence": _("How often you agreed to tell the client where things stand."),
        }

    # Chosen from a list, not typed (core.pickers).
    currency = CurrencyField(label=_("Currency"))

    # Asked, not assumed: the provider confirms that starting the work makes the lead a client.
    activate_client = forms.BooleanField(
        label=_("Make the client active when this project is active"),
        help_text=_("For a lead or a past client: starting the work makes them a client."),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        currency = self.fields["currency"]
        if isinstance(currency, CurrencyField) and self.instance.pk:
            currency.keep(self.instance.currency)
        client = self.instance.client if self.instance.pk else None
        if client is not None and client.status not in (
            Client.Status.LEAD,
            Client.Status.PAST,
        ):
            # Already a client (or declined): nothing to confirm.
            del self.fields["activate_client"]
        elif client is not None:
            self.fields["activate_client"].label = _(
                "Make %(client)s an active client when this project is active"
            ) % {"client": client.name}

    def wants_client_active(self) -> bool:
        return bool(self.cleaned_data.get("activate_client"))


class ProjectCreateForm(ProjectForm):
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())

    class Meta(ProjectForm.Meta):
        fields = ["client", *ProjectForm.Meta.fields]

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clients = Client.objects.for_workspace(workspace).active()
        model_choice_field(self, "client").queryset = clients

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("client")
        return data


class MilestoneForm(_ServiceValidatedForm[Milestone]):
    """A milestone's dates, progress, estimate and owner: the estimate against the owner's
    capacity is what delay warnings weigh (P16), so both are asked here."""

    class Meta:
        model = Milestone
        fields = [
            "title",
            "start_date",
            "due_date",
            "progress",
            "status",
            "estimate_hours",
            "owner",
        ]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
            "estimate_hours": forms.NumberInput(attrs={"min": 0, "step": "0.5"}),
        }
        help_texts = {
            "start_date": _(
                "When work on it starts; empty: when the previous milestone is due. "
                "Delay warnings measure progress from here (P16)."
            ),
            "estimate_hours": _(
                "Hours of work in it; with its owner's weekly capacity this tells whether the "
                "date can be met. Empty: judged on progress only."
            ),
            "owner": _("Who does the work; empty: the workspace owner."),
        }

    def __init__(self, *args: Any, workspace: Workspace | int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this workspace's members: never another tenant's people in the list.
        owner = model_choice_field(self, "owner")
        owner.queryset = User.objects.filter(memberships__workspace=workspace).order_by("name")


class ProgressForm(_ServiceValidatedForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["progress"]
        widgets = {"progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5})}


class DeliverableForm(_ServiceValidatedForm[Deliverable]):
    class Meta:
        model = Deliverable
        fields = [
            "title",
            "spec",
            "format",
            "status",
            "revision_free_rounds",
            "revision_hourly_rate",
        ]
        widgets = {"spec": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "spec": _("Exactly what is delivered, so nothing can be misunderstood."),
            "format": _("The agreed format, e.g. “5 page layouts, .fig and .pdf”."),
        }


class _TellContactsForm(forms.Form):
    """A form naming which of the client's current contacts to tell (their ``contacts`` field
    lists only this client's unarchived contacts: never another client's people)."""

    contacts: forms.ModelMultipleChoiceField[Contact]

    def __init__(self, *args: Any, client_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "contacts").queryset = Contact.objects.filter(
            client_id=client_id, archived_at__isnull=True
        ).order_by("name")


class UpdateForm(_TellContactsForm):
    body = forms.CharField(
        label=_("Your note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Only your own words. Each contact is greeted by name, and the milestones, dates "
            "and risks as they are when you send are added in their language."
        ),
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Send to"), queryset=Contact.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    # The figures the page showed (projects.updates.update_figures): sending compares them
    # with the figures at that moment.
    figures = forms.CharField(required=False, widget=forms.HiddenInput)


class DelayNoticeForm(_TellContactsForm):
    new_due_date = forms.DateField(label=_("New date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Why (the client reads this)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    plan = forms.CharField(
        label=_("What we are doing about it"), widget=forms.Textarea(attrs={"rows": 2})
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Tell"), queryset=Contact.objects.none(), widget=forms.CheckboxSelectMultiple
    )


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("A word for the client (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class MilestoneDoneForm(_TellContactsForm):
    """Done with deliverables pending: who to tell, if anyone, and a word for them."""

    contacts = forms.ModelMultipleChoiceField(
        label=_("Tell the client"),
        help_text=_("A short notice in each contact's language naming what is still to come."),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = _note_field()


class AttachFileForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args: Any, accept: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if accept:
            # The browser's file picker offers these first; the service still checks.
            self.fields["file"].widget.attrs["accept"] = accept


class AttachLinkForm(forms.Form):
    # A CharField, not a URLField: the service checks the address and says what is wrong.
    url = forms.CharField(label=_("Link"), max_length=1000)
    name = forms.CharField(
        label=_("Label (optional)"),
        required=False,
        max_length=200,
        help_text=_("What the client sees, e.g. “Clickable prototype”."),
    )


class DeliverForm(_TellContactsForm):
    """Who is told that a deliverable is ready for review, and a word for them."""

    contacts = forms.ModelMultipleChoiceField(
        label=_("Tell"),
        help_text=_("Each contact gets a message in their language with a link to the portal."),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = _note_field()
