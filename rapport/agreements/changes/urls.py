"""Change request pages (P19), in the ``agreements`` namespace (see
``rapport/agreements/urls.py``)."""

from django.urls import URLPattern, path

from rapport.agreements.changes import views

urlpatterns: list[URLPattern] = [
    # The project page's change requests card (loaded after the page).
    path("projects/<int:project_pk>/changes/", views.project_changes, name="project_changes"),
    path("projects/<int:project_pk>/changes/new/", views.change_create, name="change_create"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("changes/<int:pk>/edit/", views.change_edit, name="change_edit"),
    path("changes/<int:pk>/send/", views.change_send, name="change_send"),
    path("changes/<int:pk>/withdraw/", views.change_withdraw, name="change_withdraw"),
    path("requests/<int:pk>/change/", views.change_from_request, name="change_from_request"),
]
