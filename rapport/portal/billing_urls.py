"""Portal URLs of the client's invoices (included by portal/urls.py, in its namespace)."""

from django.urls import path

from rapport.portal import billing

urlpatterns = [
    path("", billing.invoices, name="invoices"),
    path("<int:pk>/", billing.invoice, name="invoice"),
    path("<int:pk>/pdf/", billing.invoice_pdf, name="invoice_pdf"),
]
