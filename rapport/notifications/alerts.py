"""How an alert reads and where its action is, per kind (rendered in the reader's language)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from rapport.core.formatting import readable
from rapport.notifications.kinds import ChannelKind

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from rapport.notifications.models import Alert

TEXT: dict[str, StrPromise] = {
    "update_due": gettext_lazy("Progress update due: %(wording)s"),
    "update_missed": gettext_lazy("Progress update missed: %(wording)s"),
    "request_received": gettext_lazy("New request from %(name)s: %(subject)s"),
    "request_near_target": gettext_lazy("Answer soon, the target is close: %(subject)s"),
    "reply_received": gettext_lazy("%(name)s replied: %(subject)s"),
    "deadline_at_risk": gettext_lazy(
        "%(title)s (%(project)s) is at risk: %(progress)s%% done, %(expected)s%% expected by now"
    ),
    "commitment_broken": gettext_lazy("Commitment broken without notice: %(wording)s"),
    "delivery_failed": gettext_lazy(
        "Message to %(name)s could not be sent by %(channel)s: %(error)s"
    ),
    "inbound_unmatched": gettext_lazy("Email from an unknown sender: %(sender)s"),
    "promise_confirmed": gettext_lazy("%(name)s confirmed: %(wording)s"),
    "cancel_answered": gettext_lazy("%(name)s agreed to cancel “%(wording)s”"),
    # Not a kind: how "cancel_answered" reads when the client disagreed.
    "cancel_refused": gettext_lazy("%(name)s does not agree to cancel “%(wording)s”: talk to them"),
    "contract_to_countersign": gettext_lazy("%(name)s signed %(title)s: countersign it"),
    "change_requested": gettext_lazy("%(name)s asks for a change: %(title)s"),
    "change_decided": gettext_lazy("%(name)s decided on the change request %(title)s"),
    "brief_submitted": gettext_lazy("%(name)s sent back the brief “%(title)s”"),
    "revision_decided": gettext_lazy(
        "%(name)s decided on billable revision round %(number)s of %(title)s"
    ),
    "quote_accepted": gettext_lazy("%(name)s accepted quote %(ref)s (%(title)s)"),
    # Not a kind: how "quote_accepted" reads when the client chose one of its packages.
    "quote_accepted_package": gettext_lazy(
        "%(name)s accepted quote %(ref)s (%(title)s) with the package “%(package)s”"
    ),
    "quote_declined": gettext_lazy("%(name)s declined quote %(ref)s: %(feedback)s"),
    "quote_expiring": gettext_lazy("Quote %(ref)s (%(title)s) expires on %(date)s"),
    "invoice_overdue": gettext_lazy(
        "Invoice %(number)s to %(client)s is overdue: %(balance)s since %(due)s"
    ),
    "kickoff_ready": gettext_lazy("%(title)s can start: contract signed, deposit settled"),
    "deliverable_accepted": gettext_lazy("%(name)s approved %(title)s (%(project)s)"),
    "problem_answered": gettext_lazy("%(name)s chose “%(choice)s” for the problem %(title)s"),
    # Not a kind: how "problem_answered" reads when the client asked to talk instead.
    "problem_talk": gettext_lazy("%(name)s wants to talk about the problem %(title)s"),
    # How the client's mood was read is named by ``reason`` (a system text, ADR 0021).
    "client_upset": gettext_lazy("%(name)s may be upset: %(reason)s"),
    "decision_made": gettext_lazy("%(name)s chose “%(choice)s” on your recommendation %(title)s"),
    "client_pattern": gettext_lazy(
        "%(name)s: %(count)s client-caused problems in %(days)s days, a pattern to talk about"
    ),
    "problem_unanswered": gettext_lazy(
        "No answer yet to the problem %(title)s: the client was reminded"
    ),
    "survey_answered": gettext_lazy(
        "%(name)s answered the survey on %(project)s: satisfaction %(csat)s of 5, "
        "recommendation %(nps)s of 10"
    ),
    # A detractor's answer (0-6) or a satisfaction of 1-2 (care.surveys, ADR 0034).
    "survey_answered_upset": gettext_lazy(
        "%(name)s answered the survey on %(project)s: satisfaction %(csat)s of 5, "
        "recommendation %(nps)s of 10. The client may be upset: call them"
    ),
    "testimonial_given": gettext_lazy("%(name)s wrote a testimonial for %(project)s"),
    "important_date": gettext_lazy("%(name)s: %(occasion)s today, a message is ready to send"),
    "check_in_due": gettext_lazy(
        "Check in with %(name)s: %(months)s months since %(project)s was delivered"
    ),
    "win_back": gettext_lazy(
        "%(client)s has been quiet since %(since)s: a message to win them back is ready"
    ),
    "health_at_risk": gettext_lazy("%(client)s is at risk: health %(score)s of 100 (%(reason)s)"),
}


def alert_text(alert: Alert) -> str:
    kind = alert.kind
    if kind == "cancel_answered" and alert.data.get("agreed") is False:
        kind = "cancel_refused"
    if kind == "problem_answered" and alert.data.get("talk"):
        kind = "problem_talk"
    if kind == "survey_answered" and alert.data.get("upset"):
        kind = "survey_answered_upset"
    if kind == "quote_accepted" and alert.data.get("package"):
        kind = "quote_accepted_package"
    template = TEXT.get(kind)
    if template is None:
        return alert.kind
    # Dates, amounts and system texts in the data are written out for this reader (ADR 0021).
    data: dict[str, Any] = readable(alert.data, short=False)
    if "channel" in data and data["channel"] in ChannelKind.values:
        data["channel"] = str(ChannelKind(data["channel"]).label)
    try:
        return str(template) % data
    except (KeyError, TypeError, ValueError):
        return str(alert.get_kind_display())


def alert_action_url(alert: Alert) -> str:
    """The page where the provider acts on the alert."""
    kind, sid, data = alert.kind, alert.subject_id, alert.data
    if kind in ("request_received", "request_near_target", "reply_received") and sid:
        return reverse("conversations:detail", args=[sid])
    if kind == "deadline_at_risk" and sid:
        return reverse("projects:delay_notice", args=[sid])
    if kind in ("update_due", "update_missed") and data.get("project_id"):
        return reverse("projects:update_compose", args=[data["project_id"]])
    if kind == "invoice_overdue" and sid:
        return reverse("billing:invoice_detail", args=[sid])
    if kind in ("kickoff_ready", "deliverable_accepted") and data.get("project_id"):
        return reverse("projects:detail", args=[data["project_id"]])
    if kind in ("quote_accepted", "quote_declined", "quote_expiring") and sid:
        return reverse("agreements:quote_detail", args=[sid])
    if kind == "brief_submitted" and sid:
        return reverse("clients:brief_detail", args=[sid])
    if kind == "revision_decided" and data.get("deliverable_id"):
        return reverse("billing:revisions", args=[data["deliverable_id"]])
    if kind == "contract_to_countersign" and sid:
        return reverse("agreements:contract_detail", args=[sid])
    if kind in ("change_requested", "change_decided") and sid:
        return reverse("agreements:change_detail", args=[sid])
    if kind == "cancel_answered":
        return reverse("commitments:ledger")
    if kind in ("problem_answered", "problem_unanswered") and sid:
        return reverse("care:problem_detail", args=[sid])
    if kind == "decision_made" and sid:
        return reverse("care:decision_detail", args=[sid])
    if kind == "client_upset":
        # The de-escalation page (care.upset): steps, temperament, the boundary message.
        return reverse("care:upset_detail", args=[alert.pk])
    if kind == "client_pattern" and alert.client_id:
        return reverse("care:client_pattern", args=[alert.client_id])
    if kind == "important_date":
        # The draft greeting in the contact's language (care.namedays, P31).
        return reverse("care:greeting_detail", args=[alert.pk])
    if kind in ("check_in_due", "win_back") and sid:
        # The draft to send, change or skip (care.keepintouch, P30, P34).
        return reverse("care:check_in_detail", args=[sid])
    if kind == "health_at_risk" and alert.client_id:
        # The client's health card: why it is at risk and the suggested step (care.health).
        return reverse("clients:detail", args=[alert.client_id]) + "#health"
    if kind in ("survey_answered", "testimonial_given") and data.get("project_id"):
        # The project's survey page: the answers, the testimonials and their permissions.
        return reverse("care:project_survey", args=[data["project_id"]])
    if kind == "inbound_unmatched":
        return reverse("conversations:unmatched")
    if alert.client_id:
        return reverse("clients:detail", args=[alert.client_id])
    return reverse("notifications:alerts")
