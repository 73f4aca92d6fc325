from django.urls import path

from rapport.notifications import member_views, telegram, views, workspace_channels_views

app_name = "notifications"
urlpatterns = [
    path("", views.alert_centre, name="alerts"),
    path("<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
    path(
        "channels/",
        workspace_channels_views.workspace_channels_save,
        name="workspace_channels_save",
    ),
    path("me/", member_views.member_notify_save, name="member_notify_save"),
    # Telegram's webhook for the bot (public, checked by its secret header).
    path("telegram/updates/", telegram.telegram_updates, name="telegram_updates"),
]
