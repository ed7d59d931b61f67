"""The API's JSON parser: DRF's, with a depth limit and messages in the caller's language."""

from __future__ import annotations

import codecs
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

from interviews import json_depth


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context=None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return json_depth.loads(text, parse_constant=strict_constant)
        except json_depth.TooDeep:
            raise ParseError(
                _("The JSON is nested too deeply: at most %(depth)d levels.")
                % {"depth": json_depth.MAX_DEPTH},
                code="parse_error",
            ) from None
        except ValueError as error:  # not JSON, or not in the declared encoding
            raise ParseError(
                _("The request body is not valid JSON (%(error)s).") % {"error": error},
                code="parse_error",
            ) from None
