from django.apps import AppConfig


class CareConfig(AppConfig):
    """Problems and mistakes, and later the client's mood and decisions (DESIGN.md)."""

    name = "rapport.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"
