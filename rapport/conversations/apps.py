from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "rapport.conversations"
    label = "conversations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers this app's scanners with the periodic tick.
        from rapport.conversations import scanners  # noqa: F401
