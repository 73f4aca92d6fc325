"""accounts.signals: the receivers above accounts run in the sending service's transaction."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.services import member_remove, user_signup
from rapport.accounts.signals import workspace_created
from rapport.clients.models import BriefTemplate, Client, ScreeningQuestion
from rapport.conftest import PASSWORD, Persona


class ReceiverFailed(Exception):
    pass


def test_a_failing_receiver_leaves_no_half_made_workspace(db: None) -> None:
    def fail(sender: Any, **kwargs: Any) -> None:
        raise ReceiverFailed

    workspace_created.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(ReceiverFailed):
            user_signup(
                email="eleni@example.com", name="Eleni", password=PASSWORD, workspace_name="E"
            )
    finally:
        workspace_created.disconnect(dispatch_uid="test.fail")
    assert not User.objects.filter(email="eleni@example.com").exists()
    assert not Workspace.objects.exists()
    assert not ScreeningQuestion.objects.exists()
    assert not BriefTemplate.objects.exists()


def test_a_new_workspace_gets_its_checklist_and_questionnaire(
    alice: Persona, mallory: Persona
) -> None:
    for persona in (alice, mallory):
        assert ScreeningQuestion.objects.filter(workspace=persona.workspace).count() == 6
        assert BriefTemplate.objects.filter(workspace=persona.workspace).count() == 1


def test_leaving_one_workspace_keeps_the_account_ownerships_of_another(
    alice: Persona, mallory: Persona, acme: Client
) -> None:
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    at_alice = Membership.objects.create(workspace=alice.workspace, user=bob)
    Membership.objects.create(workspace=mallory.workspace, user=bob)
    theirs = Client.objects.create(workspace=mallory.workspace, name="Evil Corp", account_owner=bob)
    Client.objects.filter(pk=acme.pk).update(account_owner=bob)
    member_remove(membership=alice.membership, member_id=at_alice.pk)
    acme.refresh_from_db()
    theirs.refresh_from_db()
    assert acme.account_owner is None
    assert theirs.account_owner == bob
