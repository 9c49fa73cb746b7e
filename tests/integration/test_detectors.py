"""What people wrote, read end to end: real Dovecot, real SMTP sink, the installed command.

Done-when of issue 3: a promise with "tomorrow" or "by Friday" is due on the right date; a
check-back request schedules a reminder then and holds back nagging until then; a decline closes
the thread for good and is reported once; an out-of-office with a return date pushes the reminder
past it; FYI and thanks-only mail creates nothing; a promise kept by a later message disappears.

Issue 14: a proposal and two bumps are one wait with two follow-ups; a promise for a distant season
is not due this week; a soft no becomes a check-back shown as "said not now"; an objection is no
decline; an out-of-office note without any header is no answer; "by EOD tomorrow" is tomorrow.
"""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.integration.mailservers import make_message, run_cli, write_config

NOW = datetime.now(timezone.utc)
NEW_YORK = timezone(timedelta(hours=-5))
DANA = "Dana Lee <dana@northwind.example>"


@pytest.fixture
def account(dovecot, mail_user, smtp_sink, tmp_path):
    user, password = mail_user

    class Account:
        email = user
        me = f"Pat Weber <{user}>"

        @staticmethod
        def config(extra_sections=None):
            return write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                                state_path=tmp_path / "state.json", smtp_port=smtp_sink.port,
                                extra_sections=extra_sections)

        @staticmethod
        def sent(subject, body, when, mid, **headers):
            dovecot.append(user, "Sent", make_message(sender=Account.me, to=DANA, subject=subject, body=body,
                                                      date=when, message_id=f"<{mid}>", **headers),
                           flags=[b"\\Seen"])

        @staticmethod
        def received(subject, body, when, mid, reply_to_mid, sender=DANA, extra_headers=None):
            dovecot.append(user, "INBOX", make_message(
                sender=sender, to=Account.me, subject=subject, body=body, date=when, message_id=f"<{mid}>",
                in_reply_to=f"<{reply_to_mid}>", references=f"<{reply_to_mid}>", extra_headers=extra_headers))

    return Account


def sync(config) -> str:
    result = run_cli("sync", config=config)
    assert result.returncode == 0, result.stderr
    return result.stdout


def listed(config) -> list[dict]:
    result = run_cli("list", "--json", config=config)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def preview(config) -> str:
    result = run_cli("digest", "--preview", config=config)
    assert result.returncode == 0, result.stderr
    return result.stdout


def next_weekday(day: date, weekday: int) -> date:
    """The first ``weekday`` (Monday = 0) strictly after ``day``."""
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def workday(day: date) -> date:
    """``day``, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def next_business_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_promises_are_due_on_the_day_they_name(account):
    config = account.config()
    written = (NOW - timedelta(days=6)).astimezone(NEW_YORK).replace(hour=16, minute=30)
    account.sent("Contract review", "Hi Dana,\n\nthanks for the call. I'll call you tomorrow to go through the "
                 "open points.\n\nPat", written, "p1@example.com")
    account.sent("Pricing", "Dana,\n\nWe will send the revised contract by Friday.\n\nBest,\nPat",
                 written, "p2@example.com")
    sync(config)

    promises = {item["subject"]: item for item in listed(config) if item["kind"] == "promise"}
    assert promises["Contract review"]["due"] == (written.date() + timedelta(days=1)).isoformat()
    assert promises["Contract review"]["text"] == "I'll call you tomorrow to go through the open points."
    assert promises["Pricing"]["due"] == next_weekday(written.date(), 4).isoformat()
    assert promises["Pricing"]["text"] == "We will send the revised contract by Friday."
    nudge = preview(config)
    assert "You told Dana on" in nudge and "“I'll call you tomorrow to go through the open points”" in nudge


def test_the_calendar_attachment_carries_the_open_promises(account, smtp_sink):
    config = account.config({"digest": {"calendar": True}})
    account.sent("Slides", "Hi Dana,\n\nI'll send you the slides tomorrow.\n\nPat",
                 NOW - timedelta(days=3), "c1@example.com")
    account.sent("Budget", "Hi Dana,\n\nI will share the budget next week.\n\nPat",
                 NOW - timedelta(hours=1), "c2@example.com")  # due later: in the calendar, not the nudge
    sync(config)
    result = run_cli("digest", "--send", config=config)
    assert result.returncode == 0, result.stderr
    (delivered,) = smtp_sink.wait_for(1)
    nudge = message_from_bytes(delivered.raw, policy=policy.default)
    (attachment,) = list(nudge.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = attachment.get_content()
    calendar = calendar.decode("utf-8") if isinstance(calendar, bytes) else calendar
    promises = {item["subject"]: item for item in listed(config)}
    assert calendar.count("BEGIN:VEVENT") == 2
    for subject in ("Slides", "Budget"):
        assert f"DTSTART;VALUE=DATE:{promises[subject]['due'].replace('-', '')}" in calendar
    unfolded = calendar.replace("\r\n ", "")
    assert "SUMMARY:Promised Dana Lee: Send you the slides tomorrow" in unfolded
    assert "Budget" not in nudge.get_body(("plain",)).get_content()


def test_a_promise_kept_by_a_later_message_disappears(account):
    config = account.config()
    account.sent("Slides", "Hi Dana,\n\nI'll send you the slides tomorrow.\n\nPat",
                 NOW - timedelta(days=5), "k1@example.com")
    sync(config)
    assert [item["kind"] for item in listed(config)] == ["promise"]

    account.sent("Re: Slides", "Here are the slides, as promised.\n\nPat", NOW - timedelta(hours=2), "k2@example.com",
                 in_reply_to="<k1@example.com>", references="<k1@example.com>")
    sync(config)
    assert listed(config) == []


def test_a_check_back_request_schedules_a_reminder_and_holds_back_nagging(account):
    config = account.config()
    asked = (NOW - timedelta(days=4)).astimezone(NEW_YORK)
    account.sent("Partnership", "Hi Dana,\n\nwould you be open to a pilot in Q1? Could we talk this week?\n\nPat",
                 NOW - timedelta(days=6), "c1@example.com")
    account.received("Re: Partnership", "Hi Pat,\n\nnot right now, we're in the middle of a reorg. Please check "
                     "back with me in two weeks.\n\nDana", asked, "c2@northwind.example", "c1@example.com")
    account.sent("Re: Partnership", "Understood, thanks Dana. Just to confirm, can I send you the deck in the "
                 "meantime?\n\nPat", NOW - timedelta(days=3, hours=20), "c3@example.com",
                 in_reply_to="<c2@northwind.example>", references="<c1@example.com> <c2@northwind.example>")
    sync(config)

    items = listed(config)
    check_back = [item for item in items if item["kind"] == "check_back"]
    assert len(check_back) == 1
    assert check_back[0]["due"] == workday(asked.date() + timedelta(days=14)).isoformat()
    assert check_back[0]["text"] == "Please check back with me in two weeks."
    # my question after their request would be "unanswered" after 3 business days; they asked me to wait
    for item in items:
        assert item["due"] >= check_back[0]["due"], item
    assert "Partnership" not in preview(config)


def test_a_decline_closes_the_thread_for_good_and_is_reported_once(account, smtp_sink, dovecot):
    config = account.config()
    account.sent("Our analytics offer", "Hi Dana,\n\ncould we set up a 20-minute demo next week?\n\nPat",
                 NOW - timedelta(days=12), "d1@example.com")
    account.received("Re: Our analytics offer", "Hi Pat,\n\nthanks, but we went with another vendor. "
                     "Please remove me from your list.\n\nDana", NOW - timedelta(days=8), "d2@northwind.example",
                     "d1@example.com")
    # something else is due, so a nudge goes out today (a decline alone sends none)
    dovecot.append(account.email, "Sent", make_message(
        sender=account.me, to="Greg Hall <greg@contoso.example>", subject="Budget",
        body="Hi Greg,\n\ndid the budget get approved?\n\nPat", date=NOW - timedelta(days=9),
        message_id="<g1@example.com>"), flags=[b"\\Seen"])
    sync(config)
    assert [item["contact"] for item in listed(config)] == ["greg@contoso.example"]

    result = run_cli("digest", "--send", config=config)
    assert result.returncode == 0, result.stderr
    (delivered,) = smtp_sink.wait_for(1)
    body = message_from_bytes(delivered.raw, policy=policy.default).get_body(("plain",)).get_content()
    assert "Declined since the last nudge" in body and "we went with another vendor" in body

    # a later message of mine in the same thread does not reopen it
    account.sent("Re: Our analytics offer", "Hi Dana,\n\njust checking in: any chance to reconsider?\n\nPat",
                 NOW - timedelta(days=6), "d3@example.com", in_reply_to="<d2@northwind.example>",
                 references="<d1@example.com> <d2@northwind.example>")
    sync(config)
    assert [item for item in listed(config) if item["thread"] == "<d1@example.com>"] == []
    assert "Declined since the last nudge" not in preview(config)


def test_an_out_of_office_reply_moves_the_reminder_past_the_return_date(account):
    config = account.config()
    back = (NOW + timedelta(days=6)).date()
    account.sent("Invoice 2231", "Hi Dana,\n\ncan you confirm the invoice address?\n\nPat",
                 NOW - timedelta(days=10), "o1@example.com")
    account.received("Automatic reply: Invoice 2231",
                     f"I am out of the office until {back:%A}, {back:%B} {back.day}, with limited access to "
                     "email. For urgent matters please contact office@northwind.example.",
                     NOW - timedelta(days=10) + timedelta(minutes=1), "o2@northwind.example", "o1@example.com",
                     extra_headers={"Auto-Submitted": "auto-replied"})
    sync(config)

    (item,) = listed(config)
    assert item["kind"] == "no_reply"
    assert item["due"] == next_business_day(workday(back)).isoformat()  # back on a weekend: Monday
    assert "Invoice 2231" not in preview(config)


def test_fyi_and_thanks_only_mail_creates_nothing(account):
    config = account.config()
    account.sent("Minutes", "Hi all,\n\nFYI, the minutes of Tuesday's meeting are attached. No need to reply."
                 "\n\nPat", NOW - timedelta(days=10), "f1@example.com")
    account.sent("Re: Your order", "Thanks a lot, got it!\n\nPat", NOW - timedelta(days=9), "f2@example.com")
    account.sent("Report", "Dana,\n\nattached is the Q3 report you asked for.\n\nBest,\nPat",
                 NOW - timedelta(days=8), "f3@example.com")
    sync(config)
    assert listed(config) == []


# --- issue 14: sequences read end to end ---------------------------------------------------------
def test_a_proposal_and_two_bumps_are_one_wait_with_two_follow_ups(account):
    config = account.config()
    account.sent("Proposal: analytics rollout", "Hi Dana,\n\nAttached is our proposal for the 40-seat rollout, "
                 "with the first-year pricing.\n\nLet me know if you have any questions.\n\nBest,\nPat",
                 NOW - timedelta(days=14), "b1@example.com")
    account.sent("Re: Proposal: analytics rollout", "Hi Dana,\n\nJust following up on the below.\n\nPat",
                 NOW - timedelta(days=9), "b2@example.com", in_reply_to="<b1@example.com>",
                 references="<b1@example.com>")
    account.sent("Re: Proposal: analytics rollout", "Hi Dana,\n\nCircling back on this one in case it got "
                 "buried.\n\nPat", NOW - timedelta(days=2), "b3@example.com", in_reply_to="<b2@example.com>",
                 references="<b1@example.com> <b2@example.com>")
    sync(config)

    (item,) = listed(config)
    assert (item["kind"], item["followups"], item["contact"]) == ("no_reply", 2, "dana@northwind.example")
    assert item["last_message_id"] == "<b3@example.com>"


def test_a_promise_for_a_distant_season_is_not_due_this_week(account):
    config = account.config()
    today = NOW.astimezone(NEW_YORK).date()
    # the first season (meteorological: 1 March, June, September, December) starting two months out or more
    starts = [date(year, month, 1) for year in (today.year, today.year + 1) for month in (3, 6, 9, 12)]
    start = next(day for day in starts if day > today + timedelta(days=60))
    season = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}[start.month]
    account.sent("Renewal", f"Hi Dana,\n\nthanks for the call. I'll be in touch in the {season} about the "
                 "renewal.\n\nPat", NOW - timedelta(days=3), "s1@example.com")
    sync(config)

    (item,) = listed(config)
    assert item["kind"] == "promise" and item["due"] == start.isoformat()
    assert "Renewal" not in preview(config)


def test_a_soft_no_becomes_a_check_back_said_not_now(account):
    config = account.config()
    account.sent("Demo", "Hi Dana,\n\ncould we set up a 20-minute demo next week?\n\nPat",
                 NOW - timedelta(days=12), "n1@example.com")
    replied = (NOW - timedelta(days=10)).astimezone(NEW_YORK)
    account.received("Re: Demo", "Hi Pat,\n\nthanks, but this isn't a priority for us this year.\n\nDana",
                     replied, "n2@northwind.example", "n1@example.com")
    sync(config)

    (item,) = listed(config)
    january = date(replied.year + 1, 1, 2)
    while january.weekday() >= 5:
        january += timedelta(days=1)
    assert (item["kind"], item["said_not_now"], item["due"]) == ("check_back", True, january.isoformat())
    assert item["text"] == "thanks, but this isn't a priority for us this year."
    table = run_cli("list", config=config).stdout
    assert "said not now" in table
    assert "Demo" not in preview(config)  # permission to ask again in January, and not before


def test_an_objection_is_answered_and_the_answer_is_tracked(account):
    config = account.config()
    account.sent("Quote", "Hi Dana,\n\nhere's the quote for the full team. Does it work for you?\n\nPat",
                 NOW - timedelta(days=12), "q1@example.com")
    account.received("Re: Quote", "Hi Pat,\n\nwe have no budget for this.\n\nDana", NOW - timedelta(days=11),
                     "q2@northwind.example", "q1@example.com")
    account.sent("Re: Quote", "Hi Dana,\n\nunderstood. Would a 10-seat pilot at half the price fit instead?\n\nPat",
                 NOW - timedelta(days=10), "q3@example.com", in_reply_to="<q2@northwind.example>",
                 references="<q1@example.com> <q2@northwind.example>")
    sync(config)

    (item,) = listed(config)
    assert (item["kind"], item["last_message_id"]) == ("no_reply", "<q3@example.com>")
    assert "Declined" not in preview(config)


def test_an_out_of_office_note_without_a_header_is_no_answer(account):
    config = account.config()
    back = (NOW + timedelta(days=6)).astimezone(NEW_YORK).date()
    account.sent("Contract", "Hi Dana,\n\ncan you confirm the billing address on the contract?\n\nPat",
                 NOW - timedelta(days=10), "w1@example.com")
    account.received("Re: Contract", f"I am currently out of the office until {back:%B} {back.day} with limited "
                     "access to email.\n\nDana", NOW - timedelta(days=10) + timedelta(minutes=2),
                     "w2@northwind.example", "w1@example.com")  # no Auto-Submitted or any other header
    sync(config)

    (item,) = listed(config)
    assert item["kind"] == "no_reply" and item["last_message_id"] == "<w1@example.com>"
    assert item["due"] == next_business_day(workday(back)).isoformat()


def test_a_due_date_said_as_eod_tomorrow(account):
    config = account.config()
    written = (NOW - timedelta(days=2)).astimezone(NEW_YORK).replace(hour=18, minute=0)
    account.sent("Redline", "Hi Dana,\n\nI'll send the redline by EOD tomorrow.\n\nPat", written, "e1@example.com")
    sync(config)

    (item,) = listed(config)
    assert (item["kind"], item["due"]) == ("promise", (written.date() + timedelta(days=1)).isoformat())
