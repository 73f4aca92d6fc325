from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rapport.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the pruning of unfinished sign-ups with the periodic tick.
        from rapport.accounts import signup_prune  # noqa: F401
