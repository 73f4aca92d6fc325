from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "rapport.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the change requests' receivers of agreements.signals (an amendment signed or
        # withdrawn), and registers the quote scanners and the clearing of expired signing
        # codes with the tick.
        from rapport.agreements.changes import receivers  # noqa: F401
        from rapport.agreements.quotes import scanners  # noqa: F401
        from rapport.agreements.signing import codes  # noqa: F401
