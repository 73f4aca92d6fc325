"""Reads for signing: the document, locked for the transaction that signs or withdraws it."""

from __future__ import annotations

from rapport.agreements.models import Document


def document_locked(document: Document) -> Document:
    """``document`` read again under a row lock (with its quote and client): two signatures,
    or a signature and a withdrawal, never interleave."""
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("quote", "client")
        .get(pk=document.pk)
    )
