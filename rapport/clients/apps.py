from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "rapport.clients"
    label = "clients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receivers of accounts.signals (a new workspace, a member removed), and
        # registers the pruning of old portal links with the periodic tick.
        # Imported here: both need the models, which Django loads after this module.
        from rapport.clients import receivers  # noqa: F401
        from rapport.clients.portal_links import services  # noqa: F401
