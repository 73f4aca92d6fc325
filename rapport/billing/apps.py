from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "rapport.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the invoice reminders with the periodic tick.
        from rapport.billing import scanners  # noqa: F401
