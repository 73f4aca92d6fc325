"""Staff pages of agreements: each package's pages, in one ``agreements`` namespace."""

from django.urls import URLPattern

from rapport.agreements.changes import urls as change_urls
from rapport.agreements.contracts import urls as contract_urls
from rapport.agreements.items import urls as item_urls
from rapport.agreements.quotes import urls as quote_urls

app_name = "agreements"
urlpatterns: list[URLPattern] = [
    *quote_urls.urlpatterns,  # quotes (P06, P07)
    *item_urls.urlpatterns,  # saved line items for the quote builder (P07)
    *contract_urls.urlpatterns,  # contracts, amendments, signatures, audit trail (P08, P19)
    *change_urls.urlpatterns,  # change requests (P19)
]
