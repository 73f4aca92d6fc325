from django.urls import path

from rapport.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.request_log, name="log"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/reply/", views.request_reply, name="reply"),
    path("<int:pk>/decide/", views.request_decide, name="decide"),
    path("unmatched/", views.unmatched, name="unmatched"),
    path("unmatched/<int:pk>/assign/", views.unmatched_assign, name="unmatched_assign"),
]
