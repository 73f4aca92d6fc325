"""Helpers shared by the project writes (``projects.services``, ``projects.deliverables``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError
from rapport.core.models import ArchivableModel


def refuse_unknown(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse a field the service does not write, naming it."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(_("Unknown field."), field=sorted(unknown)[0])


def set_archived(obj: ArchivableModel, archived: bool) -> bool:
    """Archive (or restore) ``obj``; False when it already was."""
    if (obj.archived_at is not None) == archived:
        return False
    obj.archived_at = timezone.now() if archived else None
    obj.save(update_fields=["archived_at", "updated_at"])
    return True
