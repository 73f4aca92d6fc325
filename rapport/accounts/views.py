"""Sign-up, login, invitations, the language switch and the settings page (workspace,
members, API tokens)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts import services
from rapport.accounts.access import StaffRequest, membership_of, workspace_of
from rapport.accounts.forms import (
    ApiTokenForm,
    InvitationAcceptForm,
    InviteForm,
    LoginForm,
    OutboxPasswordResetForm,
    PreferencesForm,
    SignupFinishForm,
    SignupForm,
    WorkspaceForm,
    country_name,
    sender_form,
    working_time_form,
)
from rapport.accounts.middleware import SESSION_WORKSPACE_KEY
from rapport.accounts.models import User
from rapport.accounts.selectors import api_token_list, invitation_pending_list, member_list
from rapport.accounts.signup import signup_finish as signup_finish_service
from rapport.accounts.signup import signup_request, signup_user_for_link
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save
from rapport.core.forms import form_add_error

# Signing up and accepting an invitation log in without authenticate(): name the backend that
# checks passwords (axes, listed first, only counts failures).
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def signup(request: HttpRequest) -> HttpResponse:
    """The same answer ("check your email"), status and template whether or not the address
    is registered; what happens next comes by email (``accounts.signup``)."""
    form = SignupForm(request.POST or None, language=translation.get_language() or "en")
    sent_to = form_save(
        request,
        form,
        lambda: signup_request(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password"],
            workspace_name=form.cleaned_data["workspace_name"],
            language=form.cleaned_data["language"],
            timezone_name=form.cleaned_data["timezone"],
            currency=form.cleaned_data["currency"],
        ),
    )
    if sent_to is not None:
        return render(request, "accounts/signup_sent.html", {"email": sent_to})
    # Like Django's login page, the sign-up page shows its errors with a 200.
    return render(request, "accounts/signup.html", {"form": form})


def signup_finish(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The emailed link: a page first (a mail scanner's GET changes nothing), then the password
    chosen at sign-up, then the account is active and logged in."""
    if signup_user_for_link(uidb64, token) is None:
        return render(request, "accounts/signup_invalid.html", status=404)
    form = SignupFinishForm(request.POST or None)
    membership = form_save(
        request,
        form,
        lambda: signup_finish_service(
            uidb64=uidb64, token=token, password=form.cleaned_data["password"]
        ),
    )
    if membership is not None:
        login(request, membership.user, backend=LOGIN_BACKEND)
        request.session[SESSION_WORKSPACE_KEY] = membership.workspace_id
        messages.success(request, _("Welcome to Rapport. Start by adding your first client."))
        return redirect("dashboard")
    return render(
        request, "accounts/signup_finish.html", {"form": form}, status=400 if form.errors else 200
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invite = services.invitation_by_token(token)
    if invite is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    form = (
        InvitationAcceptForm(request.POST or None, initial={"timezone": invite.workspace.timezone})
        if user is None
        else None
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                user=user,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
                timezone_name=form.cleaned_data["timezone"] if form else "",
            )
        except ApplicationError as exc:
            if form is None:
                messages.error(request, exc.message)
            else:
                form_add_error(form, exc)
        else:
            if user is None:
                login(request, membership.user, backend=LOGIN_BACKEND)
            request.session[SESSION_WORKSPACE_KEY] = membership.workspace_id
            messages.success(
                request, _("You joined %(name)s.") % {"name": membership.workspace.name}
            )
            return redirect("dashboard")
    return render(request, "accounts/invitation.html", {"invitation": invite, "form": form})


def _settings_context(request: StaffRequest, **extra: object) -> dict[str, object]:
    workspace = workspace_of(request)
    membership = membership_of(request)
    user = request.user
    context: dict[str, object] = {
        "members": member_list(workspace=workspace),
        "invitations": invitation_pending_list(workspace=workspace) if membership.is_owner else [],
        "tokens": api_token_list(workspace=workspace),
        "workspace_form": WorkspaceForm(
            initial={
                "name": workspace.name,
                "default_currency": workspace.default_currency,
                "default_language": workspace.default_language,
                "timezone": workspace.timezone,
            },
            prefix="ws",
        ),
        "preferences_form": PreferencesForm(
            initial={"name": user.name, "language": user.language, "timezone": user.timezone},
            prefix="me",
        ),
        "invite_form": InviteForm(prefix="inv"),
        "token_form": ApiTokenForm(prefix="tok"),
        "working_time_form": working_time_form(workspace),
        "sender_form": sender_form(workspace),
        "holiday_country_name": country_name(workspace.holiday_country),
        "capacity_form": None,
    }
    context.update(extra)
    return context


@login_required
def settings_page(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    return settings_render(request)


def settings_render(request: StaffRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    """The settings page, with ``extra`` in its context (a bound form with its errors, a new
    token). The apps whose sections it includes through their template tags re-render it this
    way, with status 400, when a save is refused."""
    return render(
        request, "accounts/settings.html", _settings_context(request, **extra), status=status
    )


def settings_post(
    request: StaffRequest,
    form_key: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Run ``action`` for a valid ``form``; re-render the settings page with errors otherwise
    (``form_key`` names the form in the page's context)."""
    message = form_save(request, form, lambda: action(form.cleaned_data))
    if message is not None:
        if message:
            messages.success(request, message)
        return redirect("accounts:settings")
    return settings_render(request, status=400, **{form_key: form})


@login_required
@require_POST
def workspace_save(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    membership = membership_of(request)

    def action(data: dict[str, Any]) -> str:
        services.workspace_update(
            membership=membership,
            name=data["name"],
            default_currency=data["default_currency"].upper(),
            default_language=data["default_language"],
            timezone_name=data["timezone"],
        )
        return _("Workspace saved.")

    return settings_post(
        request, "workspace_form", WorkspaceForm(request.POST, prefix="ws"), action
    )


@login_required
@require_POST
def preferences_save(request: StaffRequest) -> HttpResponse:
    workspace_of(request)

    def action(data: dict[str, Any]) -> str:
        services.user_update_preferences(
            user=request.user,
            name=data["name"],
            language=data["language"],
            timezone_name=data["timezone"],
        )
        return _("Preferences saved.")

    response = settings_post(
        request, "preferences_form", PreferencesForm(request.POST, prefix="me"), action
    )
    if response.status_code == 302:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax")
    return response


@login_required
@require_POST
def member_invite(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    membership = membership_of(request)

    def action(data: dict[str, Any]) -> str:
        services.invitation_create(membership=membership, email=data["email"])
        return _("Invitation sent to %(email)s.") % {"email": data["email"]}

    return settings_post(request, "invite_form", InviteForm(request.POST, prefix="inv"), action)


@login_required
@require_POST
def member_remove(request: StaffRequest, pk: int) -> HttpResponse:
    workspace_of(request)
    try:
        services.member_remove(membership=membership_of(request), member_id=pk)
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Member removed."))
    return redirect("accounts:settings")


@login_required
@require_POST
def invitation_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    workspace_of(request)
    try:
        services.invitation_revoke(membership=membership_of(request), invitation_id=pk)
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("accounts:settings")


@login_required
@require_POST
def token_create(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    form = ApiTokenForm(request.POST, prefix="tok")
    created = form_save(
        request,
        form,
        lambda: services.api_token_create(
            membership=membership_of(request), name=form.cleaned_data["name"]
        ),
    )
    if created is not None:
        token, secret = created
        return settings_render(request, new_token={"name": token.name, "secret": secret})
    return settings_render(request, status=400, token_form=form)


@login_required
@require_POST
def token_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    workspace_of(request)
    try:
        services.api_token_revoke(membership=membership_of(request), token_id=pk)
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        # Another member's token: refused in words, and the page says so with a 403.
        messages.error(request, exc.message)
        return settings_render(request, status=403)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:settings")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a logged-in provider keeps it as their preference."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        user = request.user
        if isinstance(user, User) and user.language != language:
            user.language = language
            user.save(update_fields=["language"])
    return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=OutboxPasswordResetForm,
    email_template_name="accounts/email/password_reset.txt",
    html_email_template_name="accounts/email/password_reset.html",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
