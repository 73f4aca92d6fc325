from django.urls import path

from rapport.care.problems import views as problems
from rapport.care.upset import views as upset

app_name = "care"
urlpatterns = [
    path("projects/<int:project_pk>/problems/", problems.project_problems, name="problems"),
    path("projects/<int:project_pk>/problems/new/", problems.problem_new, name="problem_new"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/choose/", problems.problem_choose_view, name="problem_choose"),
    path("problems/<int:pk>/resolve/", problems.problem_resolve_view, name="problem_resolve"),
    path("upset/<int:pk>/", upset.upset_detail, name="upset_detail"),
]
