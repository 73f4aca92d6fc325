"""The greeting page of an important day (P31): the draft in the contact's language, editable,
sent through the outbox with one click, or dismissed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest
from rapport.care.namedays import selectors, services
from rapport.care.namedays.access import greeting_alert_or_404
from rapport.care.namedays.drafts import greeting_draft
from rapport.care.namedays.forms import GreetingForm
from rapport.core.form_views import form_save, render_form
from rapport.notifications.alerts import alert_text


@login_required
def greeting_detail(request: StaffRequest, pk: int) -> HttpResponse:
    alert = greeting_alert_or_404(request, pk)
    greeting = selectors.greeting_read(alert=alert)
    initial = {}
    if greeting.contact is not None:
        initial["message"] = greeting_draft(
            contact=greeting.contact, kind=greeting.kind, years=greeting.years
        )
    form = GreetingForm(request.POST or None, initial=initial)
    sent = form_save(
        request,
        form,
        lambda: services.greeting_send(
            alert=alert,
            contact=greeting.contact,
            message=form.cleaned_data["message"],
            actor=request.user,
        ),
    )
    if sent is not None:
        messages.success(request, _("Greeting queued: it goes out within the contact's hours."))
        return redirect("notifications:alerts")
    context = {
        "alert": alert,
        "greeting": greeting,
        "client": alert.client,
        "sentence": alert_text(alert),
        "form": form,
    }
    return render_form(request, "care/greeting.html", context)


@login_required
@require_POST
def greeting_dismiss(request: StaffRequest, pk: int) -> HttpResponse:
    alert = greeting_alert_or_404(request, pk)
    services.greeting_dismiss(alert=alert, actor=request.user)
    messages.success(request, _("Dismissed: no greeting this time."))
    return redirect("notifications:alerts")
