"""A workspace's own plain-words entries (P26): added terms, other suggestions, shipped terms
switched off. The shipped lists are files (``care/jargon/data``); these rows override them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.core.models import TenantModel


class JargonTerm(TenantModel):
    """One entry of a workspace's list in one language. Its ``term_key`` (case, accents and
    separators folded: ``care.jargon.check.term_key``) is what makes it the same term as a
    shipped one, and what keeps a workspace from listing a term twice."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    term = models.CharField(_("term"), max_length=100)
    term_key = models.CharField(max_length=200, editable=False)
    suggestion = models.CharField(_("say instead"), max_length=300, blank=True)
    # Off: the term is not flagged in this workspace (a shipped term it does not want).
    active = models.BooleanField(_("flagged"), default=True)

    class Meta:
        ordering = ["language", "term_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "language", "term_key"], name="jargon_term_unique"
            )
        ]

    def __str__(self) -> str:
        return self.term
