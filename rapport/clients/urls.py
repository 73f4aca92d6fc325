from django.urls import path

from rapport.clients import brief_views, screening_views, views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/timeline/", views.client_timeline, name="timeline"),
    path("<int:pk>/archive/", views.client_archive, name="archive"),
    path("<int:pk>/screening/", screening_views.screening_page, name="screening"),
    path("<int:pk>/screening/decide/", screening_views.screening_decide, name="screening_decide"),
    path("screening/questions/", screening_views.question_add, name="question_add"),
    path(
        "screening/questions/<int:pk>/remove/",
        screening_views.question_remove,
        name="question_remove",
    ),
    path("<int:client_pk>/briefs/send/", brief_views.brief_send, name="brief_send"),
    path("briefs/<int:pk>/", brief_views.brief_detail, name="brief_detail"),
    path("briefs/files/<int:pk>/", brief_views.brief_file, name="brief_file"),
    path("briefs/templates/", brief_views.brief_templates, name="brief_templates"),
    path("briefs/templates/<int:pk>/", brief_views.brief_template, name="brief_template"),
    path(
        "briefs/templates/<int:pk>/archive/",
        brief_views.brief_template_archive,
        name="brief_template_archive",
    ),
    path(
        "briefs/questions/<int:pk>/remove/",
        brief_views.brief_question_remove,
        name="brief_question_remove",
    ),
    path(
        "briefs/questions/<int:pk>/move/",
        brief_views.brief_question_move,
        name="brief_question_move",
    ),
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
