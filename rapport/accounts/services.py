"""Writes for providers, workspaces, members, invitations and API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.access import require_owner
from rapport.accounts.models import ApiToken, Invitation, Membership, User, Workspace
from rapport.accounts.schedule import digest_due_after
from rapport.accounts.signals import member_removed, workspace_created
from rapport.core.errors import ApplicationError
from rapport.core.mail import email_queue
from rapport.core.tokens import token_generate, token_hash
from rapport.core.validation import check_currency, check_timezone

INVITATION_MAX_AGE = timedelta(days=7)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc


@transaction.atomic
def user_signup(
    *,
    email: str,
    name: str,
    password: str,
    workspace_name: str,
    language: str = "en",
    timezone_name: str = "UTC",
    currency: str = "EUR",
    active: bool = True,
) -> Membership:
    """Create a provider with their own workspace, of which they are the owner; sends
    ``workspace_created`` (the workspace's first checklist and questionnaire). With
    ``active=False`` the account cannot log in until its address is confirmed
    (``accounts.signup``: the sign-up page)."""
    email = email.strip().lower()
    if not name.strip():
        raise ApplicationError(_("Please give your name."), field="name")
    if not workspace_name.strip():
        raise ApplicationError(_("Please name your workspace."), field="workspace_name")
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(_("An account with this email already exists."), field="email")
    check_timezone(timezone_name)
    currency = currency.strip().upper()
    check_currency(currency)
    user = User(
        email=email,
        name=name.strip(),
        language=language,
        timezone=timezone_name,
        is_active=active,
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    workspace = Workspace.objects.create(
        name=workspace_name.strip(),
        default_language=language,
        default_currency=currency,
        timezone=timezone_name,
    )
    owner = Membership.objects.create(workspace=workspace, user=user, role=Membership.Role.OWNER)
    # The workspace's first screening checklist (P01) and questionnaire (P05) are written by
    # the receivers, in this transaction.
    workspace_created.send(sender=Workspace, workspace=workspace, owner=owner)
    return owner


@transaction.atomic
def workspace_update(
    *,
    membership: Membership,
    name: str,
    default_currency: str,
    default_language: str,
    timezone_name: str,
) -> Workspace:
    """Change the workspace's details; only the owner may. (The channels it offers its clients
    are notifications.workspace_channels.)"""
    require_owner(membership)
    if not name.strip():
        raise ApplicationError(_("Please name your workspace."), field="name")
    check_currency(default_currency, field="default_currency")
    check_timezone(timezone_name)
    workspace = membership.workspace
    workspace.name = name.strip()
    workspace.default_currency = default_currency
    workspace.default_language = default_language
    workspace.timezone = timezone_name
    workspace.save()
    return workspace


@transaction.atomic
def invitation_create(*, membership: Membership, email: str) -> Invitation:
    """Invite someone by email to join the workspace; only the owner may invite."""
    require_owner(membership)
    email = email.strip().lower()
    workspace = membership.workspace
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ApplicationError(_("This person is already a member."), field="email")
    Invitation.objects.filter(
        workspace=workspace, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token, digest = token_generate()
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        token_hash=digest,
        invited_by=membership.user,
        expires_at=timezone.now() + INVITATION_MAX_AGE,
    )
    # Through the outbox (core.mail): sent after commit, retried, in the delivery log.
    email_queue(
        workspace_id=workspace.pk,
        to=email,
        template="accounts/email/invitation",
        context={
            "workspace": workspace,
            "inviter": membership.user,
            "url": settings.SITE_URL + reverse("accounts:invitation", args=[token]),
        },
        language=workspace.default_language,
        tz=workspace.timezone,
        dedupe_key=f"invitation:{invitation.pk}",
    )
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("workspace").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None, name: str = "", password: str = "", timezone_name: str = ""
) -> Membership:
    """Join the workspace of the invitation, as an existing user or a new one.

    A new user is created with the invited email, in ``timezone_name`` (the workspace's when
    blank); an existing logged-in user joins as they are.
    """
    invitation = invitation_by_token(token)
    if invitation is None:
        raise ApplicationError(_("This invitation has expired or was withdrawn."), field="token")
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ApplicationError(
                _("An account with this email exists: log in first, then open the link again."),
                field="email",
            )
        if not name.strip():
            raise ApplicationError(_("Please give your name."), field="name")
        zone = timezone_name or invitation.workspace.timezone
        check_timezone(zone)
        user = User(email=invitation.email, name=name.strip(), timezone=zone)
        _check_password(password, user)
        user.set_password(password)
        user.save()
    membership, _created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": Membership.Role.MEMBER}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, membership: Membership, invitation_id: int) -> None:
    require_owner(membership)
    updated = Invitation.objects.filter(
        workspace=membership.workspace, pk=invitation_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise ApplicationError(_("No such invitation."), code="not_found")


@transaction.atomic
def member_remove(*, membership: Membership, member_id: int) -> None:
    """Remove a member from the workspace; sends ``member_removed`` (their clients lose their
    account owner). The owner cannot remove themself."""
    require_owner(membership)
    target = Membership.objects.filter(workspace=membership.workspace, pk=member_id).first()
    if target is None:
        raise ApplicationError(_("No such member."), code="not_found")
    if target.is_owner:
        raise ApplicationError(_("The owner cannot be removed."))
    # Their clients stay with the workspace; the receivers clear the account owner so that the
    # handover is visible (P27).
    member_removed.send(sender=Membership, workspace=membership.workspace, user=target.user)
    target.delete()


@transaction.atomic
def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Create an API token; the secret is returned once and only its hash is kept."""
    if not name.strip():
        raise ApplicationError(_("Please name the token."), field="name")
    secret = "rpt_" + token_generate()[0]
    token = ApiToken.objects.create(
        workspace=membership.workspace,
        user=membership.user,
        name=name.strip()[:100],
        prefix=secret[:10],
        key_hash=token_hash(secret),
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, membership: Membership, token_id: int) -> None:
    """Revoke a token of the workspace. Only the token's owner or the workspace owner may;
    another member is refused (``forbidden``), a token of another workspace or one already
    revoked is ``not_found``."""
    token = (
        ApiToken.objects.select_for_update()
        .filter(workspace=membership.workspace, pk=token_id, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        raise ApplicationError(_("No such token."), code="not_found")
    if token.user_id != membership.user_id and not membership.is_owner:
        raise ApplicationError(
            _("Only the token's owner or the workspace owner can revoke it."), code="forbidden"
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])


@transaction.atomic
def user_update_preferences(*, user: User, name: str, language: str, timezone_name: str) -> User:
    """Change the member's name, language and time zone; a new time zone moves their next
    daily digest to 08:00 there."""
    if not name.strip():
        raise ApplicationError(_("Please give your name."), field="name")
    check_timezone(timezone_name)
    moved = user.timezone != timezone_name
    user.name = name.strip()
    user.language = language
    user.timezone = timezone_name
    user.save(update_fields=["name", "language", "timezone"])
    if moved:
        # The daily digest comes at 08:00 in the new time zone.
        Membership.objects.filter(user=user).update(
            digest_due_at=digest_due_after(timezone.now(), timezone_name)
        )
    return user
