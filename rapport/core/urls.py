from django.urls import path

from rapport.core import views

urlpatterns = [
    path("health/", views.health, name="health"),
]
