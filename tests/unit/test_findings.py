"""What ``read_message`` finds in one message, depending on who wrote it and whether it was read.

My mail is read for promises and questions, a contact's for check-backs and declines, an
auto-reply for its writer's return date; a message whose body was not read yields nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from watcher.findings import Findings, read_message
from watcher.model import Address, Message
from watcher.rules.check_back import CheckBack
from watcher.rules.promises import Promise

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 11, 17, 10, 0, tzinfo=BERLIN)
PAT = Address("pat@example.com", "Pat Weber")
DANA = Address("dana@northwind.example", "Dana Lee")
VACATION = "Auto-Submitted: auto-replied (vacation)"
BOUNCE = "delivery report (multipart/report)"

# One text holding a promise, a question, a check-back request and a decline.
EVERYTHING = ("Could you send me the price list? I'll send the contract by Friday. "
              "Please check back with me in two weeks. Please remove me from your mailing list.")


def is_me(email: str) -> bool:
    return email == PAT.email


def message(sender: Address, text: str | None, *, automated: str | None = None, subject: str = "Contract",
            when: datetime | None = TUESDAY) -> Message:
    return Message(message_id="m1@example.com", subject=subject, sender=sender,
                   to=(DANA,) if sender == PAT else (PAT,), date=when, automated=automated, text=text)


@pytest.mark.parametrize("sender, text, automated, subject, expected", [
    # mine: promises and whether it asks; check-backs and declines are not mine to make
    (PAT, EVERYTHING, None, "Contract", Findings(
        promises=(Promise("I'll send the contract by Friday.", date(2026, 11, 20), "by Friday"),),
        expects_reply=True)),
    (PAT, "Thanks for the update, all good.", None, "Contract", Findings(expects_reply=False)),
    (PAT, "I'll look into it and get back to you.", None, "Contract", Findings(
        promises=(Promise("I'll look into it and get back to you.", None, None),), expects_reply=False)),
    # a contact's: check-back and decline; their promises are not mine
    (DANA, "I'll send the price list by Friday. Please check back with me in two weeks.", None, "Contract",
     Findings(expects_reply=True, check_back=CheckBack("Please check back with me in two weeks.",
                                                       date(2026, 12, 1), "in two weeks"))),
    (DANA, "Thanks, we went with another vendor.", None, "Contract",
     Findings(expects_reply=False, decline="Thanks, we went with another vendor.")),
    # an out-of-office note: only its return date; its "will answer" is no promise, and it asks nothing
    (DANA, "I am out of the office until Monday, November 30, and will answer your email when I'm back. "
           "Could you contact Ella instead?", VACATION, "Auto: Contract",
     Findings(expects_reply=False, out_of_office=True, out_of_office_until=date(2026, 11, 30))),
    (DANA, "I am out of the office and will answer your email when I'm back.", VACATION, "Auto: Contract",
     Findings(expects_reply=False, out_of_office=True)),
    # other machine mail is no out-of-office even when it names a date
    (DANA, "Delivery delayed until Monday, November 30.", BOUNCE, "Undelivered Mail Returned to Sender",
     Findings(expects_reply=False)),
    # the body was not read: nothing is known, not even whether it asks
    (PAT, None, None, "Contract", Findings(expects_reply=None)),
    (DANA, None, None, "Contract", Findings(expects_reply=None)),
    (DANA, None, VACATION, "Auto: Contract", Findings(expects_reply=None, out_of_office=True)),
])
def test_what_is_read_depends_on_the_writer(sender, text, automated, subject, expected):
    assert read_message(message(sender, text, automated=automated, subject=subject), is_me) == expected


def test_the_same_text_from_a_contact_holds_a_check_back_and_a_decline():
    found = read_message(message(DANA, EVERYTHING), is_me)
    assert found == Findings(
        expects_reply=True,
        check_back=CheckBack("Please check back with me in two weeks.", date(2026, 12, 1), "in two weeks"),
        decline="Please remove me from your mailing list.")


def test_an_undated_message_is_not_read():
    found = read_message(message(PAT, EVERYTHING, when=None), is_me)
    assert found == Findings(expects_reply=None)


@pytest.mark.parametrize("date_order, expected", [
    ("dmy", date(2026, 12, 3)),
    ("mdy", date(2027, 3, 12)),
])
def test_return_date_follows_the_date_order(date_order, expected):
    note = message(DANA, "I'm on holiday with no access to email and back on 3/12.", automated="X-Autoreply: yes",
                   subject="Re: Training dates")
    assert read_message(note, is_me, date_order).out_of_office_until == expected


@pytest.mark.parametrize("date_order, expected", [
    ("dmy", date(2026, 12, 3)),
    ("mdy", date(2027, 3, 12)),
])
def test_promise_date_follows_the_date_order(date_order, expected):
    [promise] = read_message(message(PAT, "I'll send the contract by 3/12."), is_me, date_order).promises
    assert promise.due == expected
