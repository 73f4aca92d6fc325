"""Sign-up that does not tell who is registered.

The sign-up page answers "check your email" whatever the address. A new address gets an
account that cannot log in yet and an email with the link to finish; a registered one gets
"you already have an account: log in or reset your password". Both emails go through the
outbox (DESIGN.md, "Messages"). Both paths hash the password once, so the answer takes as long
either way. The finish link is bound to the account's password hash and to its being inactive:
signing up again replaces the first attempt (and its link), finishing spends it, and finishing
asks for the password, so a link someone else triggered is useless to them
(docs/adr/0020-signup-by-email.md).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from rapport.accounts.models import Membership, User
from rapport.accounts.services import _check_password, user_signup
from rapport.core.errors import ApplicationError
from rapport.core.mail import email_queue
from rapport.core.validation import check_currency, check_timezone

logger = logging.getLogger(__name__)


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """Like a password-reset token (valid PASSWORD_RESET_TIMEOUT), for finishing a sign-up."""

    key_salt = "rapport.accounts.signup.SignupTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        # Spent once the account is active; replaced when a new sign-up changes the password.
        return f"{user.pk}{user.password}{user.is_active}{timestamp}"


signup_tokens = SignupTokenGenerator()


def _is_pending(user: User) -> bool:
    """An account whose sign-up was never finished (not one an administrator deactivated)."""
    return not user.is_active and user.last_login is None


def _owned_membership(user: User) -> Membership | None:
    return (
        Membership.objects.select_related("workspace")
        .filter(user=user)
        .order_by("-role", "created_at", "id")  # "owner" before "member"
        .first()
    )


def _finish(user: User) -> dict[str, object]:
    """The finish email's link and how long it works."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:signup_finish", args=[uid, signup_tokens.make_token(user)])
    return {"url": settings.SITE_URL + path, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


def _send(
    user: User, membership: Membership | None, template: str, context: dict[str, object]
) -> None:
    context = {**context, "user": user, "login_url": settings.SITE_URL + reverse("accounts:login")}
    if membership is None:
        # A user of no workspace (an administrator) has no outbox to write to: sent directly,
        # as Django's password reset does for them.
        with translation.override(user.language):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}.txt", context)
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
        return
    email_queue(
        workspace_id=membership.workspace_id,
        to=user.email,
        template=template,
        context=context,
        language=user.language,
        name=user.name,
        user_id=user.pk,
        tz=user.timezone,
    )


@transaction.atomic
def signup_request(
    *,
    email: str,
    name: str,
    password: str,
    workspace_name: str,
    language: str = "en",
    timezone_name: str = "UTC",
    currency: str = "EUR",
) -> str:
    """Start a sign-up; returns the normalised address the email went to, and nothing that
    tells whether it was registered.

    Refuses (``ApplicationError`` naming the field) a blank name or workspace name, an unknown
    time zone or currency, or a weak password, the same for any address. Then: a new address gets an
    inactive account and the link to finish; an unfinished sign-up is replaced by this one
    (new password, names, new link); a registered address gets "you already have an
    account". Every path writes one outbox email in this transaction.
    """
    email = email.strip().lower()
    if not name.strip():
        raise ApplicationError(_("Please give your name."), field="name")
    if not workspace_name.strip():
        raise ApplicationError(_("Please name your workspace."), field="workspace_name")
    check_timezone(timezone_name)
    currency = currency.strip().upper()
    check_currency(currency)
    _check_password(password, User(email=email, name=name.strip()))
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is None:
        membership = user_signup(
            email=email,
            name=name,
            password=password,
            workspace_name=workspace_name,
            language=language,
            timezone_name=timezone_name,
            currency=currency,
            active=False,
        )
        user = membership.user
        _send(user, membership, "accounts/email/signup_finish", _finish(user))
        return email
    if _is_pending(existing):
        existing.name = name.strip()
        existing.language = language
        existing.timezone = timezone_name
        existing.set_password(password)
        # The pruning period (accounts.signup_prune) counts from the latest attempt.
        existing.date_joined = timezone.now()
        existing.save(update_fields=["name", "language", "timezone", "password", "date_joined"])
        pending_membership = _owned_membership(existing)
        if pending_membership is not None and pending_membership.is_owner:
            workspace = pending_membership.workspace
            workspace.name = workspace_name.strip()
            workspace.default_language = language
            workspace.timezone = timezone_name
            workspace.default_currency = currency
            workspace.save(
                update_fields=[
                    "name",
                    "default_language",
                    "default_currency",
                    "timezone",
                    "updated_at",
                ]
            )
        _send(existing, pending_membership, "accounts/email/signup_finish", _finish(existing))
        return email
    # Registered: the same cost as the paths above (one password hash), nothing changed.
    make_password(password)
    _send(
        existing,
        _owned_membership(existing),
        "accounts/email/signup_exists",
        {"reset_url": settings.SITE_URL + reverse("accounts:password_reset")},
    )
    return email


def signup_user_for_link(uidb64: str, token: str) -> User | None:
    """The unfinished account of a finish link, or None (unknown, expired, spent, replaced)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not _is_pending(user) or not signup_tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
def signup_finish(*, uidb64: str, token: str, password: str) -> Membership:
    """Finish a sign-up from the emailed link: the password chosen at sign-up must be given
    again (a link triggered by someone else is useless to them). Activates the account and
    returns its membership; refuses an invalid link (``token``) or a wrong password."""
    user = signup_user_for_link(uidb64, token)
    if user is None:
        raise ApplicationError(
            _("This link has expired or was already used. Sign up again or log in."),
            field="token",
        )
    User.objects.select_for_update().filter(pk=user.pk).first()
    if not user.check_password(password):
        raise ApplicationError(
            _("This is not the password you chose when you signed up."), field="password"
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    membership = _owned_membership(user)
    if membership is None:  # an unfinished sign-up always has its workspace
        raise ApplicationError(_("This account has no workspace."), field="token")
    logger.info("sign-up finished for user %s", user.pk)
    return membership
