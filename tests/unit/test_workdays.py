from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from watcher.workdays import WorkCalendar

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("start, days, business, holidays, expected", [
    (date(2026, 11, 16), 3, True, (), date(2026, 11, 19)),       # Mon + 3 -> Thu
    (date(2026, 11, 19), 3, True, (), date(2026, 11, 24)),       # Thu + 3 -> Tue (weekend skipped)
    (date(2026, 11, 21), 1, True, (), date(2026, 11, 23)),       # Sat + 1 -> Mon
    (date(2026, 11, 19), 3, False, (), date(2026, 11, 22)),      # calendar days
    (date(2026, 12, 23), 2, True, (date(2026, 12, 24), date(2026, 12, 25)), date(2026, 12, 29)),
    (date(2026, 11, 16), 0, True, (), date(2026, 11, 16)),
])
def test_add_days(start, days, business, holidays, expected):
    assert WorkCalendar(business, frozenset(holidays)).add_days(start, days) == expected


def test_due_after_uses_the_local_calendar_day():
    # 23:30 UTC on Thursday is already Friday in Berlin: 1 business day later is Monday
    start = datetime(2026, 11, 19, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert WorkCalendar().due_after(start, timedelta(days=1), BERLIN) == date(2026, 11, 23)


def test_due_after_with_hours_is_clock_time():
    start = datetime(2026, 11, 19, 20, 0, tzinfo=BERLIN)
    assert WorkCalendar().due_after(start, timedelta(hours=6), BERLIN) == date(2026, 11, 20)


def test_next_workday():
    calendar = WorkCalendar(True, frozenset({date(2026, 11, 23)}))
    assert calendar.next_workday(date(2026, 11, 21)) == date(2026, 11, 24)
    assert calendar.next_workday(date(2026, 11, 24)) == date(2026, 11, 24)
