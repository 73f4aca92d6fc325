from django.urls import include, path

from rapport.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("requests/new/", views.request_new, name="request_new"),
    path("promises/<int:pk>/confirm/", views.promise_confirm, name="promise_confirm"),
    path("invoices/", include("rapport.portal.billing_urls")),
    path("o/<str:token>/", views.link_open, name="open"),
    path("link/", views.link_request, name="link_request"),
    path("logout/", views.logout, name="logout"),
]
