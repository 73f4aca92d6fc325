"""The one shape of a view that takes a form: read it, let a service write, redirect or answer 400.

A staff or portal view that takes input does three things: build the form from the request,
call a service when the form is valid, and either go on (redirect) or show the form again with
what is wrong. The service's :class:`ApplicationError` names the field at fault; it goes onto
that field like a form error. A page that shows errors answers 400, so that a test, a script
or htmx can tell a refusal from a page that merely shows a form::

    form = ClientForm(request.POST or None, workspace=workspace)
    client = form_save(request, form, lambda: services.client_create(**form.cleaned_data))
    if client is not None:
        return redirect("clients:detail", client.pk)
    return render_form(request, "clients/form.html", {"form": form})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rapport.core.errors import ApplicationError
from rapport.core.forms import form_add_error


def form_save[T](request: HttpRequest, form: BaseForm, save: Callable[[], T]) -> T | None:
    """What ``save()`` returns, when the request is a POST, the form is valid and the service
    accepts it; otherwise None, with the service's refusal on the form.

    ``save`` must return something other than None when it succeeds (services return the row
    they wrote), since None is the answer for "show the form again".
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ApplicationError as exc:
        form_add_error(form, exc)
        return None


def render_form(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    form: BaseForm | None = None,
) -> HttpResponse:
    """The page with its form (``context["form"]`` unless ``form`` is given): 400 when the form
    holds errors, 200 otherwise."""
    shown = form if form is not None else context["form"]
    return render(request, template_name, dict(context), status=400 if shown.errors else 200)
