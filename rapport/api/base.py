"""The shape every resource of the API shares: list, create, retrieve, patch, archive, restore.

A resource's viewset only says which selector reads and which service writes; this class does
the HTTP part. Reads go through the selectors, scoped to the workspace of the request's token
(HashedTokenAuthentication); writes go through the services, whose ApplicationError becomes a
400 in rapport.api.errors. A row of another workspace is never found: 404, as for a made-up id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, Serializer

from rapport.accounts.models import ApiToken, User, Workspace
from rapport.api.fields import parse_id
from rapport.api.filters import ListFilters
from rapport.api.pagination import CursorPagination, Ordering, Row
from rapport.api.schema import error_responses


class ResourceViewSet(viewsets.GenericViewSet[Any]):
    # Any text reaches the view, so that a malformed id is the same JSON 404 as an unknown one.
    lookup_value_regex = r"[^/]+"
    # The output serializer (also the create input); the PATCH input; the list's query filters.
    serializer_class: type[BaseSerializer[Any]]
    update_serializer_class: ClassVar[type[Serializer[Any]]]
    filter_class: ClassVar[type[ListFilters]]
    # The list's order (ending with the id); the cursor of a page is its boundary row's key.
    ordering: ClassVar[Ordering]
    pagination_class = CursorPagination

    # --- what a resource provides -------------------------------------------------------------
    def select_list(self, filters: dict[str, Any]) -> QuerySet[Any]:
        """The workspace's rows for the validated ``filters`` (the app's list selector)."""
        raise NotImplementedError

    def read_page(self, page: QuerySet[Any]) -> list[Row]:
        """The rows of ``page`` (``select_list`` narrowed to one window, in its order), each as
        the output serializer writes it (retrieve and list agree).

        Read with ``values()`` of the fields shown and written by a plain function per
        resource: the serializers would build a model instance per row and walk every field.
        """
        raise NotImplementedError

    def select_one(self, pk: int) -> Model | None:
        raise NotImplementedError

    def perform_create_with(self, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def perform_update_with(self, obj: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def perform_archive(self, obj: Any) -> Model:
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------------------------------
    @property
    def token(self) -> ApiToken:
        """The request's token (HashedTokenAuthentication is the API's only authentication)."""
        token = self.request.auth
        assert isinstance(token, ApiToken)
        return token

    @property
    def workspace(self) -> Workspace:
        return self.token.workspace

    @property
    def actor(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def get_serializer_context(self) -> dict[str, Any]:
        # WorkspaceRelatedField resolves ids within this workspace.
        return {**super().get_serializer_context(), "workspace": self.workspace}

    def get_object(self) -> Any:
        pk = parse_id(str(self.kwargs.get(self.lookup_field, "")))
        obj = self.select_one(pk) if pk is not None else None
        if obj is None:
            raise NotFound
        return obj

    def _fresh(self, obj: Model) -> Response:
        """The row as GET shows it (re-read: annotations such as a project's progress)."""
        return Response(self.get_serializer(self.select_one(obj.pk)).data)

    # --- the endpoints ---------------------------------------------------------------------------
    def list(self, request: Request) -> Response:
        filters = self.filter_class.parse(request.query_params)
        paginator = self.paginator
        assert isinstance(paginator, CursorPagination)
        window = paginator.window(request, self.ordering)
        selected = self.select_list(filters)
        rows = self.read_page(paginator.apply(selected, self.ordering, window))
        return paginator.respond(request, rows, self.ordering, window)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_create_with(dict(serializer.validated_data))
        response = self._fresh(obj)
        response.status_code = status.HTTP_201_CREATED
        return response

    def partial_update(self, request: Request, pk: str) -> Response:
        obj = self.get_object()
        serializer = self.update_serializer_class(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self._fresh(self.perform_update_with(obj, dict(serializer.validated_data)))

    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        return self._fresh(self.perform_archive(self.get_object()))


class RestoreMixin(ResourceViewSet):
    """``POST …/{id}/restore/``, for the resources whose app has a restore service."""

    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        return self._fresh(self.perform_restore(self.get_object()))

    def perform_restore(self, obj: Any) -> Model:
        raise NotImplementedError


ViewSetDecorator = Callable[[type[ResourceViewSet]], type[ResourceViewSet]]


def document(*, singular: str, plural: str) -> ViewSetDecorator:
    """Describe a ResourceViewSet's operations in the OpenAPI schema (filters, bodies, errors).

    Applied after the class is built, since the serializers are class attributes of the viewset.
    """

    def decorate(cls: type[ResourceViewSet]) -> type[ResourceViewSet]:
        out = cls.serializer_class
        id_param = OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=f"The {singular}'s id."
        )

        def op(name: str, summary: str, description: str, **kwargs: Any) -> Any:
            if name not in {"list", "create"}:
                kwargs["parameters"] = [id_param]
            return extend_schema(
                operation_id=f"{plural}_{name}",
                summary=summary,
                description=description,
                tags=[plural],
                **kwargs,
            )

        schemas: dict[str, Any] = {
            "list": op(
                "list",
                f"List {plural}",
                f"The {plural} of your workspace, a page at a time. "
                "A bad filter value is a 400 naming the parameter.",
                parameters=[cls.filter_class],
                responses={200: out, **error_responses(400, 401, 404)},
            ),
            "create": op(
                "create",
                f"Create a {singular}",
                "Ids of related rows must belong to your workspace (otherwise a 400 naming "
                "the field). Unknown fields are refused.",
                request=out,
                responses={201: out, **error_responses(400, 401)},
            ),
            "retrieve": op(
                "retrieve",
                f"Get a {singular}",
                f"Archived {plural} are found too.",
                responses={200: out, **error_responses(401, 404)},
            ),
            "partial_update": op(
                "partial_update",
                f"Change a {singular}",
                "Send only the fields that change. Nothing is written if any of them is invalid.",
                request=cls.update_serializer_class,
                responses={200: out, **error_responses(400, 401, 404)},
            ),
            "archive": op(
                "archive",
                f"Archive a {singular}",
                "Hide it from the list (list it with archived=true). "
                "Archiving an archived row changes nothing.",
                request=None,
                responses={200: out, **error_responses(401, 404)},
            ),
        }
        if issubclass(cls, RestoreMixin):
            schemas["restore"] = op(
                "restore",
                f"Restore an archived {singular}",
                "Back into the list. Restoring a row in use changes nothing.",
                request=None,
                responses={200: out, **error_responses(401, 404)},
            )
        return extend_schema_view(**schemas)(cls)

    return decorate
