from django.apps import AppConfig


class CareConfig(AppConfig):
    """Problems and mistakes, the decisions log, plain words and the client's mood
    (DESIGN.md)."""

    name = "rapport.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Agreements tells of change requests the client decided; the decisions log records them.
        from rapport.care.decisions import receivers  # noqa: F401

        # The tone of every client message is read as it arrives (ADR 0032): conversations
        # sits below care and only announces that a client wrote.
        from rapport.care.upset.receivers import tone_read
        from rapport.conversations.signals import client_wrote

        client_wrote.connect(tone_read, dispatch_uid="care.tone_read")

        # Important dates (P31): the calendar name day and the moments follow the contact
        # (clients only announces the change), and the tick greets the dates that are due.
        from rapport.care.namedays import scan  # noqa: F401
        from rapport.care.namedays.receivers import contact_dates_follow
        from rapport.clients.signals import contact_dates_changed

        contact_dates_changed.connect(contact_dates_follow, dispatch_uid="care.dates_follow")

        # A delivered project is thanked and its survey scheduled (P30, P34; ADR 0034); check-ins
        # follow it, a reopened project cancels them, a new quote carries the client's loyalty
        # offer (ADR 0037). The survey and the due check-ins go out with the periodic tick.
        from rapport.agreements.signals import quote_created
        from rapport.care.keepintouch import receivers as keepintouch
        from rapport.care.keepintouch import scanner, winback  # noqa: F401
        from rapport.care.surveys import schedule  # noqa: F401
        from rapport.care.surveys.receivers import project_delivered_follow
        from rapport.projects.signals import project_delivered, project_reopened

        project_delivered.connect(project_delivered_follow, dispatch_uid="care.survey_follow")
        project_delivered.connect(
            keepintouch.check_ins_on_delivery, dispatch_uid="care.check_ins_on_delivery"
        )
        project_reopened.connect(
            keepintouch.check_ins_on_reopen, dispatch_uid="care.check_ins_on_reopen"
        )
        quote_created.connect(keepintouch.loyalty_on_quote, dispatch_uid="care.loyalty_on_quote")

        # Registers with the periodic tick: the reminder of unanswered problem reports, and
        # relationship health (ADR 0038), which marks the clients whose timeline moved and
        # computes the due ones; last, so a tick's other jobs are in the timeline it reads.
        from rapport.care.health import scanner as health_scanner  # noqa: F401
        from rapport.care.problems import reminders  # noqa: F401
