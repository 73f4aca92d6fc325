from django.urls import include, path

from rapport.portal import billing as invoice_pages
from rapport.portal import briefs as brief_pages
from rapport.portal import cancellations as cancellation_pages
from rapport.portal import decisions as decision_pages
from rapport.portal import deliverables as deliverable_pages
from rapport.portal import problems as problem_pages
from rapport.portal import pulse as pulse_pages
from rapport.portal import quotes as quote_pages
from rapport.portal import revisions as revision_pages
from rapport.portal import signing, views
from rapport.portal import surveys as survey_pages

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # Sections of the home, loaded after it is shown (core.sections).
    path("home/briefs/", brief_pages.home_briefs, name="home_briefs"),
    path("home/quotes/", quote_pages.home_quotes, name="home_quotes"),
    path("home/signing/", signing.home_signing, name="home_signing"),
    path("home/invoices/", invoice_pages.home_invoices, name="home_invoices"),
    path("home/updates/", views.home_updates, name="home_updates"),
    path("home/cancellations/", cancellation_pages.home_cancellations, name="home_cancellations"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("requests/new/", views.request_new, name="request_new"),
    path("promises/<int:pk>/confirm/", views.promise_confirm, name="promise_confirm"),
    path(
        "cancellations/<int:pk>/answer/",
        cancellation_pages.cancellation_answer,
        name="cancellation_answer",
    ),
    path("quotes/<int:pk>/", quote_pages.quote, name="quote"),
    path("business/logo/", quote_pages.business_logo, name="business_logo"),
    path("quotes/<int:pk>/accept/", quote_pages.quote_accept, name="quote_accept"),
    path("quotes/<int:pk>/decline/", quote_pages.quote_decline, name="quote_decline"),
    path("briefs/<int:pk>/", brief_pages.brief, name="brief"),
    path("briefs/<int:pk>/answer/", brief_pages.brief_answer, name="brief_answer"),
    path("briefs/files/<int:pk>/", brief_pages.brief_file, name="brief_file"),
    path(
        "deliverables/<int:pk>/changes/",
        revision_pages.revision_request,
        name="revision_request",
    ),
    path(
        "deliverables/<int:pk>/approve/",
        deliverable_pages.deliverable_approve,
        name="deliverable_approve",
    ),
    path(
        "deliverables/files/<int:pk>/",
        deliverable_pages.deliverable_file,
        name="deliverable_file",
    ),
    path("problems/<int:pk>/", problem_pages.problem, name="problem"),
    path("problems/<int:pk>/choose/", problem_pages.problem_choose_view, name="problem_choose"),
    path("problems/<int:pk>/talk/", problem_pages.problem_talk_view, name="problem_talk"),
    path("decisions/<int:pk>/", decision_pages.decision, name="decision"),
    path("decisions/<int:pk>/decide/", decision_pages.decision_decide_view, name="decision_decide"),
    path("revisions/<int:pk>/accept/", revision_pages.revision_accept, name="revision_accept"),
    path("revisions/<int:pk>/decline/", revision_pages.revision_decline, name="revision_decline"),
    path("invoices/", include("rapport.portal.billing_urls")),
    path("sign/", include("rapport.portal.signing_urls")),
    path("pulse/", pulse_pages.pulse_answer_view, name="pulse_answer"),
    # The pulse links of an update email (a signed token of the contact and the update).
    path("pulse/<str:token>/", pulse_pages.pulse_link, name="pulse"),
    path("pulse/<str:token>/<int:score>/", pulse_pages.pulse_link, name="pulse_face"),
    # At the close of a project (P33, P34): the survey, and withdrawing a permission.
    path("home/surveys/", survey_pages.home_surveys, name="home_surveys"),
    path("surveys/<int:pk>/", survey_pages.survey_page, name="survey"),
    path(
        "testimonials/<int:pk>/withdraw/",
        survey_pages.testimonial_withdraw_view,
        name="testimonial_withdraw",
    ),
    path(
        "portfolio/<int:pk>/withdraw/",
        survey_pages.portfolio_revoke_view,
        name="portfolio_revoke",
    ),
    # The links of a survey email (a signed token of the contact and the survey).
    path("survey/<str:token>/", survey_pages.survey_link, name="survey_link"),
    path("survey/<str:token>/<int:csat>/", survey_pages.survey_link, name="survey_link_csat"),
    path("o/<str:token>/", views.link_open, name="open"),
    path("link/", views.link_request, name="link_request"),
    path("logout/", views.logout, name="logout"),
]
