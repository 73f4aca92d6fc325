"""Saved line item pages, in the ``agreements`` namespace."""

from django.urls import URLPattern, path

from rapport.agreements.items import views

urlpatterns: list[URLPattern] = [
    path("quotes/items/", views.saved_item_list, name="saved_items"),
    path("quotes/items/<int:pk>/edit/", views.saved_item_edit, name="saved_item_edit"),
    path("quotes/items/<int:pk>/archive/", views.saved_item_archive, name="saved_item_archive"),
    path("quotes/items/from-line/", views.saved_item_from_line, name="saved_item_from_line"),
]
