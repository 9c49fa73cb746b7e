"""Calendar arithmetic for due dates: business days, holidays, durations."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo


@dataclass(frozen=True)
class WorkCalendar:
    """Which days count. With ``business_days`` a "3d" wait skips weekends and ``holidays``."""

    business_days: bool = True
    holidays: Collection[date] = field(default_factory=frozenset)

    def is_workday(self, day: date) -> bool:
        return not self.business_days or (day.weekday() < 5 and day not in self.holidays)

    def add_days(self, start: date, days: int) -> date:
        """Return the date ``days`` days after ``start``, counting only workdays when configured."""
        if not self.business_days:
            return start + timedelta(days=days)
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def next_workday(self, day: date) -> date:
        """Return ``day`` itself if it is a workday, else the next one."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def due_after(self, start: datetime, wait: timedelta, zone: tzinfo) -> date:
        """Return the calendar day (in ``zone``) on which a wait of ``wait`` from ``start`` ends.

        Whole days are counted as (business) days on the local calendar; a wait with hours or
        minutes is plain clock time.
        """
        local = start.astimezone(zone)
        if wait % timedelta(days=1) == timedelta(0):
            return self.add_days(local.date(), wait.days)
        return (local + wait).date()
