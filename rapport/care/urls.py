from django.urls import path

from rapport.care.patterns import views as patterns
from rapport.care.problems import views as problems

app_name = "care"
urlpatterns = [
    path("projects/<int:project_pk>/problems/", problems.project_problems, name="problems"),
    path("projects/<int:project_pk>/problems/new/", problems.problem_new, name="problem_new"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/choose/", problems.problem_choose_view, name="problem_choose"),
    path("problems/<int:pk>/resolve/", problems.problem_resolve_view, name="problem_resolve"),
    path("problems/<int:pk>/goodwill/", problems.problem_goodwill_view, name="problem_goodwill"),
    path("clients/<int:client_pk>/pattern/", patterns.client_pattern, name="client_pattern"),
    path(
        "clients/<int:client_pk>/pattern/clause/",
        patterns.client_pattern_clause,
        name="client_pattern_clause",
    ),
]
