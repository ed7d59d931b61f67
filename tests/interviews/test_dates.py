"""Dates and times as people read them: weekday, the year only when it is another year, and
the time zone wherever the reader may be elsewhere than the business."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone, translation

from interviews import dates

# Monday 14 December 2026, 18:00 in Tokyo (close of business).
DEADLINE = dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def read(language: str, reader_zone: str, fn, *args, **kwargs) -> str:
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(reader_zone)):
        return fn(*args, **kwargs)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Mon, Dec 14, 6:00 PM"), ("ja", "12月14日(月) 18:00")],
)
def test_in_the_business_zone_a_page_needs_no_zone(language, expected):
    assert read(language, "Asia/Tokyo", dates.moment, DEADLINE) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Mon, Dec 14, 6:00 PM JST"), ("ja", "12月14日(月) 18:00 JST")],
)
def test_an_email_always_names_the_zone(language, expected):
    assert read(language, "Asia/Tokyo", dates.moment, DEADLINE, zone=True) == expected


@pytest.mark.parametrize(
    ("language", "zone", "expected"),
    [
        ("en", "Asia/Singapore", "Mon, Dec 14, 5:00 PM UTC+8"),
        ("ja", "Asia/Singapore", "12月14日(月) 17:00 UTC+8"),
        ("en", "America/New_York", "Mon, Dec 14, 4:00 AM EST"),
        ("ja", "Asia/Kolkata", "12月14日(月) 14:30 IST"),
        ("en", "Asia/Kathmandu", "Mon, Dec 14, 2:45 PM UTC+5:45"),
    ],
)
def test_a_reader_in_another_zone_sees_their_time_and_its_zone(language, zone, expected):
    assert read(language, zone, dates.moment, DEADLINE) == expected


def test_the_local_date_can_be_another_day():
    late = dt.datetime(2026, 12, 14, 23, 30, tzinfo=dt.UTC)  # Tuesday morning in Tokyo
    assert read("en", "Asia/Tokyo", dates.day, late) == "Tue, Dec 15"
    assert read("en", "America/New_York", dates.day, late) == "Mon, Dec 14"


@pytest.mark.parametrize(
    ("language", "this_year", "next_year"),
    [("en", "Mon, Dec 14", "Sat, Jan 2, 2027"), ("ja", "12月14日(月)", "2027年1月2日(土)")],
)
def test_the_year_is_written_only_for_another_year(language, this_year, next_year):
    assert read(language, "Asia/Tokyo", dates.day, dt.date(2026, 12, 14)) == this_year
    assert read(language, "Asia/Tokyo", dates.day, dt.date(2027, 1, 2)) == next_year


def test_a_day_read_again_follows_the_reader_s_language_and_the_year_of_today():
    # Days are formatted once per language and kept: a second reading must still follow
    # the language asked for, and drop the year once that year has come.
    new_year = dt.date(2027, 1, 2)
    for _ in range(2):
        assert read("en", "Asia/Tokyo", dates.day, new_year) == "Sat, Jan 2, 2027"
        assert read("ja", "Asia/Tokyo", dates.day, new_year) == "2027年1月2日(土)"
    with time_machine.travel(dt.datetime(2027, 1, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        assert read("en", "Asia/Tokyo", dates.day, new_year) == "Sat, Jan 2"
        assert read("ja", "Asia/Tokyo", dates.day, new_year) == "1月2日(土)"


@pytest.mark.parametrize(("language", "expected"), [("en", "Fri Dec 4"), ("ja", "12/4(金)")])
def test_short_days_for_chips(language, expected):
    assert read(language, "Asia/Tokyo", dates.short_day, dt.date(2026, 12, 4)) == expected


def test_a_deferral_outside_the_allowed_range_names_the_dates_the_japanese_way(
    clock, file_request, sales
):
    from interviews import workflow
    from interviews.errors import InvalidInput

    request = file_request()
    with translation.override("ja"), pytest.raises(InvalidInput) as error:
        workflow.request_defer(
            request_id=request.pk,
            by=sales,
            until=dt.date(2027, 6, 1),
            reason_category="bad_timing",
            reason="Year end",
        )
    assert "2027-" not in str(error.value.message)
    assert "12月1日(火)" in str(error.value.message)


# --- Deadlines in email: both clocks, and the business days left -------------------------


@pytest.mark.parametrize(
    ("language", "zone", "expected"),
    [
        ("en", "Asia/Tokyo", "Mon, Dec 14, 6:00 PM JST"),
        ("ja", "Asia/Tokyo", "12月14日(月) 18:00 JST"),
        ("en", "Asia/Singapore", "Mon, Dec 14, 5:00 PM UTC+8 (6:00 PM JST)"),
        ("ja", "Asia/Singapore", "12月14日(月) 17:00 UTC+8（18:00 JST）"),
        # Another day there: the business clock's day is named too.
        ("en", "America/New_York", "Mon, Dec 14, 4:00 AM EST (6:00 PM JST)"),
        ("en", "Pacific/Honolulu", "Sun, Dec 13, 11:00 PM HST (Mon, Dec 14, 6:00 PM JST)"),
        ("ja", "Pacific/Honolulu", "12月13日(日) 23:00 HST（12月14日(月) 18:00 JST）"),
    ],
)
def test_a_deadline_in_email_is_on_the_readers_clock_and_the_business_clock(
    language, zone, expected
):
    assert read(language, zone, dates.moment_both_zones, DEADLINE) == expected


@pytest.mark.parametrize(
    ("language", "now", "expected"),
    [
        ("en", dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), "7 business days left"),
        ("ja", dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), "あと7営業日"),
        ("en", dt.datetime(2026, 12, 11, 1, 0, tzinfo=dt.UTC), "1 business day left"),
        ("en", dt.datetime(2026, 12, 14, 1, 0, tzinfo=dt.UTC), "due today"),
        ("ja", dt.datetime(2026, 12, 14, 1, 0, tzinfo=dt.UTC), "本日が期限"),
        ("en", dt.datetime(2026, 12, 14, 9, 30, tzinfo=dt.UTC), "the deadline has passed"),
    ],
)
def test_the_business_days_left_are_said_beside_the_deadline(language, now, expected):
    from interviews.templatetags.dates import business_days_left

    with time_machine.travel(now, tick=False):
        assert read(language, "Europe/London", business_days_left, DEADLINE) == expected
