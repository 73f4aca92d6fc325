"""Page-number pagination that refuses what it cannot honour instead of guessing.

DRF's own falls back to the default for ``page_size=abc`` and caps ``page_size=5000``; here a bad
``page`` or ``page_size`` is a 400 naming the parameter (as for the filters), and a page past the
end is a 404.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

_POSITIVE_INT = re.compile(r"[1-9][0-9]{0,8}")
MAX_PAGE = 999_999_999


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # "page=last" is not an integer; the schema says integer

    def _positive(self, request: Request, name: str, maximum: int) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1:
            raise ValidationError({name: [_("Give this parameter once.")]})
        if not _POSITIVE_INT.fullmatch(values[0]) or int(values[0]) > maximum:
            raise ValidationError(
                {name: [_("Must be a whole number from 1 to %(max)s.") % {"max": maximum}]}
            )
        return int(values[0])

    def get_page_size(self, request: Request) -> int:
        size = self._positive(request, self.page_size_query_param, self.max_page_size)
        return size or self.page_size

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return self._positive(request, self.page_query_param, MAX_PAGE) or 1

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = (
                self.max_page_size if parameter["name"] == self.page_size_query_param else MAX_PAGE
            )
        return parameters
