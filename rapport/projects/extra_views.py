"""The extras page of a project (P18): plan one, mark it delivered, see what was told."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.core.form_views import form_save, render_form
from rapport.projects.access import project_or_404
from rapport.projects.extras import extra_deliver, extra_get, extra_plan, project_extras


class ExtraForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What we do beyond the agreement"), max_length=200)
    # Bounds are the service's (with the field named in its refusal); the form only parses.
    cost_hours = forms.DecimalField(
        label=gettext_lazy("Cost to us (hours)"), required=False, max_digits=6, decimal_places=2
    )
    cost_amount = forms.DecimalField(
        label=gettext_lazy("Cost to us (money)"), required=False, max_digits=12, decimal_places=2
    )


def _decimal(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


@login_required
def project_extra_list(request: StaffRequest, pk: int) -> HttpResponse:
    """The project's extras and the form to plan one."""
    project = project_or_404(request, pk, progress=False)
    form = ExtraForm(request.POST or None)
    extra = form_save(
        request,
        form,
        lambda: extra_plan(
            project=project,
            actor=request.user,
            title=form.cleaned_data["title"],
            cost_hours=_decimal(form.cleaned_data["cost_hours"]),
            cost_amount=_decimal(form.cleaned_data["cost_amount"]),
        ),
    )
    if extra is not None:
        messages.success(request, _("Extra planned."))
        return redirect("projects:extras", project.pk)
    context = {"project": project, "form": form, "extras": project_extras(project=project)}
    return render_form(request, "projects/extras.html", context)


@login_required
@require_POST
def extra_delivered(request: StaffRequest, pk: int) -> HttpResponse:
    extra = found_or_404(extra_get(workspace=workspace_of(request), pk=pk))
    if extra_deliver(extra=extra, actor=request.user):
        messages.success(request, _("Delivered: the next progress update tells the client."))
    return redirect("projects:extras", extra.project_id)
