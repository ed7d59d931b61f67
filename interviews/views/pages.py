"""Public pages: what anyone who gets our email may read without signing in."""

from __future__ import annotations

import datetime as dt
import re

import holidays
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from interviews import presenters

# Names of the holiday calendars we expect to run on, translated through locale/ (neither
# `holidays` nor anything else installed names countries in Japanese). The English names
# are the ones `holidays` gives, so English pages read the same; any other country falls
# back to that English name.
COUNTRY_NAMES = {
    "JP": pgettext_lazy("country", "Japan"),
    "US": pgettext_lazy("country", "United States"),
    "GB": pgettext_lazy("country", "United Kingdom"),
    "IE": pgettext_lazy("country", "Ireland"),
    "CA": pgettext_lazy("country", "Canada"),
    "AU": pgettext_lazy("country", "Australia"),
    "NZ": pgettext_lazy("country", "New Zealand"),
    "DE": pgettext_lazy("country", "Germany"),
    "FR": pgettext_lazy("country", "France"),
    "NL": pgettext_lazy("country", "Netherlands"),
    "KR": pgettext_lazy("country", "South Korea"),
    "CN": pgettext_lazy("country", "China"),
    "HK": pgettext_lazy("country", "Hong Kong"),
    "TW": pgettext_lazy("country", "Taiwan"),
    "SG": pgettext_lazy("country", "Singapore"),
    "MY": pgettext_lazy("country", "Malaysia"),
    "TH": pgettext_lazy("country", "Thailand"),
    "VN": pgettext_lazy("country", "Vietnam"),
    "PH": pgettext_lazy("country", "Philippines"),
    "ID": pgettext_lazy("country", "Indonesia"),
    "IN": pgettext_lazy("country", "India"),
}


def _holiday_country() -> str:
    """The country's name in the reader's language, else as `holidays` spells it."""
    code = settings.BUSINESS_HOLIDAYS_COUNTRY
    if code in COUNTRY_NAMES:
        return str(COUNTRY_NAMES[code])
    return _holidays_country_name(code)


def _holidays_country_name(code: str) -> str:
    """The English name from the holidays package's calendar class ("UnitedStates")."""
    for cls in type(holidays.country_holidays(code)).__mro__:
        if cls.__module__.startswith("holidays.countries") and cls.__name__ != code:
            return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__)
    return code


@require_GET
def how_it_works(request: HttpRequest) -> HttpResponse:
    """The agreement in plain words, from the live settings (linked from every email)."""
    reminders = sorted(settings.REMINDER_BUSINESS_DAYS_BEFORE, reverse=True)
    context = {
        "window": settings.RESPONSE_WINDOW_BUSINESS_DAYS,
        "max_window": settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS,
        "reminders_before": [d for d in reminders if d > 0],
        "reminder_on_the_day": 0 in reminders,
        "start_of_business": settings.START_OF_BUSINESS,
        "close_of_business": settings.CLOSE_OF_BUSINESS,
        "business_time_zone": settings.BUSINESS_TIME_ZONE,
        "max_deferrals": settings.MAX_DEFERRALS,
        "max_deferral_days": settings.MAX_DEFERRAL_DAYS,
        "cooldown_days": settings.ACCOUNT_COOLDOWN_DAYS,
        "owner_outreach_days": settings.OWNER_OUTREACH_BUSINESS_DAYS,
        "holiday_country_code": settings.BUSINESS_HOLIDAYS_COUNTRY,
        "holiday_country": _holiday_country(),
        "holiday_subdivision": settings.BUSINESS_HOLIDAYS_SUBDIVISION,
        # One sentence with the days in it, so each language can place them. Any leap year
        # will do: only month and day are shown.
        "extra_closed_days": presenters.join_list(
            formats.date_format(dt.date(2000, month, day), "MONTH_DAY_FORMAT")
            for month, day in sorted(settings.BUSINESS_EXTRA_CLOSED_DAYS)
        ),
    }
    return render(request, "interviews/how_it_works.html", context)
