"""Writes of the client-pattern page (P25): adding the clause for next time to the
workspace's contract terms in the client's language."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts.models import Membership
from rapport.agreements.contracts.terms import contract_template_for, contract_template_save
from rapport.agreements.models import ContractTemplate
from rapport.clients.models import Client
from rapport.core.errors import ApplicationError

CLAUSE_MAX = 4000


@transaction.atomic
def pattern_clause_add(*, membership: Membership, client: Client, clause: str) -> ContractTemplate:
    """Append ``clause`` (as edited on the page) to the workspace's contract terms in the
    client's language, so the next contract with this client carries it; documents already
    made keep their terms. Only the owner edits the terms; an empty or too long clause, or
    one the terms hold already, is refused on the field ``clause``."""
    clause = clause.strip().replace("\r\n", "\n")
    if not clause:
        raise ApplicationError(_("Write the clause."), field="clause")
    if len(clause) > CLAUSE_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": CLAUSE_MAX}, field="clause"
        )
    if not membership.is_owner:
        raise ApplicationError(_("Only the workspace owner can do this."), field="clause")
    template = contract_template_for(membership.workspace, client.language)
    if clause in template.body:
        raise ApplicationError(_("The contract terms hold this clause already."), field="clause")
    return contract_template_save(
        membership=membership,
        language=client.language,
        title=template.title,
        body=f"{template.body.rstrip()}\n\n{clause}",
    )
