from django.urls import path

from rapport.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.alert_centre, name="alerts"),
    path("<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
]
