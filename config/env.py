"""Reading the environment strictly.

Every knob comes from the environment (a `.env` file is read when present). A value that
is set but malformed stops the process with a message naming the variable, because a
typo that silently falls back to a default is how deadlines end up wrong in production.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

import environ
import holidays
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def _wrap(name: str, parse: Callable[[], Any], expected: str) -> Any:
    try:
        return parse()
    except Exception as exc:  # environ raises ValueError, TypeError, KeyError...
        raise ImproperlyConfigured(
            f"Environment variable {name}={env.str(name, default='')!r} is malformed: "
            f"expected {expected} ({exc})."
        ) from exc


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={raw!r} is malformed: expected true or false."
    )


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = _wrap(name, lambda: env.int(name, default=default), "a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise ImproperlyConfigured(
            f"Environment variable {name}={value} is out of range: "
            f"expected at least {minimum}{upper}."
        )
    return value


def env_int_list(name: str, default: list[int], *, minimum: int = 0) -> list[int]:
    raw = env.str(name, default="")
    if raw.strip() == "":
        return list(default)
    try:
        values = [int(part) for part in raw.split(",") if part.strip() != ""]
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is malformed: "
            "expected comma-separated whole numbers, e.g. 2,0."
        ) from exc
    if any(v < minimum for v in values):
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is out of range: every value must be "
            f"at least {minimum}."
        )
    return values


def env_time(name: str, default: str) -> dt.time:
    raw = env.str(name, default=default).strip()
    try:
        value = dt.time.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is malformed: expected a time as HH:MM."
        ) from exc
    if value.tzinfo is not None:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} has a UTC offset: give a local time as HH:MM "
            "(the business time zone is BUSINESS_TIME_ZONE)."
        )
    return value


def env_timezone(name: str, default: str) -> str:
    raw = env.str(name, default=default).strip()
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a known time zone "
            "(use an IANA name such as Asia/Tokyo)."
        ) from exc
    return raw


def env_country(name: str, default: str) -> str:
    raw = env.str(name, default=default).strip().upper()
    if raw not in holidays.list_supported_countries():
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a country the holidays package "
            "knows (use an ISO 3166 code such as JP, US, GB)."
        )
    return raw


def env_subdivision(name: str, country: str) -> str | None:
    raw = env.str(name, default="").strip()
    if not raw:
        return None
    try:
        holidays.country_holidays(country, subdiv=raw)
    except NotImplementedError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a region of {country} the holidays "
            "package knows."
        ) from exc
    return raw


def env_month_days(name: str) -> list[tuple[int, int]]:
    """Days the company is closed every year on top of public holidays, as MM-DD."""
    raw = env.str(name, default="")
    days: list[tuple[int, int]] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            month, day = (int(x) for x in part.split("-"))
            dt.date(2024, month, day)  # a leap year, so 02-29 is accepted
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"Environment variable {name} has a malformed day {part!r}: "
                "expected comma-separated MM-DD values, e.g. 12-31,01-02,01-03."
            ) from exc
        days.append((month, day))
    return days


def env_db(name: str, default: str) -> dict[str, Any]:
    config = _wrap(name, lambda: env.db_url(name, default=default), "a database URL")
    # django-environ passes an unknown scheme through as the engine name.
    if config.get("ENGINE") not in set(environ.Env.DB_SCHEMES.values()):
        raise ImproperlyConfigured(
            f"Environment variable {name}={env.str(name, default='')!r} is malformed: expected "
            "a database URL such as postgres://user:password@host:5432/name."
        )
    return config


def env_email(name: str) -> dict[str, Any]:
    return _wrap(name, lambda: env.email_url(name), "an email URL such as smtp://host:25")
