from django.urls import path

from rapport.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("language/", views.language_set, name="language"),
    path("health/", views.health, name="health"),
]
