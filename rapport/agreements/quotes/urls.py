"""Quote pages (P06, P07), in the ``agreements`` namespace (see ``rapport/agreements/urls.py``)."""

from django.urls import URLPattern, path

from rapport.agreements.quotes import views

urlpatterns: list[URLPattern] = [
    path("quotes/", views.quote_list, name="quote_list"),
    path("projects/<int:project_pk>/quotes/new/", views.quote_create, name="quote_create"),
    path("projects/<int:project_pk>/quotes/row/", views.quote_row, name="quote_row"),
    path(
        "projects/<int:project_pk>/quotes/totals/",
        views.quote_totals_preview,
        name="quote_totals",
    ),
    path("quotes/<int:pk>/", views.quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/edit/", views.quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/send/", views.quote_send, name="quote_send"),
    path("quotes/<int:pk>/new-version/", views.quote_new_version, name="quote_new_version"),
    # The quotes cards of the client and project pages (loaded after the page).
    path("clients/<int:client_pk>/quotes/", views.client_quotes, name="client_quotes"),
    path("projects/<int:project_pk>/quotes/", views.project_quotes, name="project_quotes"),
]
