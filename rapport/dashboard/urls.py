# No app_name: templates, redirects and LOGIN_REDIRECT_URL name these URLs plainly
# ("home", "dashboard").
from django.urls import path

from rapport.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/activity/", views.activity, name="dashboard_activity"),
    path("dashboard/checklist/hide/", views.checklist_hide, name="dashboard_checklist_hide"),
]
