from django.apps import AppConfig


class CareConfig(AppConfig):
    """Problems and mistakes, and later the client's mood and decisions (DESIGN.md)."""

    name = "rapport.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the reminder of unanswered problem reports with the periodic tick.
        from rapport.care.problems import reminders  # noqa: F401
