"""Revision rounds' staff pages (P08), in the ``billing`` namespace (included by billing.urls)."""

from django.urls import URLPattern, path

from rapport.billing.revisions import views

urlpatterns: list[URLPattern] = [
    path("deliverables/<int:pk>/revisions/", views.deliverable_revisions, name="revisions"),
    path("revisions/<int:pk>/estimate/", views.revision_estimate, name="revision_estimate"),
    path("revisions/<int:pk>/done/", views.revision_done, name="revision_done"),
]
