"""The business calendar as an owner sees it: when the window closes and when reminders go out.

Real `holidays` data, no mocks. Unless a test says otherwise: Tokyo, Japanese public
holidays, business hours 09:00-18:00, reminders two business days before the deadline
day and on its morning, a window of 5 business days.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from interviews import calendar

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = dt.UTC
WINDOW = 5


def tokyo(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def new_york(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NEW_YORK)


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture(autouse=True)
def _tokyo_business_calendar(settings):
    """Pin the calendar settings so a developer's environment cannot change the answers."""
    settings.BUSINESS_TIME_ZONE = "Asia/Tokyo"
    settings.BUSINESS_HOLIDAYS_COUNTRY = "JP"
    settings.BUSINESS_HOLIDAYS_SUBDIVISION = None
    settings.BUSINESS_EXTRA_CLOSED_DAYS = []
    settings.START_OF_BUSINESS = dt.time(9, 0)
    settings.CLOSE_OF_BUSINESS = dt.time(18, 0)
    settings.REMINDER_BUSINESS_DAYS_BEFORE = [2, 0]
    settings.RESPONSE_WINDOW_BUSINESS_DAYS = WINDOW


@pytest.fixture
def japanese_year_end(settings):
    settings.BUSINESS_EXTRA_CLOSED_DAYS = [(12, 31), (1, 2), (1, 3)]


@pytest.fixture
def new_york_office(settings):
    settings.BUSINESS_HOLIDAYS_COUNTRY = "US"
    settings.BUSINESS_TIME_ZONE = "America/New_York"


# --- Deadlines in an ordinary week --------------------------------------------------------


@pytest.mark.parametrize(
    ("filed", "deadline"),
    [
        pytest.param(tokyo(2026, 11, 30, 10, 0), tokyo(2026, 12, 7, 18, 0), id="monday-10am"),
        pytest.param(tokyo(2026, 12, 4, 10, 0), tokyo(2026, 12, 11, 18, 0), id="friday-10am"),
        # Before opening counts as that business day, just like mid-morning.
        pytest.param(tokyo(2026, 11, 30, 3, 0), tokyo(2026, 12, 7, 18, 0), id="monday-3am"),
        pytest.param(tokyo(2026, 12, 4, 17, 59), tokyo(2026, 12, 11, 18, 0), id="friday-17:59"),
        # At or after close of business the window counts from the next business day.
        pytest.param(tokyo(2026, 12, 4, 18, 0), tokyo(2026, 12, 14, 18, 0), id="friday-18:00"),
        pytest.param(tokyo(2026, 12, 4, 19, 0), tokyo(2026, 12, 14, 18, 0), id="friday-7pm"),
        pytest.param(tokyo(2026, 12, 1, 23, 30), tokyo(2026, 12, 9, 18, 0), id="tuesday-night"),
        # A weekend filing counts from Monday (day 0): due the Monday after.
        pytest.param(tokyo(2026, 12, 5, 11, 0), tokyo(2026, 12, 14, 18, 0), id="saturday"),
        pytest.param(tokyo(2026, 12, 6, 23, 59), tokyo(2026, 12, 14, 18, 0), id="sunday-night"),
    ],
)
def test_five_business_day_deadline(filed, deadline):
    assert calendar.deadline_after(filed, WINDOW) == deadline


def test_deadline_is_close_of_business_in_the_business_time_zone():
    due = calendar.deadline_after(tokyo(2026, 11, 30, 10, 0), WINDOW)
    assert due.utcoffset() == dt.timedelta(hours=9)
    assert due.astimezone(UTC) == dt.datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_request_sent_at_night_or_at_the_weekend_costs_the_owner_no_day():
    """Anything filed between Friday's close and Monday's opening gets Monday morning's deadline."""
    monday_morning = calendar.deadline_after(tokyo(2026, 12, 7, 9, 0), WINDOW)
    for filed in [
        tokyo(2026, 12, 4, 18, 0),
        tokyo(2026, 12, 4, 23, 0),
        tokyo(2026, 12, 5, 0, 0),
        tokyo(2026, 12, 5, 15, 0),
        tokyo(2026, 12, 6, 12, 0),
        tokyo(2026, 12, 7, 0, 0),
        tokyo(2026, 12, 7, 8, 59),
    ]:
        assert calendar.deadline_after(filed, WINDOW) == monday_morning, filed
    assert calendar.effective_start_day(tokyo(2026, 12, 5, 15, 0)) == d(2026, 12, 7)
    assert calendar.effective_start_day(tokyo(2026, 12, 4, 17, 0)) == d(2026, 12, 4)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        pytest.param(tokyo(2026, 11, 16), tokyo(2026, 12, 14), id="late-november"),
        pytest.param(tokyo(2026, 12, 21), tokyo(2027, 1, 18), id="new-year"),
        pytest.param(tokyo(2027, 4, 19), tokyo(2027, 5, 17), id="golden-week"),
        pytest.param(tokyo(2026, 9, 14), tokyo(2026, 10, 5), id="silver-week"),
    ],
)
@pytest.mark.parametrize("window", [1, 5])
def test_every_filing_time_gets_a_full_window_and_later_never_means_sooner(first, last, window):
    """Filing hour by hour: the deadline is close of business on a business day, the owner
    gets `window` whole business days after the filing (one more when the filing day had
    not started yet), and filing later never moves the deadline earlier."""
    previous = None
    filed = first
    while filed < last:
        due = calendar.deadline_after(filed, window)
        local = due.astimezone(TOKYO)
        assert calendar.is_business_day(local.date()), filed
        assert local.time() == dt.time(18, 0), filed
        whole_days = 0
        day = filed.astimezone(TOKYO).date()
        while day <= local.date():
            if calendar.is_business_day(day) and calendar.start_of_business(day) >= filed:
                whole_days += 1
            day += dt.timedelta(days=1)
        assert window <= whole_days <= window + 1, filed
        if previous is not None:
            assert due >= previous, filed
        previous = due
        filed += dt.timedelta(hours=1)


# --- Japanese holidays ------------------------------------------------------------------


def test_new_years_day_is_skipped():
    # Mon 28 Dec: Tue 29, Wed 30, Thu 31, (Fri 1 Jan holiday), Mon 4, Tue 5.
    assert calendar.holiday_name(d(2027, 1, 1)) == "New Year's Day"
    assert calendar.deadline_after(tokyo(2026, 12, 28, 10, 0), WINDOW) == tokyo(2027, 1, 5, 18, 0)
    # Wed 30 Dec: Thu 31, Mon 4, Tue 5, Wed 6, Thu 7.
    assert calendar.deadline_after(tokyo(2026, 12, 30, 10, 0), WINDOW) == tokyo(2027, 1, 7, 18, 0)


def test_company_year_end_break_extends_the_window(japanese_year_end):
    assert not calendar.is_business_day(d(2026, 12, 31))
    assert calendar.holiday_name(d(2026, 12, 31)) is None  # closed, but not a public holiday
    # Mon 28 Dec: Tue 29, Wed 30, (31, 1, 2, 3 closed), Mon 4, Tue 5, Wed 6.
    assert calendar.deadline_after(tokyo(2026, 12, 28, 10, 0), WINDOW) == tokyo(2027, 1, 6, 18, 0)
    # Wed 30 Dec: Mon 4 .. Fri 8.
    assert calendar.deadline_after(tokyo(2026, 12, 30, 10, 0), WINDOW) == tokyo(2027, 1, 8, 18, 0)
    # Filed on the closed 31st itself: counts from Mon 4 Jan, due Mon 11 Jan (Coming of Age Day
    # is Mon 11 Jan 2027, so Tue 12 Jan).
    assert calendar.holiday_name(d(2027, 1, 11)) == "Coming of Age Day"
    assert calendar.deadline_after(tokyo(2026, 12, 31, 10, 0), WINDOW) == tokyo(2027, 1, 12, 18, 0)


def test_closed_days_recur_every_year(japanese_year_end):
    assert not calendar.is_business_day(d(2025, 12, 31))
    assert not calendar.is_business_day(d(2029, 1, 2))
    assert calendar.is_business_day(d(2029, 1, 4))


def test_golden_week_2027():
    for day, name in [
        (d(2027, 4, 29), "Showa Day"),
        (d(2027, 5, 3), "Constitution Day"),
        (d(2027, 5, 4), "Greenery Day"),
        (d(2027, 5, 5), "Children's Day"),
    ]:
        assert calendar.holiday_name(day) == name
        assert not calendar.is_business_day(day)
    assert calendar.is_business_day(d(2027, 4, 30))
    # Tue 27 Apr: Wed 28, (Thu 29), Fri 30, (Mon 3 - Wed 5), Thu 6, Fri 7, Mon 10.
    assert calendar.deadline_after(tokyo(2027, 4, 27, 10, 0), WINDOW) == tokyo(2027, 5, 10, 18, 0)
    # Filed on Constitution Day: counts from Thu 6 May; Fri 7, Mon 10, Tue 11, Wed 12, Thu 13.
    assert calendar.deadline_after(tokyo(2027, 5, 3, 10, 0), WINDOW) == tokyo(2027, 5, 13, 18, 0)


def test_silver_week_2026():
    assert calendar.holiday_name(d(2026, 9, 21)) == "Respect for the Aged Day"
    # Sandwiched between two holidays, the 22nd is a citizens' holiday.
    assert calendar.holiday_name(d(2026, 9, 22)) is not None
    assert calendar.holiday_name(d(2026, 9, 23)) == "Autumnal Equinox Day"
    # Fri 18 Sep 10:00: (Sat 19 - Wed 23), Thu 24, Fri 25, Mon 28, Tue 29, Wed 30.
    assert calendar.deadline_after(tokyo(2026, 9, 18, 10, 0), WINDOW) == tokyo(2026, 9, 30, 18, 0)
    # Fri 18 Sep 19:00: counts from Thu 24; Fri 25, Mon 28, Tue 29, Wed 30, Thu 1 Oct.
    assert calendar.deadline_after(tokyo(2026, 9, 18, 19, 0), WINDOW) == tokyo(2026, 10, 1, 18, 0)


# --- Another country --------------------------------------------------------------------


def test_thanksgiving_in_new_york(new_york_office):
    assert calendar.holiday_name(d(2026, 11, 26)) == "Thanksgiving Day"
    assert calendar.is_business_day(d(2026, 11, 27))  # the Friday after is not a federal holiday
    # Mon 23 Nov: Tue 24, Wed 25, (Thu 26), Fri 27, Mon 30, Tue 1 Dec.
    due = calendar.deadline_after(new_york(2026, 11, 23, 10, 0), WINDOW)
    assert due == new_york(2026, 12, 1, 18, 0)
    assert due.astimezone(UTC) == dt.datetime(2026, 12, 1, 23, 0, tzinfo=UTC)


def test_independence_day_observed_on_friday(new_york_office):
    # 4 July 2026 is a Saturday; the holiday is observed on Friday 3 July.
    assert not calendar.is_business_day(d(2026, 7, 3))
    # Mon 29 Jun: Tue 30, Wed 1, Thu 2, (Fri 3), Mon 6, Tue 7.
    due = calendar.deadline_after(new_york(2026, 6, 29, 10, 0), WINDOW)
    assert due == new_york(2026, 7, 7, 18, 0)
    assert due.astimezone(UTC) == dt.datetime(2026, 7, 7, 22, 0, tzinfo=UTC)  # EDT


def test_close_of_business_follows_daylight_saving_time(new_york_office):
    # Fri 30 Oct 2026 (EDT); the deadline Fri 6 Nov falls after the switch to EST.
    due = calendar.deadline_after(new_york(2026, 10, 30, 10, 0), WINDOW)
    assert due == new_york(2026, 11, 6, 18, 0)
    assert due.astimezone(UTC) == dt.datetime(2026, 11, 6, 23, 0, tzinfo=UTC)


def test_japanese_holidays_are_ordinary_days_in_new_york(new_york_office):
    for day in [d(2026, 9, 21), d(2026, 9, 22), d(2026, 9, 23), d(2026, 11, 23), d(2027, 5, 3)]:
        assert calendar.is_business_day(day)
        assert calendar.holiday_name(day) is None
    # Fri 18 Sep: Mon 21 .. Fri 25 (Silver Week is a Tokyo affair).
    assert calendar.deadline_after(new_york(2026, 9, 18, 10, 0), WINDOW) == new_york(
        2026, 9, 25, 18, 0
    )


def test_switching_country_back_and_forth(settings):
    silver_week_tuesday = d(2026, 9, 22)
    assert not calendar.is_business_day(silver_week_tuesday)
    settings.BUSINESS_HOLIDAYS_COUNTRY = "US"
    assert calendar.is_business_day(silver_week_tuesday)
    assert not calendar.is_business_day(d(2026, 11, 26))
    settings.BUSINESS_HOLIDAYS_COUNTRY = "JP"
    assert not calendar.is_business_day(silver_week_tuesday)
    assert calendar.is_business_day(d(2026, 11, 26))


# --- Time zones -------------------------------------------------------------------------


def test_the_business_time_zone_decides_before_or_after_close():
    # 08:30 UTC is 17:30 in Tokyo (still Monday's business day)...
    before = calendar.deadline_after(dt.datetime(2026, 11, 30, 8, 30, tzinfo=UTC), WINDOW)
    assert before == tokyo(2026, 12, 7, 18, 0)
    # ...09:30 UTC is 18:30 in Tokyo: counts from Tuesday.
    after = calendar.deadline_after(dt.datetime(2026, 11, 30, 9, 30, tzinfo=UTC), WINDOW)
    assert after == tokyo(2026, 12, 8, 18, 0)


def test_sunday_in_utc_can_be_monday_in_tokyo():
    # Sun 29 Nov 20:00 UTC is Mon 30 Nov 05:00 in Tokyo: Monday counts as day 0.
    filed = dt.datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    assert calendar.business_date(filed) == d(2026, 11, 30)
    assert calendar.deadline_after(filed, WINDOW) == tokyo(2026, 12, 7, 18, 0)


def test_same_instant_different_business_time_zone(new_york_office):
    # 2026-11-30 14:30 UTC = 09:30 in New York (Monday), 23:30 in Tokyo (after close).
    filed = dt.datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
    assert calendar.deadline_after(filed, WINDOW) == new_york(2026, 12, 7, 18, 0)


# --- Reminders --------------------------------------------------------------------------


def test_reminders_two_business_days_before_and_on_the_last_morning():
    filed = tokyo(2026, 11, 30, 10, 0)
    due = calendar.deadline_after(filed, WINDOW)
    assert due == tokyo(2026, 12, 7, 18, 0)
    assert calendar.reminder_times(filed, due) == [
        tokyo(2026, 12, 3, 9, 0),
        tokyo(2026, 12, 7, 9, 0),
    ]


def test_a_weekend_between_moves_the_first_reminder_back():
    # Deadline Tue 8 Dec: two business days before is Fri 4 Dec, not Sun 6 Dec.
    filed = tokyo(2026, 12, 1, 10, 0)
    due = calendar.deadline_after(filed, WINDOW)
    assert due == tokyo(2026, 12, 8, 18, 0)
    assert calendar.reminder_times(filed, due) == [
        tokyo(2026, 12, 4, 9, 0),
        tokyo(2026, 12, 8, 9, 0),
    ]


def test_a_holiday_between_moves_the_first_reminder_back():
    # Mon 16 Nov 2026: due Tue 24 Nov; Mon 23 Nov is Labor Thanksgiving Day, so "two business
    # days before" is Thu 19 Nov (not Fri 20 Nov).
    filed = tokyo(2026, 11, 16, 10, 0)
    due = calendar.deadline_after(filed, WINDOW)
    assert due == tokyo(2026, 11, 24, 18, 0)
    assert calendar.reminder_times(filed, due) == [
        tokyo(2026, 11, 19, 9, 0),
        tokyo(2026, 11, 24, 9, 0),
    ]


def test_golden_week_does_not_eat_reminder_days():
    filed = tokyo(2027, 4, 27, 10, 0)
    due = calendar.deadline_after(filed, WINDOW)
    assert due == tokyo(2027, 5, 10, 18, 0)
    assert calendar.reminder_times(filed, due) == [
        tokyo(2027, 5, 6, 9, 0),
        tokyo(2027, 5, 10, 9, 0),
    ]


def test_a_one_day_window_keeps_only_the_last_morning_reminder():
    # Mon 10:00 with 1 business day: due Tue 18:00. "Two days before" would be the previous
    # Friday, before the request even existed: dropped rather than sent at filing.
    filed = tokyo(2026, 11, 30, 10, 0)
    due = calendar.deadline_after(filed, 1)
    assert due == tokyo(2026, 12, 1, 18, 0)
    assert calendar.reminder_times(filed, due) == [tokyo(2026, 12, 1, 9, 0)]


def test_a_two_day_window_filed_after_opening_drops_the_reminder_for_that_morning():
    filed = tokyo(2026, 11, 30, 10, 0)
    due = calendar.deadline_after(filed, 2)
    assert due == tokyo(2026, 12, 2, 18, 0)
    # Mon 09:00 is before the filing at 10:00.
    assert calendar.reminder_times(filed, due) == [tokyo(2026, 12, 2, 9, 0)]


def test_a_short_window_filed_at_the_weekend_keeps_the_monday_reminder():
    # Sat: counts from Mon; 2 days -> due Wed; Mon 09:00 is after the filing.
    filed = tokyo(2026, 12, 5, 11, 0)
    due = calendar.deadline_after(filed, 2)
    assert due == tokyo(2026, 12, 9, 18, 0)
    assert calendar.reminder_times(filed, due) == [
        tokyo(2026, 12, 7, 9, 0),
        tokyo(2026, 12, 9, 9, 0),
    ]


def test_reminder_schedule_comes_from_settings(settings):
    settings.REMINDER_BUSINESS_DAYS_BEFORE = [3, 1, 0]
    filed = tokyo(2026, 11, 30, 10, 0)
    due = tokyo(2026, 12, 7, 18, 0)
    assert calendar.reminder_times(filed, due) == [
        tokyo(2026, 12, 2, 9, 0),
        tokyo(2026, 12, 4, 9, 0),
        tokyo(2026, 12, 7, 9, 0),
    ]
    settings.REMINDER_BUSINESS_DAYS_BEFORE = []
    assert calendar.reminder_times(filed, due) == []


def test_reminders_skip_thanksgiving_in_new_york(new_york_office):
    # Thu 19 Nov: due Fri 27 Nov; two business days before skips Thanksgiving (Thu 26):
    # Tue 24 Nov (not Wed 25), 09:00 New York time.
    filed = new_york(2026, 11, 19, 10, 0)
    due = calendar.deadline_after(filed, WINDOW)
    assert due == new_york(2026, 11, 27, 18, 0)
    assert calendar.reminder_times(filed, due) == [
        new_york(2026, 11, 24, 9, 0),
        new_york(2026, 11, 27, 9, 0),
    ]


def test_next_reminder_after():
    filed = tokyo(2026, 11, 30, 10, 0)
    due = tokyo(2026, 12, 7, 18, 0)
    assert calendar.next_reminder_after(filed, due, filed) == tokyo(2026, 12, 3, 9, 0)
    # Exactly at a reminder time: that one counts as sent, the next one is returned.
    at_first = tokyo(2026, 12, 3, 9, 0)
    assert calendar.next_reminder_after(filed, due, at_first) == tokyo(2026, 12, 7, 9, 0)
    assert calendar.next_reminder_after(filed, due, tokyo(2026, 12, 7, 9, 0)) is None


# --- Deferrals and days left --------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "wake"),
    [
        pytest.param(d(2026, 12, 2), tokyo(2026, 12, 2, 9, 0), id="business-day"),
        pytest.param(d(2026, 12, 5), tokyo(2026, 12, 7, 9, 0), id="saturday"),
        pytest.param(d(2026, 12, 6), tokyo(2026, 12, 7, 9, 0), id="sunday"),
        pytest.param(d(2026, 9, 21), tokyo(2026, 9, 24, 9, 0), id="silver-week"),
        pytest.param(d(2027, 5, 1), tokyo(2027, 5, 6, 9, 0), id="golden-week"),
        pytest.param(d(2027, 1, 1), tokyo(2027, 1, 4, 9, 0), id="new-year"),
    ],
)
def test_wake_time(until, wake):
    assert calendar.wake_time(until) == wake


def test_wake_time_respects_company_closed_days(japanese_year_end):
    assert calendar.wake_time(d(2026, 12, 31)) == tokyo(2027, 1, 4, 9, 0)
    assert calendar.wake_time(d(2029, 1, 2)) == tokyo(2029, 1, 4, 9, 0)


def test_business_days_left_counts_down_to_the_deadline_day():
    due = tokyo(2026, 12, 7, 18, 0)
    assert calendar.business_days_left(due, now=tokyo(2026, 11, 30, 10, 0)) == 5
    assert calendar.business_days_left(due, now=tokyo(2026, 12, 4, 17, 0)) == 1
    assert calendar.business_days_left(due, now=tokyo(2026, 12, 5, 12, 0)) == 1  # Saturday
    assert calendar.business_days_left(due, now=tokyo(2026, 12, 7, 9, 0)) == 0
    assert calendar.business_days_left(due, now=tokyo(2026, 12, 8, 9, 0)) == -1
    # The day is the Tokyo day: 16:00 UTC on Sun 6 Dec is already Monday in Tokyo.
    assert calendar.business_days_left(due, now=dt.datetime(2026, 12, 6, 16, 0, tzinfo=UTC)) == 0


def test_business_days_left_skips_holidays():
    # Mon 16 Nov -> Tue 24 Nov with Labor Thanksgiving Day on Mon 23 Nov.
    assert calendar.business_days_left(tokyo(2026, 11, 24, 18), now=tokyo(2026, 11, 16, 10)) == 5


def test_business_days_left_defaults_to_the_current_time(clock):
    due = tokyo(2026, 12, 7, 18, 0)
    assert calendar.business_days_left(due) == 5
    clock.move_to(tokyo(2026, 12, 3, 12, 0))
    assert calendar.business_days_left(due) == 2


def test_business_date_defaults_to_now_in_the_business_time_zone():
    with time_machine.travel(dt.datetime(2026, 11, 29, 20, 0, tzinfo=UTC), tick=False):
        assert calendar.business_date() == d(2026, 11, 30)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        pytest.param(d(2026, 11, 30), d(2026, 11, 30), 0, id="same-day"),
        pytest.param(d(2026, 11, 30), d(2026, 12, 1), 1, id="next-day"),
        pytest.param(d(2026, 12, 4), d(2026, 12, 7), 1, id="over-weekend"),
        pytest.param(d(2026, 12, 4), d(2026, 12, 6), 0, id="to-sunday"),
        pytest.param(d(2026, 12, 5), d(2026, 12, 7), 1, id="from-saturday"),
        pytest.param(d(2026, 11, 20), d(2026, 11, 24), 1, id="over-holiday"),
        pytest.param(d(2026, 9, 18), d(2026, 9, 24), 1, id="over-silver-week"),
        pytest.param(d(2026, 12, 1), d(2026, 11, 30), -1, id="back-one"),
        pytest.param(d(2026, 12, 7), d(2026, 12, 4), -1, id="back-over-weekend"),
        pytest.param(d(2026, 11, 24), d(2026, 11, 20), -1, id="back-over-holiday"),
        pytest.param(d(2026, 12, 14), d(2026, 11, 30), -10, id="back-two-weeks"),
    ],
)
def test_business_days_between(start, end, count):
    assert calendar.business_days_between(start, end) == count


@pytest.mark.parametrize("k", [1, 2, 5, 12])
@pytest.mark.parametrize(
    "start", [d(2026, 11, 30), d(2026, 12, 4), d(2026, 9, 24), d(2027, 5, 6), d(2027, 1, 4)]
)
def test_business_days_between_inverts_add_and_subtract_from_a_business_day(start, k):
    assert calendar.business_days_between(start, calendar.add_business_days(start, k)) == k
    assert calendar.business_days_between(start, calendar.subtract_business_days(start, k)) == -k


@pytest.mark.parametrize("k", [1, 5])
@pytest.mark.parametrize("start", [d(2026, 12, 5), d(2026, 12, 6), d(2026, 9, 22), d(2027, 5, 4)])
def test_business_days_between_forward_from_a_closed_day(start, k):
    assert calendar.business_days_between(start, calendar.add_business_days(start, k)) == k


@pytest.mark.parametrize("start", [d(2026, 12, 5), d(2026, 12, 6), d(2026, 9, 22)])
def test_business_days_between_backward_from_a_closed_day(start):
    assert calendar.business_days_between(start, calendar.subtract_business_days(start, 1)) == -1


def test_a_deadline_passed_on_friday_is_not_due_today_on_saturday():
    assert calendar.business_days_left(tokyo(2026, 12, 4, 18), now=tokyo(2026, 12, 5, 10)) < 0
