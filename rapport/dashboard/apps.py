from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The page a provider opens most: what is due, the alerts, the activity (a wing: it reads
    from every domain app, and nothing imports it)."""

    name = "rapport.dashboard"
    label = "dashboard"
    default_auto_field = "django.db.models.BigAutoField"
