"""Contract and amendment pages, their evidence and the contract terms (P08), in the
``agreements`` namespace (see ``rapport/agreements/urls.py``)."""

from django.urls import URLPattern, path

from rapport.agreements.contracts import views

urlpatterns: list[URLPattern] = [
    path("templates/", views.contract_templates, name="contract_templates"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/pdf/", views.contract_pdf, name="contract_pdf"),
    path(
        "contracts/<int:pk>/countersign/", views.contract_countersign, name="contract_countersign"
    ),
    path("contracts/<int:pk>/void/", views.contract_void, name="contract_void"),
    path("contracts/<int:pk>/verify/", views.contract_verify, name="contract_verify"),
    path("contracts/<int:pk>/check/", views.contract_check_pdf, name="contract_check_pdf"),
    # The contracts cards of the client and project pages (loaded after the page).
    path("clients/<int:client_pk>/contracts/", views.client_contracts, name="client_contracts"),
    path("projects/<int:project_pk>/contracts/", views.project_contracts, name="project_contracts"),
]
