"""Pages of a list: `page` (from 1) and `page_size` (1 to 100, default 25).

Each list's ordering ends with the id, so consecutive pages neither overlap nor skip rows
while nothing changes. A malformed `page` or `page_size` is a 400 rather than silently replaced,
like every other malformed parameter; a page past the end is a 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


def _number(request, name: str, **bounds: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return serializers.IntegerField(**bounds).run_validation(raw)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({name: error.detail}) from None


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        size = _number(
            request, self.page_size_query_param, min_value=1, max_value=self.max_page_size
        )
        return self.page_size if size is None else size

    def get_page_number(self, request, paginator) -> int:
        return _number(request, self.page_query_param, min_value=1) or 1

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters
