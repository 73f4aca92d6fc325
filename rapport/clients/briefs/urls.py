"""The staff pages of briefs, part of the ``clients`` URL namespace (``clients:brief_send``…)."""

from django.urls import path

from rapport.clients.briefs import views

urlpatterns = [
    path("<int:client_pk>/briefs/send/", views.brief_send, name="brief_send"),
    path("briefs/<int:pk>/", views.brief_detail, name="brief_detail"),
    path("briefs/files/<int:pk>/", views.brief_file, name="brief_file"),
    path("briefs/templates/", views.brief_templates, name="brief_templates"),
    path("briefs/templates/<int:pk>/", views.brief_template, name="brief_template"),
    path(
        "briefs/templates/<int:pk>/archive/",
        views.brief_template_archive,
        name="brief_template_archive",
    ),
    path(
        "briefs/questions/<int:pk>/remove/",
        views.brief_question_remove,
        name="brief_question_remove",
    ),
    path("briefs/questions/<int:pk>/move/", views.brief_question_move, name="brief_question_move"),
]
