"""Input fields of the API that accept exactly what the OpenAPI schema says, and say in
the schema everything they check.

DRF's fields are lenient where JSON is not: a CharField takes `0` for "0" (`"reason": 0`
cancelled a request), an IntegerField takes "12" and 12.0, a primary key "5". A client
that sends the wrong JSON type has a bug we should tell it about, with the standard error
body. And rules the server enforces (no NUL, not only spaces, a year we can compute with,
a web address) are written into the schema as patterns, from the same validators that
enforce them, so the documentation and the server cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.fields import ProhibitNullCharactersValidator

from interviews import dates

# No NUL anywhere (a database text column cannot hold one). Text that may be blank says
# so in the schema as a second choice (`maxLength: 0`, written by drf-spectacular in a
# `oneOf`), so this pattern must not match the empty string, or "" would match both.
ANY_TEXT = r"^[^\x00]+$"
# The same, with at least one character that is not a space (required text).
SOME_TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"
# Dates and times from 2000 to 2999: beyond, period arithmetic and time zones overflow.
DATE_IN_RANGE = r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}$"
DATETIME_IN_RANGE = r"^2[0-9]{3}-"
# An http(s) address with a host name Django's URL check accepts (labels of letters,
# digits and inner hyphens, a top-level domain of letters), then any path without spaces.
WEB_ADDRESS = (
    r"^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?\.){1,4}[A-Za-z]{2,30}"
    r"(:[0-9]{1,5})?([/?#][^\s\x00]*)?$"
)

_NUL_MESSAGE = _("Null characters are not allowed.")


def _wrong_type(value: Any, expected: str) -> None:
    raise serializers.ValidationError(
        _("Expected %(type)s, not %(got)s.") % {"type": expected, "got": _json_type(value)},
        code="invalid",
    )


def _json_type(value: Any) -> str:
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, list):
        return _("an array")
    return _("an object")


class TextField(serializers.CharField):
    """A JSON string: no NUL; not blank unless allowed; `max_length` counts what was sent
    (before the surrounding spaces are trimmed), as the schema's maxLength does."""

    message = _NUL_MESSAGE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # One message for NUL, from the validator that also writes the schema's pattern
        # (the schema shows one pattern per field: the first).
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.insert(0, RegexValidator(self.pattern(), message=self.message))

    def pattern(self) -> str:
        return ANY_TEXT if self.allow_blank else SOME_TEXT

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            _wrong_type(data, _("a string"))
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class QueryTextField(TextField):
    """Text from a query string: always a string there, so only the content rules apply."""


class WebAddressField(TextField):
    """An http:// or https:// address, or empty."""

    message = _("Please give a web address starting with http:// or https://.")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def pattern(self) -> str:
        return WEB_ADDRESS


class StrictEmailField(serializers.EmailField):
    """An email address, as a JSON string."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            _wrong_type(data, _("a string"))
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: not a string of digits, not 1.0, not true."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            _wrong_type(data, _("an integer"))
        return super().to_internal_value(data)


class IdField(serializers.PrimaryKeyRelatedField):
    """The id of an existing row, as a JSON integer."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            _wrong_type(data, _("an integer id"))
        return super().to_internal_value(data)


class RangedDateField(serializers.DateField):
    """A date from 2000 to 2999, written YYYY-MM-DD."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(_in_range)

    def to_internal_value(self, value: Any) -> dt.date:
        if not isinstance(value, str):
            _wrong_type(value, _("a date (YYYY-MM-DD)"))
        return super().to_internal_value(value)


class RangedDateTimeField(serializers.DateTimeField):
    """A date and time from 2000 to 2999 (ISO 8601)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(_in_range)

    def to_internal_value(self, value: Any) -> dt.datetime:
        if not isinstance(value, str):
            _wrong_type(value, _("a date and time (ISO 8601)"))
        return super().to_internal_value(value)


def _in_range(value: dt.date) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not dates.EARLIEST <= day <= dates.LATEST:
        raise serializers.ValidationError(
            _("Please choose a date between %(first)s and %(last)s.")
            % {"first": dates.EARLIEST.isoformat(), "last": dates.LATEST.isoformat()}
        )


# --- The patterns in the schema ------------------------------------------------------------


class _DatePattern(OpenApiSerializerFieldExtension):
    target_class = RangedDateField
    pattern = DATE_IN_RANGE

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "pattern": self.pattern}


class _DateTimePattern(_DatePattern):
    target_class = RangedDateTimeField
    pattern = DATETIME_IN_RANGE
