from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "rapport.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the invoice reminders with the periodic tick, and connects the receiver of
        # agreements.signals.contract_countersigned (the deposit invoice, then the kickoff).
        # Imported here: both need the models, which Django loads after this module.
        from rapport.billing import receivers, scanners  # noqa: F401
