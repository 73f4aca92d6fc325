"""The survey at the close of a project in the portal (P33, P34; ADR 0034): the page a survey
link opens (no login: a signed token of the contact and the survey), the same page inside the
portal, the home's section of open surveys and of what the client allowed us, and withdrawing
a testimonial's or a portfolio permission.

Opening a link records nothing (a mail scanner may open every link): a number pressed in the
email is only chosen on the page, and the browser sends the form.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rapport.care.model_surveys import Survey, SurveyAnswer
from rapport.care.surveys import selectors
from rapport.care.surveys.consent import portfolio_revoke, survey_respond, testimonial_withdraw
from rapport.care.surveys.forms import SurveyForm
from rapport.care.surveys.services import survey_is_open
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save
from rapport.portal import access
from rapport.portal.views import _in_language, home_section, portal_view


def _initial(contact: Contact, survey: Survey, csat: int | None) -> dict[str, Any]:
    answer = selectors.contact_survey_answer(contact=contact, survey=survey)
    words = selectors.contact_testimonial(contact=contact, survey=survey)
    portfolio = selectors.client_standing_portfolio(contact=contact, project_id=survey.project_id)
    initial: dict[str, Any] = {}
    if answer is not None:
        initial.update(csat=str(answer.csat), nps=str(answer.nps), comment=answer.comment)
    if words is not None:
        initial.update(
            testimonial=words.text,
            publish=True,
            show_name=words.show_name,
            show_company=words.show_company,
        )
    if portfolio is not None:
        initial.update(portfolio=True, conditions=portfolio.conditions)
    if csat is not None and 1 <= csat <= 5:
        initial["csat"] = str(csat)
    initial["answered"] = answer is not None
    return initial


def _page(
    request: HttpRequest,
    contact: Contact,
    survey: Survey,
    *,
    action: str,
    source: str,
    csat: int | None = None,
) -> HttpResponse:
    initial = _initial(contact, survey, csat)
    form = SurveyForm(request.POST or None, initial=initial)
    now = timezone.now()
    if not survey_is_open(survey, now):
        return render(request, "portal/survey_closed.html", {"contact": contact}, status=404)
    saved = form_save(
        request,
        form,
        lambda: survey_respond(
            survey=survey,
            contact=contact,
            source=source,
            now=now,
            **{k: form.cleaned_data[k] for k in form.fields},
        ),
    )
    if saved is not None:
        return redirect(f"{action}?saved=1")
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "survey": survey,
        "form": form,
        "action": action,
        "answered": initial["answered"],
        "saved": request.GET.get("saved") == "1" and initial["answered"],
    }
    return render(request, "portal/survey.html", context, status=400 if form.errors else 200)


def survey_link(request: HttpRequest, token: str, csat: int | None = None) -> HttpResponse:
    """The page of a survey link: GET shows the survey (with ``csat`` chosen when a number was
    pressed in the email); POST records it and comes back to the page, which thanks."""
    target = access.survey_link_target(token)
    if target is None:
        return render(request, "portal/survey_closed.html", status=404)
    contact, survey = target
    action = reverse("portal:survey_link", args=[token])
    return _in_language(
        contact.effective_language,
        lambda: _page(
            request, contact, survey, action=action, source=SurveyAnswer.Source.EMAIL, csat=csat
        ),
        contact.effective_timezone,
    )


@portal_view
def survey_page(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """The same survey inside the portal, for a survey of the contact's client (else 404)."""
    survey = selectors.contact_survey(contact=contact, pk=pk)
    if survey is None:
        raise Http404
    action = reverse("portal:survey", args=[pk])
    return _page(request, contact, survey, action=action, source=SurveyAnswer.Source.PORTAL)


@require_GET
@portal_view
def home_surveys(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The home's section: the surveys still open and what the client allowed us (and may
    withdraw) (four queries)."""
    testimonials, permissions = selectors.contact_permissions(contact=contact)
    context = {
        "surveys": selectors.contact_open_surveys(contact=contact, now=timezone.now()),
        "testimonials": testimonials,
        "permissions": permissions,
        "withdrawn": request.GET.get("withdrawn") == "1",
    }
    return home_section(request, contact, "portal/_surveys.html", context)


def _withdrawn() -> HttpResponse:
    return redirect(f"{reverse('portal:home')}?withdrawn=1#surveys")


@require_POST
@portal_view
def testimonial_withdraw_view(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Withdraw the permission to publish a testimonial of the contact's client."""
    testimonial = selectors.contact_testimonial_get(contact=contact, pk=pk)
    if testimonial is None:
        raise Http404
    # Already withdrawn: the home shows it gone either way.
    with suppress(ApplicationError):
        testimonial_withdraw(testimonial=testimonial, contact=contact)
    return _withdrawn()


@require_POST
@portal_view
def portfolio_revoke_view(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Withdraw a portfolio permission of the contact's client."""
    permission = selectors.contact_portfolio_get(contact=contact, pk=pk)
    if permission is None:
        raise Http404
    with suppress(ApplicationError):
        portfolio_revoke(permission=permission, contact=contact)
    return _withdrawn()
