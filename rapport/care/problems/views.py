"""Staff pages of problems: a project's list, reporting one, its page with the client's
choice and the resolution (P20, P21, P22)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.models import Problem
from rapport.care.problems import selectors
from rapport.care.problems.access import problem_or_404
from rapport.care.problems.forms import ChooseForm, GoodwillForm, ProblemForm, ResolveForm
from rapport.care.problems.goodwill import problem_goodwill_record
from rapport.care.problems.services import problem_choose, problem_report, problem_resolve
from rapport.core.form_views import form_save, render_form
from rapport.projects.access import project_or_404


@require_GET
@login_required
def project_problems(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The problems of one project, newest first."""
    project = project_or_404(request, project_pk, progress=False)
    problems = selectors.project_problems(workspace=workspace_of(request), project_id=project.pk)
    return render(request, "care/problems.html", {"project": project, "problems": problems})


@login_required
def problem_new(request: StaffRequest, project_pk: int) -> HttpResponse:
    """Report a problem and send it to the chosen contacts, with its alternatives."""
    project = project_or_404(request, project_pk, progress=False)
    initial = {
        "contacts": list(
            project.client.contacts.filter(archived_at__isnull=True).values_list("pk", flat=True)
        ),
        "milestone": request.GET.get("milestone") or None,
    }
    form = ProblemForm(
        request.POST or None, initial=initial, client_id=project.client_id, project_id=project.pk
    )
    if "preview" in request.POST:
        # "Check the wording" (P26): the form again with the plain-words panel, nothing sent.
        context = {"form": form, "project": project}
        return render(request, "care/problem_form.html", context)
    problem = form_save(
        request,
        form,
        lambda: problem_report(
            project=project,
            actor=request.user,
            milestone=form.cleaned_data["milestone"],
            title=form.cleaned_data["title"],
            what_happened=form.cleaned_data["what_happened"],
            cause=form.cleaned_data["cause"],
            impact_days=form.cleaned_data["impact_days"],
            impact_amount=form.cleaned_data["impact_amount"],
            plan=form.cleaned_data["plan"],
            apology=form.cleaned_data["apology"],
            prevention=form.cleaned_data["prevention"],
            alternatives=form.alternatives(),
            contacts=list(form.cleaned_data["contacts"]),
        ),
    )
    if problem is not None:
        messages.success(request, _("The problem report is on its way to the client."))
        return redirect("care:problem_detail", problem.pk)
    return render_form(request, "care/problem_form.html", {"form": form, "project": project})


def _detail(
    request: StaffRequest,
    problem: Problem,
    *,
    choose: ChooseForm | None = None,
    resolve: ResolveForm | None = None,
    goodwill: GoodwillForm | None = None,
) -> HttpResponse:
    contacts = [c.pk for c in problem.client.contacts.all() if c.archived_at is None]
    context: dict[str, Any] = {
        "problem": problem,
        "project": problem.project,
        "choose_form": choose or ChooseForm(problem=problem),
        "resolve_form": resolve
        or ResolveForm(initial={"contacts": contacts}, client_id=problem.client_id),
        "goodwill_form": goodwill
        or GoodwillForm(
            initial={
                "goodwill_hours": problem.goodwill_hours,
                "goodwill_amount": problem.goodwill_amount,
                "goodwill_note": problem.goodwill_note,
                "goodwill_tell": problem.goodwill_tell,
            }
        ),
    }
    failed = any(f is not None and f.errors for f in (choose, resolve, goodwill))
    return render(request, "care/problem_detail.html", context, status=400 if failed else 200)


@require_GET
@login_required
def problem_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, problem_or_404(request, pk))


@require_POST
@login_required
def problem_choose_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Record the alternative the client chose outside Rapport (a call, after "let us talk")."""
    problem = problem_or_404(request, pk)
    form = ChooseForm(request.POST, problem=problem)
    fix = form_save(
        request,
        form,
        lambda: problem_choose(
            problem=problem, alternative_id=form.cleaned_data["alternative"], actor=request.user
        ),
    )
    if fix is not None:
        messages.success(request, _("The choice is recorded; the fix is a commitment now."))
        return redirect("care:problem_detail", problem.pk)
    return _detail(request, problem, choose=form)


@require_POST
@login_required
def problem_resolve_view(request: StaffRequest, pk: int) -> HttpResponse:
    """The fix is done: keep its commitment and send the resolution report."""
    problem = problem_or_404(request, pk)
    form = ResolveForm(request.POST, client_id=problem.client_id)
    resolved = form_save(
        request,
        form,
        lambda: problem_resolve(
            problem=problem,
            actor=request.user,
            resolution=form.cleaned_data["resolution"],
            contacts=list(form.cleaned_data["contacts"]),
        ),
    )
    if resolved is not None:
        messages.success(request, _("Resolved; the report is on its way to the client."))
        return redirect("care:problem_detail", problem.pk)
    return _detail(request, problem, resolve=form)


@require_POST
@login_required
def problem_goodwill_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Record the hours of the fix given free against our own mistake (P35)."""
    problem = problem_or_404(request, pk)
    form = GoodwillForm(request.POST)
    saved = form_save(
        request,
        form,
        lambda: problem_goodwill_record(
            problem=problem,
            actor=request.user,
            hours=form.cleaned_data["goodwill_hours"],
            amount=form.cleaned_data["goodwill_amount"],
            note=form.cleaned_data["goodwill_note"],
            tell=form.cleaned_data["goodwill_tell"],
        ),
    )
    if saved is not None:
        messages.success(request, _("The goodwill time is recorded."))
        return redirect("care:problem_detail", problem.pk)
    return _detail(request, problem, goodwill=form)
