from django.apps import AppConfig


class CareConfig(AppConfig):
    """Problems and mistakes, the decisions log, and later the client's mood (DESIGN.md)."""

    name = "rapport.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Agreements tells of change requests the client decided; the decisions log records them.
        from rapport.care.decisions import receivers  # noqa: F401
