from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo workspace that `make run` starts with (`manage.py demo`); a wing: it writes
    through every domain app's services, and nothing imports it."""

    name = "rapport.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"
