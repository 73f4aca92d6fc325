from django.urls import include, path

urlpatterns = [
    path("", include("rapport.core.urls")),
    path("accounts/", include("rapport.accounts.urls")),
    path("clients/", include("rapport.clients.urls")),
    path("projects/", include("rapport.projects.urls")),
    path("p/", include("rapport.portal.urls")),
    path("api/", include("rapport.api.urls")),
]
