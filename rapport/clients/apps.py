from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "rapport.clients"
    label = "clients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the pruning of old portal links with the periodic tick.
        from rapport.clients.portal_links import services  # noqa: F401
