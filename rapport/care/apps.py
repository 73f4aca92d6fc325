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

        # Registers the reminder of unanswered problem reports with the periodic tick.
        from rapport.care.problems import reminders  # noqa: F401

        # A delivered project is thanked, and its survey scheduled (P30, P34; ADR 0034);
        # the survey goes out with the periodic tick.
        from rapport.care.surveys import schedule  # noqa: F401
        from rapport.care.surveys.receivers import project_delivered_follow
        from rapport.projects.signals import project_delivered

        project_delivered.connect(project_delivered_follow, dispatch_uid="care.survey_follow")
