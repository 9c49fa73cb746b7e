"""Time expressions resolved against the writer's own date (watcher.rules.dates)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from watcher.rules.dates import find_dates, find_due, has_time_cue

BERLIN = timezone(timedelta(hours=1))
TUESDAY_AFTERNOON = datetime(2026, 11, 17, 15, 0, tzinfo=BERLIN)


@pytest.mark.parametrize("sentence, expected", [
    ("I'll call you tomorrow.", date(2026, 11, 18)),
    ("I'll call you tommorow.", date(2026, 11, 18)),
    ("first thing tomorrow morning", date(2026, 11, 18)),
    ("I'll send it today.", date(2026, 11, 17)),
    ("I'll do it tonight.", date(2026, 11, 17)),
    ("by EOD", date(2026, 11, 17)),
    ("by COB today", date(2026, 11, 17)),
    ("later this afternoon", date(2026, 11, 17)),
    ("by Friday", date(2026, 11, 20)),
    ("on Monday", date(2026, 11, 23)),
    ("on Tuesday", date(2026, 11, 24)),  # the next Tuesday after the message date
    ("this Tuesday", date(2026, 11, 17)),
    ("next Tuesday", date(2026, 11, 24)),
    ("Thursday, next week", date(2026, 11, 26)),
    ("next week", date(2026, 11, 23)),
    ("early next week", date(2026, 11, 23)),
    ("the week after next", date(2026, 11, 30)),
    ("by the end of the week", date(2026, 11, 20)),
    ("later this week", date(2026, 11, 20)),
    ("mid-week", date(2026, 11, 18)),
    ("this weekend", date(2026, 11, 22)),
    ("this month", date(2026, 11, 30)),
    ("by the end of the month", date(2026, 11, 30)),
    ("next month", date(2026, 12, 1)),
    ("end of the quarter", date(2026, 12, 31)),
    ("in Q1", date(2027, 1, 1)),
    ("after the holidays", date(2027, 1, 4)),  # 2 January 2027 is a Saturday
    ("in January", date(2027, 1, 1)),
    ("mid-January", date(2027, 1, 15)),
    ("in 3 days", date(2026, 11, 20)),
    ("in two weeks", date(2026, 12, 1)),
    ("in three months", date(2027, 2, 17)),
    ("in 10 business days", date(2026, 12, 1)),
    ("within a couple of days", date(2026, 11, 19)),
    ("in the next few days", date(2026, 11, 20)),
    ("December 3", date(2026, 12, 3)),
    ("3 Dec", date(2026, 12, 3)),
    ("the 3rd of December", date(2026, 12, 3)),
    ("Tuesday, November 24", date(2026, 11, 24)),
    ("on Tuesday, February 5, 2002", date(2002, 2, 5)),
    ("2026-12-03", date(2026, 12, 3)),
    ("January 5", date(2027, 1, 5)),  # a date long gone this year means next year's
    ("by 5pm", date(2026, 11, 17)),
    ("at 9:00", date(2026, 11, 18)),  # 9:00 has passed at 15:00: tomorrow's
    ("today or tomorrow", date(2026, 11, 18)),
    ("asap, hopefully some time next week", date(2026, 11, 23)),
])
def test_expressions_resolve_against_the_message_date(sentence, expected):
    found = find_due(sentence, TUESDAY_AFTERNOON)
    assert found is not None and found.due == expected, found


def test_the_writers_own_offset_decides_which_day_it_is():
    # 23:30 in New York on Monday is already Tuesday in UTC: "tomorrow" is still Tuesday
    late_monday = datetime(2026, 11, 16, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert find_due("I'll send it tomorrow", late_monday).due == date(2026, 11, 17)


def test_in_the_morning_after_noon_means_the_next_day():
    evening = datetime(2026, 11, 17, 21, 0, tzinfo=BERLIN)
    morning = datetime(2026, 11, 17, 7, 0, tzinfo=BERLIN)
    assert find_due("I'll send a draft in the morning", evening).due == date(2026, 11, 18)
    assert find_due("I'll send a draft in the morning", morning).due == date(2026, 11, 17)


@pytest.mark.parametrize("order, expected", [("dmy", date(2026, 12, 3)), ("mdy", date(2027, 3, 12))])
def test_numeric_dates_follow_the_configured_order(order, expected):
    assert find_due("I'm back on 3/12", TUESDAY_AFTERNOON, order).due == expected


@pytest.mark.parametrize("sentence", ["soon", "asap", "as soon as I hear from Bob", "shortly",
                                      "once it has been approved"])
def test_vague_times_keep_their_words_without_a_date(sentence):
    found = find_due(f"I'll send it {sentence}.", TUESDAY_AFTERNOON)
    assert found is not None and found.due is None and found.text.lower().startswith(sentence.split()[0])


@pytest.mark.parametrize("sentence", ["Thanks, Jan", "The sun is up", "We may go", "It's a 24/7 service",
                                      "Give it 1/2 hour", "I sent the file", "Sun and sand"])
def test_words_that_look_like_dates_are_not(sentence):
    assert find_due(sentence, TUESDAY_AFTERNOON) is None


def test_has_time_cue_is_a_cheap_gate():
    assert has_time_cue("see you Friday")
    assert not has_time_cue("Thanks for the update, looks good")


def test_find_dates_lists_every_expression_in_order():
    found = find_dates("I was out this week but will call on Monday", TUESDAY_AFTERNOON)
    assert [(text, day) for _, _, day, text in found] == [("this week", date(2026, 11, 20)),
                                                         ("on Monday", date(2026, 11, 23))]


@pytest.mark.parametrize("sentence, order, expected", [
    ("back on 25/12", "dmy", date(2026, 12, 25)),
    ("back on 25/12/2026", "dmy", date(2026, 12, 25)),
    ("Monday 30/11", "dmy", date(2026, 11, 30)),
    ("back on 12/25", "mdy", date(2026, 12, 25)),
])
def test_numeric_dates_with_late_days(sentence, order, expected):
    assert find_due(sentence, TUESDAY_AFTERNOON, order).due == expected
