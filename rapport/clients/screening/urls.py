"""The lead screening pages, part of the ``clients`` URL namespace (``clients:screening``…)."""

from django.urls import path

from rapport.clients.screening import views

urlpatterns = [
    path("<int:pk>/screening/", views.screening_page, name="screening"),
    path("<int:pk>/screening/decide/", views.screening_decide, name="screening_decide"),
    path("screening/questions/", views.question_add, name="question_add"),
    path("screening/questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
]
