"""Return dates in out-of-office replies: the first day the sender is back."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from watcher.body import body_text
from watcher.parse import parse_headers
from watcher.rules.out_of_office import return_date

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Tuesday 17 November 2026, 09:00 in the sender's zone.
RECEIVED = datetime(2026, 11, 17, 9, 0, tzinfo=timezone(timedelta(hours=1)))

BACK_ON = [
    # "until X" means back on X
    ("I am out of the office until Monday, November 30, and will answer your email when I'm back.",
     date(2026, 11, 30)),
    ("I am out of the office until Tuesday, December 1.", date(2026, 12, 1)),
    ("Out of office until next week.", date(2026, 11, 23)),
    ("I have limited access to email until the 5th.", date(2026, 12, 5)),
    ("I'm at a conference till Thursday and will reply then.", date(2026, 11, 19)),
    # a return word: back on that date
    ("I'm on holiday with no access to email and back on 3/12.", date(2026, 12, 3)),
    ("Returning next week.", date(2026, 11, 23)),
    ("I will return on Tuesday.", date(2026, 11, 24)),
    ("I'll be back in the office on Monday.", date(2026, 11, 23)),
    ("I'm back from vacation on Monday 30 November.", date(2026, 11, 30)),
    ("Returning from parental leave on 1 December.", date(2026, 12, 1)),
    ("I'll be back in the office from Wednesday 25 November.", date(2026, 11, 25)),
    ("Back after the holidays.", date(2027, 1, 4)),
    ("I will be back after 1 December.", date(2026, 12, 2)),
    ("I'll be back on Monday at 9am.", date(2026, 11, 23)),
    # an inclusive last day away: back the day after
    ("I'm away from 20 Nov to 28 Nov.", date(2026, 11, 29)),
    ("I am away between 20 Nov and 28 Nov with no access to email.", date(2026, 11, 29)),
    ("Out of the office through Friday, November 27.", date(2026, 11, 28)),
    ("I am on leave thru Friday.", date(2026, 11, 21)),
    ("Out of office Nov 20-28.", date(2026, 11, 29)),
    ("Away 20-28 November, back after that.", date(2026, 11, 29)),
    ("I am out of the office from 18 to 27 November inclusive.", date(2026, 11, 28)),
    ("I'm out of office until 28 November inclusive.", date(2026, 11, 29)),
    # an absence word with a single day or a week
    ("I am out of the office today.", date(2026, 11, 18)),
    ("I'm not in the office on Friday.", date(2026, 11, 21)),
    ("I'm travelling on Monday and Tuesday.", date(2026, 11, 25)),
    ("I'm away next week.", date(2026, 11, 30)),
    # several dates: the latest return wins, starts and contacts are ignored
    ("I'm away from Friday 20 November. I will be back on Monday, 30 November.", date(2026, 11, 30)),
    ("I'm out until Friday. Next week I'm at a conference until Wednesday 25 November.", date(2026, 11, 25)),
    ("Out until 3 December. For urgent matters before Friday, call Ella on +44 20 7946 0958.", date(2026, 12, 3)),
]


@pytest.mark.parametrize(("text", "expected"), BACK_ON)
def test_return_date(text, expected):
    assert return_date(text, RECEIVED) == expected


NO_RETURN_DATE = [
    "I am currently out of the office with limited access to email.",
    "I will reply as soon as I can after I'm back.",
    "I'm away from 20 November.",  # only the first day away
    "I am on vacation in December.",  # a whole month: no day given
    "Out of the office until 12 November.",  # already past
    "For urgent matters please call Ella on 06/12 34 56 78.",  # a phone number, not 6 December
    "Office hours are 9am to 5pm, Monday to Friday.",
    "Please contact Ella Berg on Monday for anything urgent.",  # a date with no absence or return
    "I'll be back on 3 December 2028.",  # more than a year ahead
]


@pytest.mark.parametrize("text", NO_RETURN_DATE)
def test_no_return_date(text):
    assert return_date(text, RECEIVED) is None


def test_numeric_dates_follow_date_order():
    text = "Back on 3/12."
    assert return_date(text, RECEIVED, "dmy") == date(2026, 12, 3)
    assert return_date(text, RECEIVED, "mdy") == date(2027, 3, 12)


def test_until_the_day_back_is_not_shifted_but_through_is():
    assert return_date("Out until Friday.", RECEIVED) == date(2026, 11, 20)
    assert return_date("Out through Friday.", RECEIVED) == date(2026, 11, 21)


def test_numeric_range_with_late_days():
    assert return_date("I'm away from 20/11 until 28/11.", RECEIVED) == date(2026, 11, 28)


def _fixture(name: str) -> tuple[str, datetime]:
    raw = (FIXTURES / name).read_bytes()
    return body_text(raw), parse_headers(raw, folder="INBOX").date


def test_fixture_rfc3834_vacation_until_monday_november_30():
    text, sent = _fixture("auto_reply_rfc3834.eml")
    assert sent == datetime(2026, 11, 18, 11, 5, 44, tzinfo=timezone(timedelta(hours=1)))
    assert return_date(text, sent) == date(2026, 11, 30)


def test_fixture_x_autoreply_back_on_3_12():
    text, sent = _fixture("vacation_x_autoreply.eml")
    assert sent == datetime(2026, 11, 18, 16, 27, 5, tzinfo=timezone(timedelta(hours=1)))
    assert return_date(text, sent, "dmy") == date(2026, 12, 3)
    assert return_date(text, sent, "mdy") == date(2027, 3, 12)
