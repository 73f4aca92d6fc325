from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "rapport.conversations"
    label = "conversations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers this app's scanners with the periodic tick.
        from anymail.signals import inbound

        from rapport.conversations import mailbox_jobs, scanners  # noqa: F401
        from rapport.conversations.inbound import on_inbound

        inbound.connect(on_inbound, dispatch_uid="rapport-inbound-email")
