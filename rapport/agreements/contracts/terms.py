"""The workspace's contract terms, one template per language, and their placeholders (P08).

The first terms of a workspace are written from :data:`DEFAULT_TERMS` on first use; the owner
edits them per language in Settings, and a document already made keeps the terms it was made
with.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.accounts.access import require_owner
from rapport.accounts.models import LANGUAGE_CHOICES, Membership, Workspace
from rapport.agreements.models import ContractTemplate
from rapport.core.errors import ApplicationError

# The first terms of a workspace, in English for translation; the owner edits them per language
# in Settings. ``{placeholders}`` are filled per document (see PLACEHOLDERS).
DEFAULT_TITLE = gettext_lazy("Agreement for {project}")
DEFAULT_TERMS = [
    gettext_lazy(
        "Scope. {provider} will deliver to {client} the deliverables listed in this agreement, "
        "each with the specification and format stated. Anything listed as out of scope, and "
        "anything not listed, is not part of this agreement."
    ),
    gettext_lazy(
        "Price and payment. The price is {total}, paid according to the payment schedule above. "
        "Work starts once the deposit, if there is one, has been received."
    ),
    gettext_lazy(
        "Revisions. Each deliverable includes {free_rounds} rounds of revision. Further rounds "
        "are billed at {hourly_rate} an hour, and only after {client} has accepted their cost."
    ),
    gettext_lazy(
        "Changes. Any change to the scope, the price or the dates is agreed in writing, as a "
        "signed amendment to this agreement, before the changed work starts."
    ),
    gettext_lazy(
        "Intellectual property. The rights to the final deliverables pass to {client} once "
        "the full price has been paid. {provider} may keep working files and, with the "
        "permission of {client}, show the work in a portfolio."
    ),
    gettext_lazy(
        "Confidentiality. Both parties keep confidential what they learn about each other's "
        "business, during this work and afterwards."
    ),
    gettext_lazy(
        "Termination. Either party may end this agreement in writing with 14 days' notice. "
        "Work done until then is paid; deliverables paid for are handed over."
    ),
]
PLACEHOLDERS = (
    "client",
    "provider",
    "project",
    "total",
    "deposit",
    "free_rounds",
    "hourly_rate",
    "sign_by",
)
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced; unknown ones stay visible as typed.

    A plain substitution, not ``str.format``: a template is typed by a person and must not
    reach attributes or fail on a stray brace.
    """
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _language_check(language: str) -> str:
    if language not in dict(LANGUAGE_CHOICES):
        raise ApplicationError(_("Choose one of the languages offered."), field="language")
    return language


def contract_template_default(language: str) -> tuple[str, str]:
    """The default (title, terms) in ``language``, paragraphs separated by blank lines."""
    with translation.override(language):
        return str(DEFAULT_TITLE), "\n\n".join(str(p) for p in DEFAULT_TERMS)


def contract_template_for(workspace: Workspace, language: str) -> ContractTemplate:
    """The workspace's template in ``language``, written from the defaults on first use."""
    language = _language_check(language)
    found = ContractTemplate.objects.for_workspace(workspace).filter(language=language).first()
    if found is not None:
        return found
    title, body = contract_template_default(language)
    try:
        with transaction.atomic():
            return ContractTemplate.objects.create(
                workspace=workspace, language=language, title=title, body=body
            )
    except IntegrityError:  # written by a concurrent first use
        return ContractTemplate.objects.for_workspace(workspace).get(language=language)


@transaction.atomic
def contract_template_save(
    *, membership: Membership, language: str, title: str, body: str
) -> ContractTemplate:
    """The owner edits the terms of one language; documents already made keep theirs."""
    require_owner(membership)
    template = contract_template_for(membership.workspace, language)
    title, body = title.strip(), body.strip().replace("\r\n", "\n")
    if not title:
        raise ApplicationError(_("Give the contract a title."), field="title")
    if len(title) > 200:
        raise ApplicationError(_("At most 200 characters."), field="title")
    if not body:
        raise ApplicationError(_("Write the terms."), field="body")
    if len(body) > 50000:
        raise ApplicationError(_("At most 50,000 characters."), field="body")
    template.title, template.body = title, body
    template.save(update_fields=["title", "body", "updated_at"])
    return template
