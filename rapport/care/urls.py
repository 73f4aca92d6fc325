from django.urls import path

from rapport.care.decisions import views as decisions
from rapport.care.experts import views as experts
from rapport.care.health import views as health
from rapport.care.jargon import views as jargon
from rapport.care.keepintouch import views as keepintouch
from rapport.care.namedays import views as namedays
from rapport.care.patterns import views as patterns
from rapport.care.problems import views as problems
from rapport.care.pulse import views as pulse
from rapport.care.referrals import views as referrals
from rapport.care.reports import views as reports
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
    # Relationship health (P37, P34): the client page's card and the at-risk list.
    path("clients/<int:client_pk>/health/", health.client_health_section, name="client_health"),
    path("at-risk/", health.at_risk, name="at_risk"),
    path(
        "clients/<int:client_pk>/pattern/clause/",
        patterns.client_pattern_clause,
        name="client_pattern_clause",
    ),
    # Referrals (P34): the chain card of the client page and the form that records one.
    path(
        "clients/<int:client_pk>/referrals/",
        referrals.client_referrals_section,
        name="client_referrals",
    ),
    path("clients/<int:client_pk>/referral/", referrals.referral_edit, name="referral_edit"),
    path(
        "clients/<int:client_pk>/referral/remove/",
        referrals.referral_remove_view,
        name="referral_remove",
    ),
    # The expert directory and the recommendations made to clients (P32).
    path("experts/", experts.experts, name="experts"),
    path("experts/new/", experts.expert_new, name="expert_new"),
    path("experts/<int:pk>/", experts.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/archive/", experts.expert_archive_view, name="expert_archive"),
    path("experts/<int:pk>/restore/", experts.expert_restore_view, name="expert_restore"),
    path(
        "clients/<int:client_pk>/recommendations/",
        experts.client_recommendations_section,
        name="client_recommendations",
    ),
    path(
        "clients/<int:client_pk>/recommendations/new/",
        experts.recommendation_new,
        name="recommendation_new",
    ),
    path("recommendations/<int:pk>/", experts.recommendation_edit, name="recommendation_edit"),
    # The greeting of a client's important day (P31), opened from its alert.
    path("greetings/<int:pk>/", namedays.greeting_detail, name="greeting_detail"),
    path("greetings/<int:pk>/dismiss/", namedays.greeting_dismiss, name="greeting_dismiss"),
    # The workspace's reports, month by month (P34, P37, P15, P10).
    path("reports/", reports.reports, name="reports"),
    # Keeping in touch (P30, P31, P34): drafts, check-ins, win-back, loyalty offers.
    path("keep-in-touch/", keepintouch.keep_in_touch, name="keep_in_touch"),
    path(
        "keep-in-touch/settings/",
        keepintouch.keep_in_touch_settings,
        name="keep_in_touch_settings",
    ),
    path("keep-in-touch/<int:pk>/", keepintouch.check_in_detail, name="check_in_detail"),
    path("keep-in-touch/<int:pk>/skip/", keepintouch.check_in_skip_view, name="check_in_skip"),
    path("win-back/", keepintouch.win_back, name="win_back"),
    path(
        "clients/<int:client_pk>/win-back/",
        keepintouch.win_back_draft_view,
        name="win_back_draft",
    ),
    path("clients/<int:client_pk>/loyalty/", keepintouch.loyalty_offer, name="loyalty_offer"),
    path(
        "projects/<int:project_pk>/returning/",
        keepintouch.project_keep_in_touch,
        name="project_returning",
    ),
    path("quotes/<int:quote_pk>/loyalty/", keepintouch.quote_loyalty, name="quote_loyalty"),
    # At the close of a project (P33, P34): the survey, the client card, the promotion log.
    path("surveys/", surveys.survey_results, name="survey_results"),
    path("projects/<int:project_pk>/survey/", surveys.project_survey, name="project_survey"),
    path("projects/<int:project_pk>/survey/send/", surveys.survey_send_view, name="survey_send"),
    path("clients/<int:client_pk>/surveys/", surveys.client_surveys_section, name="client_surveys"),
    path("clients/<int:client_pk>/promotions/new/", surveys.promotion_new, name="promotion_new"),
]
