from django.urls import URLPattern, path  # noqa: F401

import rapport.agreements.contract_views as contract_views

app_name = "agreements"
urlpatterns: list[URLPattern] = []

# Contracts, amendments, signatures and their audit trail (P08, P19)
urlpatterns += [
    path("templates/", contract_views.contract_templates, name="contract_templates"),
    path("contracts/<int:pk>/", contract_views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/pdf/", contract_views.contract_pdf, name="contract_pdf"),
    path(
        "contracts/<int:pk>/countersign/",
        contract_views.contract_countersign,
        name="contract_countersign",
    ),
    path("contracts/<int:pk>/void/", contract_views.contract_void, name="contract_void"),
    path("contracts/<int:pk>/verify/", contract_views.contract_verify, name="contract_verify"),
    path("contracts/<int:pk>/check/", contract_views.contract_check_pdf, name="contract_check_pdf"),
]
