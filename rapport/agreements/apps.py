from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "rapport.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"
