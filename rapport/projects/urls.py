from django.urls import path

from rapport.projects import (
    completion_views,
    delay_views,
    milestone_views,
    update_views,
    views,
)

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/archive/", views.project_archive, name="archive"),
    path("<int:pk>/update/", update_views.update_compose, name="update_compose"),
    path("<int:project_pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", milestone_views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/progress/", views.milestone_progress, name="milestone_progress"),
    path(
        "milestones/<int:pk>/complete/",
        completion_views.milestone_complete,
        name="milestone_complete",
    ),
    path("milestones/<int:pk>/archive/", views.milestone_archive, name="milestone_archive"),
    path("milestones/<int:milestone_pk>/delay/", delay_views.delay_notice, name="delay_notice"),
    path(
        "milestones/<int:milestone_pk>/deliverables/new/",
        views.deliverable_create,
        name="deliverable_create",
    ),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable_edit"),
    path("deliverables/<int:pk>/archive/", views.deliverable_archive, name="deliverable_archive"),
]
