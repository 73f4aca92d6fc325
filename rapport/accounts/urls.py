from django.contrib.auth import views as auth_views
from django.urls import path

from rapport.accounts import business_forms, settings_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/finish/<str:uidb64>/<str:token>/", views.signup_finish, name="signup_finish"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/workspace/", views.workspace_save, name="workspace_save"),
    path("settings/preferences/", views.preferences_save, name="preferences_save"),
    path("settings/working-time/", settings_views.working_time_save, name="working_time_save"),
    path("settings/business/", business_forms.business_save, name="business_save"),
    path("settings/business/logo/", business_forms.business_logo, name="business_logo"),
    path("settings/sender/", settings_views.sender_save, name="sender_save"),
    path(
        "settings/members/<int:pk>/capacity/",
        settings_views.member_capacity_save,
        name="member_capacity_save",
    ),
    path("settings/invite/", views.member_invite, name="member_invite"),
    path("settings/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "settings/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("settings/tokens/", views.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
