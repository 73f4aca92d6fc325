from django.urls import path

from rapport.commitments import handover_views, views

app_name = "commitments"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("clients/<int:client_pk>/promise/", views.promise_new, name="promise_new"),
    path(
        "clients/<int:client_pk>/handover/",
        handover_views.client_handover,
        name="handover",
    ),
    path("<int:pk>/keep/", views.commitment_keep, name="keep"),
    path("<int:pk>/cancel/", views.commitment_cancel, name="cancel"),
    path("<int:pk>/renegotiate/", views.commitment_renegotiate, name="renegotiate"),
    path("<int:pk>/confirm-request/", views.promise_confirm_request, name="confirm_request"),
]
