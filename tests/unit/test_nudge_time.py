"""When the nudge is due: daylight-saving changes and clock jumps neither skip nor double it.
Each scenario walks minute by minute (or jumps, like a laptop waking up) and counts the sends,
settling the day as send_nudge does (the local date of the moment it was sent)."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from watcher.jobs import nudge_is_due

BERLIN = ZoneInfo("Europe/Berlin")


def sends(moments, send_time, zone):
    """The local moments at which a heartbeat at each of ``moments`` would send the nudge."""
    settled_at, sent = None, []
    for moment in moments:
        last = settled_at.astimezone(zone).date() if settled_at else None
        if nudge_is_due(moment, last, send_time, zone):
            settled_at = moment
            sent.append(moment.astimezone(zone))
    return sent


def every_minute(start_utc: datetime, hours: float):
    return [start_utc + timedelta(minutes=m) for m in range(int(hours * 60))]


def test_spring_forward_with_the_send_time_in_the_missing_hour():
    # Sun 28 Mar 2027: 02:00 CET jumps to 03:00 CEST; 02:30 never happens that day
    moments = every_minute(datetime(2027, 3, 27, 23, 0, tzinfo=timezone.utc), 48)  # from Sun 00:00
    sent = sends(moments, time(2, 30), BERLIN)
    assert [f"{s:%a %H:%M %Z}" for s in sent] == ["Sun 03:00 CEST", "Mon 02:30 CEST"]


def test_fall_back_with_the_send_time_in_the_repeated_hour():
    # Sun 25 Oct 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice
    moments = every_minute(datetime(2026, 10, 24, 22, 0, tzinfo=timezone.utc), 48)  # from Sun 00:00
    sent = sends(moments, time(2, 30), BERLIN)
    assert [f"{s:%a %H:%M %Z}" for s in sent] == ["Sun 02:30 CEST", "Mon 02:30 CET"]


@pytest.mark.parametrize("wake", ["06:00", "11:40", "23:59"])
def test_a_laptop_asleep_over_the_send_time_sends_once_when_it_wakes(wake):
    hour, minute = map(int, wake.split(":"))
    before = datetime(2026, 11, 24, 5, 0, tzinfo=BERLIN)
    woke = datetime(2026, 11, 24, hour, minute, tzinfo=BERLIN)
    moments = [before, *[woke + timedelta(minutes=m) for m in range(30)]]
    sent = sends(moments, time(8, 0), BERLIN)
    assert len(sent) == (1 if wake != "06:00" else 0)


def test_a_clock_set_back_after_sending_does_not_send_again():
    sent_at = datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)
    moments = [sent_at, sent_at + timedelta(minutes=1), sent_at - timedelta(hours=1), sent_at + timedelta(hours=3)]
    assert len(sends(moments, time(8, 0), BERLIN)) == 1
