"""What keeping in touch does when a project is delivered or reopened and when a quote is
written (P30, P31). Connected in ``CareConfig.ready``: projects and agreements sit below care
and only announce what happened (ADR 0013)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rapport.care.keepintouch.services import (
    check_ins_cancel,
    check_ins_schedule,
    loyalty_offer_attach,
)

if TYPE_CHECKING:
    from rapport.agreements.models import Quote
    from rapport.projects.models import Project


def check_ins_on_delivery(sender: type, *, project: Project, **kwargs: Any) -> None:
    """A delivery schedules its check-ins (3, 6 and 12 months later by default)."""
    check_ins_schedule(project=project)


def check_ins_on_reopen(sender: type, *, project: Project, **kwargs: Any) -> None:
    """A project back at work cancels the check-ins its delivery scheduled."""
    check_ins_cancel(project=project)


def loyalty_on_quote(sender: type, *, quote: Quote, **kwargs: Any) -> None:
    """A new quote carries the loyalty offer waiting for its client, if any."""
    loyalty_offer_attach(quote=quote)
