"""The follow-up cadence: each follow-up of mine starts the next, longer wait; after
``max_followups`` unanswered follow-ups comes the last call.

Dates start in the week of Mon 16 Nov 2026; the user is in Berlin and waits count business days
unless a test says otherwise. Expected dates are written out, counted on a calendar by hand.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from watcher.cadence import (
    Cadence, CadenceRules, ContactCadence, cadence_rules, is_last_call, step_label,
)
from watcher.config import parse_config
from watcher.model import Address, Message, Reminder, Thread
from watcher.rules.no_reply import NoReplySettings, detect
from watcher.workdays import WorkCalendar

BERLIN = ZoneInfo("Europe/Berlin")
ME = "pat@example.com"
DANA = "dana@northwind.example"
DEFAULT = CadenceRules()


def is_me(address: str) -> bool:
    return address == ME


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=BERLIN)


def mine(when: datetime, to: str = DANA) -> Message:
    return Message(message_id=f"{when:%Y%m%d%H}@example.com", subject="Pricing for 2027",
                   sender=Address(ME, "Pat Weber"), to=(Address(to, "Dana Lee"),), date=when, text="Any news?")


def theirs(when: datetime, sender: str = DANA) -> Message:
    return Message(message_id=f"{when:%Y%m%d%H}@northwind.example", subject="Re: Pricing for 2027",
                   sender=Address(sender, "Dana Lee"), to=(Address(ME),), date=when, text="Thanks, will look.")


def thread(*messages: Message) -> Thread:
    return Thread(root_id=messages[0].message_id, messages=list(messages), ids={m.message_id for m in messages})


def settings(cadence: CadenceRules | None = DEFAULT, *, business_days: bool = True,
             holidays: frozenset[date] = frozenset()) -> NoReplySettings:
    return NoReplySettings(wait=timedelta(days=3), calendar=WorkCalendar(business_days, holidays), zone=BERLIN,
                           cadence=cadence)


def waiting(*messages: Message, **options) -> Reminder:
    reminder = detect(thread(*messages), is_me, settings(**options))
    assert reminder is not None
    return reminder


# My messages, each sent on the day the previous reminder came due (or a few days later).
FIRST = at(2026, 11, 16)          # Mon
RUN = [FIRST, at(2026, 11, 19), at(2026, 11, 26), at(2026, 12, 7), at(2026, 12, 28), at(2027, 2, 8),
       at(2027, 3, 22)]


@pytest.mark.parametrize("sent, followups, wait, due", [
    (1, 0, "3d", date(2026, 11, 19)),    # Mon 16 Nov + 3 business days: Thu
    (2, 1, "5d", date(2026, 11, 26)),    # Thu 19 Nov + 5: Thu 26 Nov
    (3, 2, "7d", date(2026, 12, 7)),     # Thu 26 Nov + 7: Fri 27, Mon 30 - Fri 4, Mon 7 Dec
    (4, 3, "14d", date(2026, 12, 25)),   # Mon 7 Dec + 14 business days (no holidays configured)
    (5, 4, "30d", date(2027, 2, 8)),     # Mon 28 Dec + 30 business days: six weeks
    (6, 5, "30d", date(2027, 3, 22)),    # the last step repeats; this is the last call
    (7, 6, "30d", date(2027, 5, 3)),     # the user kept going: still the last step
])
def test_each_follow_up_starts_the_next_step(sent, followups, wait, due):
    reminder = waiting(*(mine(when) for when in RUN[:sent]))
    assert (reminder.followups, reminder.due, reminder.max_followups) == (followups, due, 5)
    assert reminder.key == f"no_reply:{mine(FIRST).message_id}"  # one reminder for the whole run
    assert Cadence().wait(followups) == {"3d": timedelta(days=3), "5d": timedelta(days=5), "7d": timedelta(days=7),
                                         "14d": timedelta(days=14), "30d": timedelta(days=30)}[wait]


def test_an_answer_starts_the_cadence_over():
    earlier = [mine(at(2026, 11, 2)), mine(at(2026, 11, 5)), theirs(at(2026, 11, 10))]
    reminder = waiting(*earlier, mine(FIRST), mine(at(2026, 11, 20)))
    assert reminder.followups == 1
    assert reminder.due == date(2026, 11, 27)  # Fri 20 Nov + 5 business days
    assert reminder.key == f"no_reply:{mine(FIRST).message_id}"


@pytest.mark.parametrize("business_days, holidays, sent, due", [
    (False, frozenset(), 1, date(2026, 11, 19)),                   # Mon 16 + 3 calendar days
    (False, frozenset(), 2, date(2026, 11, 24)),                   # Thu 19 + 5 calendar days: Tue 24
    (True, frozenset({date(2026, 11, 18)}), 1, date(2026, 11, 20)),  # Wed 18 a holiday: Fri 20
    (True, frozenset({date(2026, 11, 25)}), 2, date(2026, 11, 27)),  # Wed 25 a holiday: Fri 27
])
def test_steps_count_days_like_every_other_wait(business_days, holidays, sent, due):
    reminder = waiting(*(mine(when) for when in RUN[:sent]), business_days=business_days, holidays=holidays)
    assert reminder.due == due


def test_a_step_with_hours_is_clock_time():
    rules = CadenceRules(Cadence((timedelta(hours=36),), 2))
    assert waiting(mine(at(2026, 11, 20, 18)), cadence=rules).due == date(2026, 11, 22)  # Fri 18:00 + 36h: Sun


def test_without_a_cadence_every_wait_is_no_reply_after_and_there_is_no_limit():
    reminder = waiting(*(mine(when) for when in RUN[:3]), cadence=None)
    assert reminder.due == date(2026, 12, 1)  # Thu 26 Nov + 3 business days, as before cadences
    assert reminder.max_followups == 0
    assert not is_last_call(reminder) and step_label(reminder) == ""


BIGCORP = CadenceRules(
    Cadence(),
    (ContactCadence("ceo@bigcorp.example", Cadence((timedelta(days=1),), 1)),
     ContactCadence("@bigcorp.example", Cadence((timedelta(days=10), timedelta(days=20)), 2)),
     ContactCadence("*@*.gov.example", Cadence((timedelta(days=2),), 3))),
)


@pytest.mark.parametrize("contact, sent, due, max_followups", [
    ("ceo@bigcorp.example", 1, date(2026, 11, 17), 1),      # exact address, listed first: it wins
    ("kim@bigcorp.example", 1, date(2026, 11, 30), 2),      # @domain: Mon 16 + 10 business days
    ("KIM@BigCorp.example", 2, date(2026, 12, 17), 2),      # case-insensitive; Thu 19 + 20 business days
    ("kim@bigcorp.example", 3, date(2026, 12, 24), 2),      # Thu 26 + 20: the last step repeats
    ("kim@sub.bigcorp.example", 1, date(2026, 11, 19), 5),  # "@domain" is that domain only, as in ignore
    ("lee@tax.gov.example", 2, date(2026, 11, 23), 3),      # glob: Thu 19 + 2
    ("dana@northwind.example", 1, date(2026, 11, 19), 5),   # no match: the cadence for everyone
])
def test_per_contact_cadence_first_match_wins(contact, sent, due, max_followups):
    reminder = waiting(*(mine(when, to=contact) for when in RUN[:sent]), cadence=BIGCORP)
    assert (reminder.due, reminder.max_followups) == (due, max_followups)


def test_config_builds_the_cadence_rules():
    config = parse_config({
        "account": {"email": ME}, "imap": {"host": "imap.example.com"},
        "rules": {"cadence": ["2d", "4d"], "max_followups": 3, "contact": [
            {"match": "@bigcorp.example", "cadence": ["10d"]},
            {"match": "dana@northwind.example", "max_followups": 1},
        ]},
    }, {"HOME": "/home/pat"})
    rules = cadence_rules(config.rules)
    two, four, ten = timedelta(days=2), timedelta(days=4), timedelta(days=10)
    assert rules.default == Cadence((two, four), 3)
    assert rules.for_contact("kim@bigcorp.example") == Cadence((ten,), 3)  # max_followups from the rules
    assert rules.for_contact("dana@northwind.example") == Cadence((two, four), 1)  # cadence from the rules
    assert rules.for_contact("sam@example.org") == rules.default


def test_the_configs_defaults_are_the_cadences_defaults():
    config = parse_config({"account": {"email": ME}, "imap": {"host": "imap.example.com"}}, {"HOME": "/home/pat"})
    assert cadence_rules(config.rules) == CadenceRules()


def test_an_old_config_keeps_its_first_wait():
    config = parse_config({"account": {"email": ME}, "imap": {"host": "imap.example.com"},
                           "rules": {"no_reply_after": "2d"}}, {"HOME": "/home/pat"})
    assert cadence_rules(config.rules).default == Cadence(
        (timedelta(days=2), timedelta(days=5), timedelta(days=7), timedelta(days=14), timedelta(days=30)), 5)


def item(followups: int, max_followups: int = 5, kind: str = "no_reply") -> Reminder:
    return Reminder(key=f"{kind}:m@example.com", kind=kind, subject="Pricing", contact=Address(DANA, "Dana Lee"),
                    since=FIRST, due=date(2026, 11, 19), thread="m@example.com", last_message_id="m@example.com",
                    followups=followups, max_followups=max_followups)


@pytest.mark.parametrize("followups, max_followups, kind, last_call, label", [
    (0, 5, "no_reply", False, "next: follow-up 1 of 5"),
    (1, 5, "no_reply", False, "next: follow-up 2 of 5"),
    (4, 5, "no_reply", False, "next: follow-up 5 of 5"),
    (5, 5, "no_reply", True, "no answer after 5 follow-ups: stop, or keep going?"),
    (1, 1, "no_reply", True, "no answer after 1 follow-up: stop, or keep going?"),
    (6, 5, "no_reply", False, "next: follow-up 7 (past the 5 planned)"),
    (3, 0, "no_reply", False, ""),   # no limit known (a reminder stored before cadences)
    (0, 0, "promise", False, ""),
])
def test_last_call_and_step_label(followups, max_followups, kind, last_call, label):
    reminder = item(followups, max_followups, kind)
    assert is_last_call(reminder) is last_call
    assert step_label(reminder) == label
