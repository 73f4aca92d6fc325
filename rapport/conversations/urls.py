from django.urls import path

from rapport.conversations import mailbox_views, views

app_name = "conversations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.request_log, name="log"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/reply/", views.request_reply, name="reply"),
    path("<int:pk>/decide/", views.request_decide, name="decide"),
    path("unmatched/", views.unmatched, name="unmatched"),
    path("unmatched/<int:pk>/assign/", views.unmatched_assign, name="unmatched_assign"),
    path("unmatched/<int:pk>/lead/", views.unmatched_lead, name="unmatched_lead"),
    path("unmatched/<int:pk>/discard/", views.unmatched_discard, name="unmatched_discard"),
    path("mailbox/", mailbox_views.mailbox_save_view, name="mailbox_save"),
    path("mailbox/remove/", mailbox_views.mailbox_remove_view, name="mailbox_remove"),
]
