from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from rapport.accounts.views import language_set

urlpatterns: list[URLPattern | URLResolver] = [
    # The dashboard ("home", "dashboard"), the language switch and the health check are named
    # without a namespace.
    path("", include("rapport.dashboard.urls")),
    path("", include("rapport.core.urls")),
    path("language/", language_set, name="language"),
    path("accounts/", include("rapport.accounts.urls")),
    path("clients/", include("rapport.clients.urls")),
    path("projects/", include("rapport.projects.urls")),
    path("alerts/", include("rapport.notifications.urls")),
    path("requests/", include("rapport.conversations.urls")),
    path("commitments/", include("rapport.commitments.urls")),
    path("agreements/", include("rapport.agreements.urls")),
    path("billing/", include("rapport.billing.urls")),
    path("care/", include("rapport.care.urls")),
    path("p/", include("rapport.portal.urls")),
    path("api/", include("rapport.api.urls")),
]

# Inbound email webhooks (Anymail), only with a shared secret: they are public URLs.
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    urlpatterns.append(path("inbound/", include("anymail.urls")))
