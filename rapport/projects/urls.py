from django.urls import path

from rapport.projects import (
    completion_views,
    delay_views,
    delivery_views,
    extra_views,
    milestone_views,
    template_views,
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
    path("<int:pk>/extras/", extra_views.project_extra_list, name="extras"),
    path("extras/<int:pk>/delivered/", extra_views.extra_delivered, name="extra_delivered"),
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
    # Handing a deliverable over for review (projects.review).
    path("deliverables/<int:pk>/", delivery_views.deliverable_detail, name="deliverable_detail"),
    path(
        "deliverables/<int:pk>/files/",
        delivery_views.deliverable_file_add,
        name="deliverable_file_add",
    ),
    path(
        "deliverables/<int:pk>/links/",
        delivery_views.deliverable_link_add,
        name="deliverable_link_add",
    ),
    path(
        "deliverables/<int:pk>/deliver/",
        delivery_views.deliverable_deliver_view,
        name="deliverable_deliver",
    ),
    path("attachments/<int:pk>/", delivery_views.attachment_file, name="attachment_file"),
    path(
        "attachments/<int:pk>/remove/",
        delivery_views.attachment_remove,
        name="attachment_remove",
    ),
    # Templates and copies (projects.project_templates, projects.duplicate).
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<int:pk>/use/", template_views.template_use, name="template_use"),
    path("templates/<int:pk>/rename/", template_views.template_rename, name="template_rename"),
    path("templates/<int:pk>/archive/", template_views.template_archive, name="template_archive"),
    path("<int:pk>/save-as-template/", template_views.template_save, name="template_save"),
    path("<int:pk>/duplicate/", template_views.project_duplicate, name="duplicate"),
]
