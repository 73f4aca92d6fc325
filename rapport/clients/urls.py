from django.urls import path

from rapport.clients import views
from rapport.clients.briefs import urls as brief_urls
from rapport.clients.screening import urls as screening_urls

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/timeline/", views.client_timeline, name="timeline"),
    # Sections of the client page (loaded after the page).
    path("<int:pk>/timeline/recent/", views.client_recent_timeline, name="recent_timeline"),
    path("<int:pk>/messages/", views.client_messages, name="messages"),
    path("<int:pk>/archive/", views.client_archive, name="archive"),
    path("handovers/<int:pk>/read/", views.handover_read, name="handover_read"),
    *screening_urls.urlpatterns,
    *brief_urls.urlpatterns,
    path("<int:client_pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/archive/", views.contact_archive, name="contact_archive"),
    path("contacts/<int:pk>/portal-link/", views.contact_portal_link, name="contact_portal_link"),
    path(
        "contacts/<int:pk>/portal-revoke/",
        views.contact_portal_revoke,
        name="contact_portal_revoke",
    ),
    path("contacts/<int:contact_pk>/dates/", views.important_date_add, name="important_date_add"),
    path("dates/<int:pk>/remove/", views.important_date_remove, name="important_date_remove"),
]
