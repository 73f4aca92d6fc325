from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "rapport.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the quote scanners with the periodic tick.
        from rapport.agreements import quote_scanners  # noqa: F401
