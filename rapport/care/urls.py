from django.urls import path

from rapport.care.problems import views as problems
from rapport.care.pulse import views as pulse

app_name = "care"
urlpatterns = [
    path("projects/<int:project_pk>/problems/", problems.project_problems, name="problems"),
    path("projects/<int:project_pk>/problems/new/", problems.problem_new, name="problem_new"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/choose/", problems.problem_choose_view, name="problem_choose"),
    path("problems/<int:pk>/resolve/", problems.problem_resolve_view, name="problem_resolve"),
    # The pulse cards of the client and project pages (loaded after the page).
    path("clients/<int:client_pk>/pulse/", pulse.client_pulse_section, name="client_pulse"),
    path("projects/<int:project_pk>/pulse/", pulse.project_pulse_section, name="project_pulse"),
]
