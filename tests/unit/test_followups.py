"""From one thread to its follow-ups, with the real rules reading each message's text.

Every thread is built from plain ``Message`` values by ``build_threads`` and read by the real
``read_message``, so the whole pure core runs: findings, then the follow-up rules. Dates are in the
week of Monday 16 November 2026, Berlin time; waits are business days.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from watcher.findings import read_message
from watcher.followups import FollowupSettings, find_followups, why_closed
from watcher.model import Address, Message, Thread
from watcher.rules.no_reply import NoReplySettings
from watcher.threads import build_threads
from watcher.workdays import WorkCalendar

BERLIN = ZoneInfo("Europe/Berlin")
PAT = Address("pat@example.com", "Pat Weber")
DANA = Address("dana@northwind.example", "Dana Lee")
GREG = Address("greg@contoso.example", "Greg Hall")
NOAH = Address("noah.lindqvist@adventure-works.example", "Noah Lindqvist")
VACATION = "Auto-Submitted: auto-replied (vacation)"  # what parse.automation_reason gives an RFC 3834 vacation note
BOUNCE = "delivery report (multipart/report)"


def is_me(email: str) -> bool:
    return email.lower() == PAT.email


def settings(track: str = "expecting_reply", date_order: str = "dmy") -> FollowupSettings:
    return FollowupSettings(
        no_reply=NoReplySettings(wait=timedelta(days=3), calendar=WorkCalendar(True, frozenset()), zone=BERLIN),
        track=track, promise_default_due=timedelta(days=2), date_order=date_order)


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BERLIN)


def mail(mid: str, when: datetime, text: str | None, *, sender: Address = PAT, to: tuple[Address, ...] = (DANA,),
         cc: tuple[Address, ...] = (), parent: str | None = None, subject: str = "Contract for 2027",
         automated: str | None = None, list_mail: bool = False) -> Message:
    """One message in a reply chain: ``parent`` is the message it answers."""
    return Message(message_id=mid, subject=subject if parent is None else f"Re: {subject}", sender=sender,
                   to=to, cc=cc, date=when, in_reply_to=(parent,) if parent else (),
                   references=(parent,) if parent else (), automated=automated, text=text, list_mail=list_mail)


def thread_of(*messages: Message) -> Thread:
    [thread] = build_threads(messages)
    return thread


def followups(*messages: Message, track: str = "expecting_reply", date_order: str = "dmy"):
    read = partial(read_message, is_me=is_me, date_order=date_order)
    return find_followups(thread_of(*messages), is_me, settings(track, date_order), read)


def summary(result) -> list[tuple[str, str, date]]:
    """The reminders as (kind, key, due), which is what a user sees change."""
    return [(r.kind, r.key, r.due) for r in result.reminders]


# --- (a), (b): no_reply, and which of my messages wait for an answer --------------------------------------

@pytest.mark.parametrize("text, sent, track, expected", [
    # FYI and thanks ask for nothing: nothing to wait for unless every sent mail is tracked
    ("FYI, the slides are attached.", at(17), "expecting_reply", []),
    ("Thanks for the update, all good.", at(17), "expecting_reply", []),
    ("FYI, the slides are attached.", at(17), "all", [("no_reply", "no_reply:m1@example.com", date(2026, 11, 20))]),
    ("Thanks for the update, all good.", at(17), "all", [("no_reply", "no_reply:m1@example.com", date(2026, 11, 20))]),
    # a question is due three business days later: Tue -> Fri, Thu -> the Tuesday after the weekend
    ("Could you send me the price list?", at(17), "expecting_reply",
     [("no_reply", "no_reply:m1@example.com", date(2026, 11, 20))]),
    ("Could you send me the price list?", at(19), "expecting_reply",
     [("no_reply", "no_reply:m1@example.com", date(2026, 11, 24))]),
    # a body that was never read counts as asking
    (None, at(17), "expecting_reply", [("no_reply", "no_reply:m1@example.com", date(2026, 11, 20))]),
])
def test_no_reply_waits_only_for_messages_that_ask(text, sent, track, expected):
    result = followups(mail("m1@example.com", sent, text), track=track)
    assert summary(result) == expected
    assert result.decline is None


def test_no_reply_waits_when_any_unanswered_message_asks():
    result = followups(
        mail("m1@example.com", at(16), "FYI, the slides are attached."),
        mail("m2@example.com", at(17), "Could you send me the price list?", parent="m1@example.com"),
    )
    # keyed by my first unanswered message, due three business days after my latest
    assert summary(result) == [("no_reply", "no_reply:m1@example.com", date(2026, 11, 20))]
    assert result.reminders[0].followups == 1


def test_an_answer_ends_the_wait():
    result = followups(
        mail("m1@example.com", at(16), "Could you send me the price list?"),
        mail("r1@northwind.example", at(17), "Here it is.", sender=DANA, to=(PAT,), parent="m1@example.com"),
    )
    assert summary(result) == []


# --- (c) promises ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, sent, expected_text, expected_due", [
    ("I'll send the contract by Friday.", at(17), "I'll send the contract by Friday.", date(2026, 11, 20)),
    ("Thanks! I'll call you on Monday 23 November.", at(17), "I'll call you on Monday 23 November.",
     date(2026, 11, 23)),
    # no date named: promise_default_due (2 business days) after writing
    ("I'll look into it and get back to you.", at(17), "I'll look into it and get back to you.", date(2026, 11, 19)),
    ("I'll look into it and get back to you.", at(19), "I'll look into it and get back to you.", date(2026, 11, 23)),
])
def test_promise_is_due_on_its_date_or_two_business_days_later(text, sent, expected_text, expected_due):
    result = followups(mail("m1@example.com", sent, text))
    [promise] = result.reminders  # the promise asks nothing, so there is no no_reply
    assert (promise.kind, promise.key, promise.due) == ("promise", "promise:m1@example.com:0", expected_due)
    assert promise.text == expected_text
    assert promise.contact == DANA
    assert promise.since == sent
    assert promise.last_message_id == "m1@example.com"


def test_promise_in_a_question_gives_both_reminders():
    result = followups(mail("m1@example.com", at(17),
                            "Could you send me the price list? I'll send the contract by Friday."))
    assert summary(result) == [
        ("promise", "promise:m1@example.com:0", date(2026, 11, 20)),
        ("no_reply", "no_reply:m1@example.com", date(2026, 11, 20)),
    ]


def test_two_promises_in_one_message_are_numbered():
    result = followups(mail("m1@example.com", at(17),
                            "I'll send the contract by Friday. I'll call you on Monday 23 November."))
    assert summary(result) == [
        ("promise", "promise:m1@example.com:0", date(2026, 11, 20)),
        ("promise", "promise:m1@example.com:1", date(2026, 11, 23)),
    ]


def test_a_contacts_promise_is_not_mine_to_keep():
    result = followups(
        mail("m1@example.com", at(16), "Could you send me the price list?"),
        mail("r1@northwind.example", at(17), "I'll send the price list by Friday.", sender=DANA, to=(PAT,),
             parent="m1@example.com"),
    )
    assert summary(result) == []


# --- (d) a promise is kept when I write to that contact again ------------------------------------------------

PROMISE = mail("m1@example.com", at(17), "I'll send the contract by Friday.")


@pytest.mark.parametrize("later, expected", [
    # I wrote to Dana again: kept
    (mail("m2@example.com", at(19), "Here is the contract.", parent="m1@example.com"), []),
    # Dana only in Cc still counts as writing to her
    (mail("m2@example.com", at(19), "Here is the contract.", to=(GREG,), cc=(DANA,), parent="m1@example.com"), []),
    # a message to someone else in the thread keeps nothing
    (mail("m2@example.com", at(19), "Here is the contract.", to=(GREG,), parent="m1@example.com"),
     [("promise", "promise:m1@example.com:0", date(2026, 11, 20))]),
    # Dana answering is not me keeping my word
    (mail("r1@northwind.example", at(18), "Thanks, looking forward to it.", sender=DANA, to=(PAT,),
          parent="m1@example.com"),
     [("promise", "promise:m1@example.com:0", date(2026, 11, 20))]),
])
def test_promise_is_kept_by_writing_to_that_contact_later(later, expected):
    result = followups(PROMISE, later)
    assert [r for r in summary(result) if r[0] == "promise"] == expected


def test_why_closed_says_the_promise_was_kept_and_when():
    [promise] = followups(PROMISE).reminders
    kept = thread_of(PROMISE, mail("m2@example.com", at(19), "Here is the contract.", parent="m1@example.com"))
    assert why_closed(promise, kept, is_me) == "kept: you wrote to Dana Lee on 2026-11-19"


def test_why_closed_without_a_later_message_to_the_contact():
    [promise] = followups(PROMISE).reminders
    elsewhere = thread_of(PROMISE, mail("m2@example.com", at(19), "Here is the contract.", to=(GREG,),
                                        parent="m1@example.com"))
    assert why_closed(promise, elsewhere, is_me) == "no longer found in the thread"


def test_why_closed_for_an_answered_no_reply():
    question = mail("m1@example.com", at(16), "Could you send me the price list?")
    [waiting] = followups(question).reminders
    answered = thread_of(question, mail("r1@northwind.example", at(18), "Here it is.", sender=DANA, to=(PAT,),
                                        parent="m1@example.com"))
    assert why_closed(waiting, answered, is_me) == "answered by Dana Lee on 2026-11-18"


# --- (e) a decline closes the thread --------------------------------------------------------------------------

QUESTION = mail("m1@example.com", at(16), "Could you send me the price list? I'll send the contract by Friday.")
DECLINE = mail("r1@northwind.example", at(17), "Thanks, we went with another vendor.", sender=DANA, to=(PAT,),
               parent="m1@example.com")


@pytest.mark.parametrize("messages", [
    (QUESTION, DECLINE),
    # I wrote again after the decline: still closed, no no_reply and no promise
    (QUESTION, DECLINE, mail("m2@example.com", at(18), "Could you tell me why?", parent="r1@northwind.example")),
    (QUESTION, DECLINE, mail("m2@example.com", at(18), "I'll call you on Monday 23 November.",
                             parent="r1@northwind.example")),
])
def test_decline_closes_the_thread_for_good(messages):
    result = followups(*messages)
    assert result.reminders == []
    decline = result.decline
    assert decline is not None
    assert decline.key == "decline:r1@northwind.example"
    assert decline.contact == DANA
    assert decline.text == "Thanks, we went with another vendor."
    assert decline.date == at(17)
    assert decline.thread == "m1@example.com"
    assert decline.ids == frozenset(m.message_id for m in messages)


def test_my_own_no_thanks_is_no_decline():
    result = followups(mail("m1@example.com", at(17), "We went with another vendor."), track="all")
    assert result.decline is None
    assert summary(result) == [("no_reply", "no_reply:m1@example.com", date(2026, 11, 20))]


# --- (f) out-of-office replies move no_reply --------------------------------------------------------------------

def ask_noah(reply_text: str | None, automated: str | None = VACATION, reply_subject: str = "Auto: Pilot timeline",
             reply_day: int = 18):
    question = mail("m1@example.com", at(17), "Could you confirm the pilot start date?", to=(NOAH,),
                    subject="Pilot timeline")
    auto = replace(mail("oof1@adventure-works.example", at(reply_day, 11), reply_text, sender=NOAH, to=(PAT,),
                        parent="m1@example.com", automated=automated), subject=reply_subject)
    return followups(question, auto)


@pytest.mark.parametrize("reply_text, automated, reply_subject, expected_due", [
    # back Mon 30 Nov -> due the next business day after the return
    ("I am out of the office until Monday, November 30, and will answer your email when I'm back.",
     VACATION, "Auto: Pilot timeline", date(2026, 12, 1)),
    # X-Autoreply vacation note, "back on 3/12" read day-first
    ("I'm on holiday with no access to email and back on 3/12.", "X-Autoreply: yes", "Re: Pilot timeline",
     date(2026, 12, 4)),
    # back on a Friday: due the Monday after
    ("I am out of the office until Friday, November 27.", VACATION, "Auto: Pilot timeline", date(2026, 11, 30)),
    # back before the wait ends: the usual due date stands
    ("I am out of the office until Wednesday, November 18.", VACATION, "Auto: Pilot timeline", date(2026, 11, 20)),
    # out of office without a return date: nothing to move
    ("I am out of the office with limited access to email.", VACATION, "Auto: Pilot timeline", date(2026, 11, 20)),
    # a bounce is no out-of-office, whatever dates it names
    ("Delivery delayed until Monday, November 30.", BOUNCE, "Undelivered Mail Returned to Sender",
     date(2026, 11, 20)),
    # the auto-reply's body was not read
    (None, VACATION, "Auto: Pilot timeline", date(2026, 11, 20)),
])
def test_out_of_office_return_moves_no_reply(reply_text, automated, reply_subject, expected_due):
    result = ask_noah(reply_text, automated, reply_subject)
    assert summary(result) == [("no_reply", "no_reply:m1@example.com", expected_due)]


@pytest.mark.parametrize("reply_text", [
    "I am out of the office through Friday, November 27.",
    "I am away from 18 Nov to 27 Nov.",
])
def test_an_absence_ending_on_friday_is_due_the_business_day_after_monday(reply_text):
    assert summary(ask_noah(reply_text)) == [("no_reply", "no_reply:m1@example.com", date(2026, 12, 1))]


def test_out_of_office_before_my_latest_question_does_not_move_it():
    old = mail("m0@example.com", at(9), "Could you confirm the pilot start date?", to=(NOAH,), subject="Pilot")
    oof = replace(mail("oof0@adventure-works.example", at(9, 11), "I am out of the office until Monday, November 30.",
                       sender=NOAH, to=(PAT,), parent="m0@example.com", automated=VACATION), subject="Auto: Pilot")
    answer = mail("r1@adventure-works.example", at(16), "Let me check.", sender=NOAH, to=(PAT,),
                  parent="oof0@adventure-works.example", subject="Pilot")
    again = mail("m1@example.com", at(17), "Any news on the start date?", to=(NOAH,),
                 parent="r1@adventure-works.example", subject="Pilot")
    result = followups(old, oof, answer, again)
    assert summary(result) == [("no_reply", "no_reply:m1@example.com", date(2026, 11, 20))]


# --- (g) check-back requests ------------------------------------------------------------------------------------

ASKED = mail("m1@example.com", at(16), "Would you like a demo of the new release?")
CHECK_BACK = mail("r1@northwind.example", at(17), "Not this month. Please check back with me in two weeks.",
                  sender=DANA, to=(PAT,), parent="m1@example.com")


def test_check_back_request_is_due_on_its_date():
    result = followups(ASKED, CHECK_BACK)
    [check_back] = result.reminders
    assert (check_back.kind, check_back.key, check_back.due) == (
        "check_back", "check_back:r1@northwind.example", date(2026, 12, 1))
    assert check_back.contact == DANA
    assert check_back.text == "Please check back with me in two weeks."
    assert check_back.since == at(17)
    assert check_back.last_message_id == "r1@northwind.example"


@pytest.mark.parametrize("my_day, expected", [
    # a question well before the check-back date: not nagged before the date they asked for
    (18, [("check_back", "check_back:r1@northwind.example", date(2026, 12, 1)),
          ("no_reply", "no_reply:m2@example.com", date(2026, 12, 1))]),
    # a week before the date counts as getting back in touch; no_reply still waits until the date
    (24, [("no_reply", "no_reply:m2@example.com", date(2026, 12, 1))]),
    # after the date: the check-back is done and the wait is the usual one
    (30, [("no_reply", "no_reply:m2@example.com", date(2026, 12, 3))]),
])
def test_my_later_question_after_a_check_back_request(my_day, expected):
    later = mail("m2@example.com", at(my_day), "Could you confirm the budget?",
                 parent="r1@northwind.example")
    assert summary(followups(ASKED, CHECK_BACK, later)) == expected


def test_why_closed_says_the_check_back_was_done():
    [check_back] = followups(ASKED, CHECK_BACK).reminders
    later = mail("m2@example.com", at(25), "Checking back as promised: shall we talk?", parent="r1@northwind.example")
    assert why_closed(check_back, thread_of(ASKED, CHECK_BACK, later), is_me) == (
        "done: you wrote to Dana Lee on 2026-11-25")


def test_my_own_check_back_sentence_is_no_request():
    result = followups(mail("m1@example.com", at(17), "Please check back with me in two weeks."))
    assert [r.kind for r in result.reminders] == ["no_reply"]


# --- (h) list mail ------------------------------------------------------------------------------------------------

def test_a_thread_with_list_mail_calls_for_nothing():
    post = mail("list1@lists.example", at(16), "Could anyone recommend a CRM? Not interested in Salesforce.",
                sender=GREG, to=(Address("dach-saas@lists.example"),), list_mail=True, subject="CRM")
    mine = mail("m1@example.com", at(17), "Could you send me the price list? I'll send our notes by Friday.",
                to=(Address("dach-saas@lists.example"), GREG), parent="list1@lists.example", subject="CRM")
    result = followups(post, mine, track="all")
    assert result.reminders == [] and result.decline is None
