from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "rapport.commitments"
    label = "commitments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers this app's scanners with the periodic tick.
        from rapport.commitments import scanners  # noqa: F401
