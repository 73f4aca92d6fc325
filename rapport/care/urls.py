from django.urls import path

from rapport.care.decisions import views as decisions
from rapport.care.jargon import views as jargon
from rapport.care.patterns import views as patterns
from rapport.care.problems import views as problems
from rapport.care.pulse import views as pulse
from rapport.care.surveys import views as surveys
from rapport.care.upset import views as upset

app_name = "care"
urlpatterns = [
    path("projects/<int:project_pk>/problems/", problems.project_problems, name="problems"),
    path("projects/<int:project_pk>/problems/new/", problems.problem_new, name="problem_new"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/choose/", problems.problem_choose_view, name="problem_choose"),
    path("problems/<int:pk>/resolve/", problems.problem_resolve_view, name="problem_resolve"),
    # Plain words (P26): the workspace's list, and the inline check of a message to a client.
    path("plain-words/", jargon.plain_words, name="plain_words"),
    path("plain-words/off/", jargon.jargon_shipped_off, name="jargon_shipped_off"),
    path("plain-words/<int:pk>/", jargon.jargon_term_edit, name="jargon_term_edit"),
    path("plain-words/<int:pk>/switch/", jargon.jargon_term_switch_view, name="jargon_term_switch"),
    path("plain-words/<int:pk>/remove/", jargon.jargon_term_remove_view, name="jargon_term_remove"),
    path("clients/<int:client_pk>/plain-words/", jargon.jargon_check, name="jargon_check"),
    # The decisions log (P36); the project page's card is loaded after the page.
    path("projects/<int:project_pk>/decisions/", decisions.project_decisions, name="decisions"),
    path(
        "projects/<int:project_pk>/decisions/card/",
        decisions.project_decisions_section,
        name="decisions_section",
    ),
    path("projects/<int:project_pk>/decisions/new/", decisions.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/decide/", decisions.decision_decide_view, name="decision_decide"),
    path("upset/<int:pk>/", upset.upset_detail, name="upset_detail"),
    # The pulse cards of the client and project pages (loaded after the page).
    path("clients/<int:client_pk>/pulse/", pulse.client_pulse_section, name="client_pulse"),
    path("projects/<int:project_pk>/pulse/", pulse.project_pulse_section, name="project_pulse"),
    path("problems/<int:pk>/goodwill/", problems.problem_goodwill_view, name="problem_goodwill"),
    path("clients/<int:client_pk>/pattern/", patterns.client_pattern, name="client_pattern"),
    path(
        "clients/<int:client_pk>/pattern/clause/",
        patterns.client_pattern_clause,
        name="client_pattern_clause",
    ),
    # At the close of a project (P33, P34): the survey, the client card, the promotion log.
    path("surveys/", surveys.survey_results, name="survey_results"),
    path("projects/<int:project_pk>/survey/", surveys.project_survey, name="project_survey"),
    path("projects/<int:project_pk>/survey/send/", surveys.survey_send_view, name="survey_send"),
    path("clients/<int:client_pk>/surveys/", surveys.client_surveys_section, name="client_surveys"),
    path("clients/<int:client_pk>/promotions/new/", surveys.promotion_new, name="promotion_new"),
]
