"""REST API v1: /api/v1/<resource>/ (names "api:<resource>-list", "api:<resource>-detail", …)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext as _
from rest_framework.routers import SimpleRouter

from rapport.api.clients import ClientViewSet, ContactViewSet
from rapport.api.projects import DeliverableViewSet, MilestoneViewSet, ProjectViewSet
from rapport.api.schema import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("contacts", ContactViewSet, basename="contact")
router.register("projects", ProjectViewSet, basename="project")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("deliverables", DeliverableViewSet, basename="deliverable")


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other path under api/ answers in the API's JSON error shape, not an HTML page."""
    return JsonResponse({"errors": {"non_field_errors": [_("Not found.")]}}, status=404)


urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
