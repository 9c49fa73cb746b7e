"""Check-back requests: a contact asks the user to get in touch again on a date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from watcher.rules.check_back import CheckBack, find_check_back

# Tuesday 17 November 2026, 09:00 in the writer's zone.
RECEIVED = datetime(2026, 11, 17, 9, 0, tzinfo=timezone(timedelta(hours=1)))

CHECK_BACKS = [
    ("Please check back with me in two weeks.", date(2026, 12, 1), "in two weeks"),
    ("Reach out again in three months.", date(2027, 2, 17), "in three months"),
    ("Ping me after the holidays.", date(2027, 1, 4), "after the holidays"),
    ("Ping me in Q1.", date(2027, 1, 1), "Q1"),
    ("Try me again next month.", date(2026, 12, 1), "next month"),
    ("Call me on Monday.", date(2026, 11, 23), "on Monday"),
    ("Follow up with me in January.", date(2027, 1, 1), "January"),
    ("Let's reconnect in the new year.", date(2027, 1, 4), "in the new year"),
    ("Circle back in a couple of weeks.", date(2026, 12, 1), "in a couple of weeks"),
    ("Contact me again after our budget is approved in March.", date(2027, 3, 1), "March"),
    ("Ask me again in three months.", date(2027, 2, 17), "in three months"),
    ("Touch base next quarter.", date(2027, 1, 1), "next quarter"),
    ("Can you call me on Monday?", date(2026, 11, 23), "on Monday"),
    ("Why don't you call me on Monday?", date(2026, 11, 23), "on Monday"),
    ("Don't hesitate to ping me next week.", date(2026, 11, 23), "next week"),
    ("We can circle back in Q1.", date(2027, 1, 1), "Q1"),
    ("Shall we touch base next week?", date(2026, 11, 23), "next week"),
    ("We'll reconnect in January.", date(2027, 1, 1), "January"),
    ("I'd be happy to reconnect in January.", date(2027, 1, 1), "January"),
    ("Happy to revisit this in Q2.", date(2027, 4, 1), "Q2"),
    ("It'd be best to reconnect after the holidays.", date(2027, 1, 4), "after the holidays"),
    ("Let's talk in January.", date(2027, 1, 1), "January"),
    ("Drop me a line next month.", date(2026, 12, 1), "next month"),
    ("In January, please reach out again.", date(2027, 1, 1), "January"),
    ("After the holidays, give me a call.", date(2027, 1, 4), "After the holidays"),
    ("I'd appreciate it if you could call me on Thursday.", date(2026, 11, 19), "on Thursday"),
    ("If you haven't heard from me by Friday, ping me.", date(2026, 11, 20), "by Friday"),
    ("We're not ready now, but feel free to reach out in Q1.", date(2027, 1, 1), "Q1"),
    ("We are not interested now, so check back in six months.", date(2027, 5, 17), "in six months"),
    ("Would you like to touch base next week?", date(2026, 11, 23), "next week"),
]


@pytest.mark.parametrize(("text", "due", "due_text"), CHECK_BACKS)
def test_check_back(text, due, due_text):
    assert find_check_back(text, RECEIVED) == CheckBack(text, due, due_text)


NOT_CHECK_BACKS = [
    "I'll get back to you next week.",  # the writer's own promise
    "I'll reach out in January.",
    "We'll circle back in Q1.",
    "I'll follow up with you next week.",
    "The team will reach out next week.",  # a third party
    "John will call me on Monday.",
    "You asked me to reach out in January.",  # the writer will do it
    "You called me on Monday.",  # past
    "Did you call me on Monday?",
    "Thanks for calling me on Monday.",
    "Don't call me next week.",  # negation
    "Please do not contact us again next year.",
    "I'm out next week; ping me if needed.",  # the time is in another clause
    "I'm out next week, ping me.",
    "Call me if you have questions next week.",  # courtesy
    "If you're interested, call me on Monday.",
    "Feel free to reach out soon.",  # vague
    "Let's reconnect later.",
    "Email me the report by Friday.",  # a delivery
    "Let's schedule a follow up next week.",  # a noun
    "Shall I call you on Monday?",  # the writer offers to call
    "Thanks for the update, see you at the meeting on Monday.",
]


@pytest.mark.parametrize("text", NOT_CHECK_BACKS)
def test_not_a_check_back(text):
    assert find_check_back(text, RECEIVED) is None


def test_the_first_check_back_of_a_message_with_the_sentence_as_written():
    text = ("Thanks for the demo yesterday.\n\nWe need to wait for the budget, so please check back with me in\n"
            "two weeks. Or call me on Monday.")
    found = find_check_back(text, RECEIVED)
    assert found == CheckBack("We need to wait for the budget, so please check back with me in two weeks.",
                              date(2026, 12, 1), "in two weeks")


def test_due_is_never_before_the_next_day():
    assert find_check_back("Call me this afternoon.", RECEIVED).due == date(2026, 11, 18)
    assert find_check_back("Call me today.", RECEIVED).due == date(2026, 11, 18)


def test_numeric_dates_follow_date_order():
    assert find_check_back("Call me on 3/12.", RECEIVED, "dmy").due == date(2026, 12, 3)
    assert find_check_back("Call me on 3/12.", RECEIVED, "mdy").due == date(2027, 3, 12)


def test_the_writers_own_date_decides_today():
    late_in_tokyo = datetime(2026, 11, 17, 23, 30, tzinfo=timezone(timedelta(hours=9)))
    assert find_check_back("Ping me tomorrow.", late_in_tokyo).due == date(2026, 11, 18)
