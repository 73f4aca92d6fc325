"""form_save and render_form: the one shape of a view that takes a form."""

from __future__ import annotations

from django import forms
from django.test import RequestFactory

from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _refuse() -> str:
    raise ApplicationError("That name is taken.", field="name")


def test_a_get_shows_the_form_and_saves_nothing() -> None:
    request = RequestFactory().get("/")
    calls: list[str] = []
    assert form_save(request, NameForm(), lambda: calls.append("saved")) is None
    assert calls == []


def test_a_valid_post_returns_what_the_service_returns() -> None:
    request = RequestFactory().post("/", {"name": "Acme"})
    form = NameForm(request.POST)
    assert form_save(request, form, lambda: form.cleaned_data["name"].upper()) == "ACME"


def test_an_invalid_post_never_reaches_the_service() -> None:
    request = RequestFactory().post("/", {"name": "x" * 11})
    form = NameForm(request.POST)
    assert form_save(request, form, lambda: "saved") is None
    assert "name" in form.errors


def test_a_refusal_lands_on_the_field_it_names_and_the_page_is_a_400() -> None:
    request = RequestFactory().post("/", {"name": "Acme"})
    form = NameForm(request.POST)
    assert form_save(request, form, _refuse) is None
    assert form.errors == {"name": ["That name is taken."]}
    response = render_form(request, "includes/form_fields.html", {"form": form})
    assert response.status_code == 400
    assert "That name is taken." in response.content.decode()


def test_a_form_without_errors_is_a_200() -> None:
    request = RequestFactory().get("/")
    assert (
        render_form(request, "includes/form_fields.html", {"form": NameForm()}).status_code == 200
    )
