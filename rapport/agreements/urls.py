from django.urls import URLPattern, path

import rapport.agreements.contract_views as contract_views
from rapport.agreements import quote_views

app_name = "agreements"
urlpatterns: list[URLPattern] = [
    # Quotes (P06, P07)
    path("quotes/", quote_views.quote_list, name="quote_list"),
    path("projects/<int:project_pk>/quotes/new/", quote_views.quote_create, name="quote_create"),
    path(
        "projects/<int:project_pk>/quotes/row/",
        quote_views.quote_row,
        name="quote_row",
    ),
    path("quotes/<int:pk>/", quote_views.quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/edit/", quote_views.quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/send/", quote_views.quote_send, name="quote_send"),
    path("quotes/<int:pk>/new-version/", quote_views.quote_new_version, name="quote_new_version"),
]

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
