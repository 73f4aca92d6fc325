from django.urls import URLPattern, URLResolver, include, path

from rapport.billing import sections, views

app_name = "billing"
urlpatterns: list[URLPattern | URLResolver] = [
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/lines/", views.invoice_line_add, name="invoice_line_add"),
    path("invoices/<int:pk>/issue/", views.invoice_issue, name="invoice_issue"),
    path("invoices/<int:pk>/void/", views.invoice_void, name="invoice_void"),
    path("invoices/<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("lines/<int:pk>/remove/", views.invoice_line_remove, name="invoice_line_remove"),
    path("projects/<int:project_pk>/invoices/new/", views.invoice_new, name="invoice_new"),
    path("projects/<int:project_pk>/time/", views.time_entry_add, name="time_entry_add"),
    path("time/<int:pk>/remove/", views.time_entry_remove, name="time_entry_remove"),
    path("kickoff/<int:pk>/", views.kickoff_tick, name="kickoff_tick"),
    # Sections of the client and project pages (loaded after the page).
    path("clients/<int:client_pk>/balance/", sections.client_balance, name="client_balance"),
    path("projects/<int:project_pk>/billing/", sections.project_billing, name="project_billing"),
    path("payment-methods/", views.payment_methods, name="payment_methods"),
    path("payment-methods/<int:pk>/", views.payment_method_edit, name="payment_method_edit"),
    path(
        "payment-methods/<int:pk>/remove/",
        views.payment_method_remove,
        name="payment_method_remove",
    ),
    path("", include("rapport.billing.revisions.urls")),
]
