from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "rapport.projects"
    label = "projects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the delay-risk scanner with the periodic tick, and connects the receiver
        # of commitments.signals (a missed update rolls on to the next).
        from rapport.projects import receivers, scanners  # noqa: F401
