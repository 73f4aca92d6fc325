"""Portal URLs for signing documents and for change requests (mounted under portal/sign/)."""

from django.urls import path

from rapport.portal import signing

urlpatterns = [
    path("<int:pk>/", signing.sign, name="sign"),
    path("<int:pk>/pdf/", signing.sign_pdf, name="sign_pdf"),
    path("<int:pk>/code/", signing.sign_code, name="sign_code"),
    path("<int:pk>/confirm/", signing.sign_confirm, name="sign_confirm"),
    path("changes/new/", signing.change_new, name="change_new"),
    path("changes/<int:pk>/reject/", signing.change_reject, name="change_reject"),
]
