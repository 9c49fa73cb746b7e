"""The nudge for issue 3: promise and check-back lines, and declines listed once at the end.

Lines are asserted whole, as the README shows them, so a doubled full stop or a wrong date is
caught. Dates are in November 2026; the user's zone is Berlin.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from watcher.digest import NudgeSettings, build_nudge, describe
from watcher.model import Address, Reminder

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 22, 8, 0, tzinfo=BERLIN)  # Sunday
TODAY = date(2026, 11, 22)
SETTINGS = NudgeSettings(to="pat@example.com", sender="pat@example.com", account_email="pat@example.com", zone=BERLIN)
DANA = Address("dana@northwind.example", "Dana Lee")
EMMA = Address("emma@fabrikam.example", "Emma Schulz")
KEVIN = Address("kevin@tailspin.example", "Kevin Murphy")
SENTENCE = "I'll send the revised contract by Friday."


def promise(text: str = SENTENCE, *, contact: Address = DANA, since=datetime(2026, 11, 17, 10, 0, tzinfo=BERLIN),
            due=date(2026, 11, 20), snippet: str | None = None) -> Reminder:
    return Reminder(key="promise:m1@example.com:0", kind="promise", subject="Contract for 2027", contact=contact,
                    since=since, due=due, thread="m1@example.com", last_message_id="m1@example.com",
                    snippet=text if snippet is None else snippet, text=text)


def check_back(text: str, *, since, due) -> Reminder:
    return Reminder(key="check_back:r1@fabrikam.example", kind="check_back", subject="Partner programme",
                    contact=EMMA, since=since, due=due, thread="m0@example.com",
                    last_message_id="r1@fabrikam.example", snippet=text, text=text)


def decline(text: str = "We went with another vendor.", *, since=datetime(2026, 11, 18, 9, 30, tzinfo=BERLIN),
            contact: Address = KEVIN, subject: str = "Partner programme") -> Reminder:
    """A decline as ``jobs.unreported_declines`` hands it to the nudge (``since`` keeps the writer's offset)."""
    return Reminder(key="decline:r9@tailspin.example", kind="decline", subject=subject, contact=contact,
                    since=since, due=since.date(), thread="m9@example.com", last_message_id="r9@tailspin.example",
                    text=text)


@pytest.mark.parametrize("item, today, expected", [
    (promise(), TODAY,
     "You told Dana on Tue 17 Nov: “I'll send the revised contract by Friday”. Due Fri 20 Nov, 2 days ago."),
    # a sentence without a full stop gets exactly one
    (promise("I'll send the revised contract by Friday"), TODAY,
     "You told Dana on Tue 17 Nov: “I'll send the revised contract by Friday”. Due Fri 20 Nov, 2 days ago."),
    # its own "!" stays; ours follows the quote
    (promise("I'll send the revised contract by Friday!"), TODAY,
     "You told Dana on Tue 17 Nov: “I'll send the revised contract by Friday!”. Due Fri 20 Nov, 2 days ago."),
    (promise(), date(2026, 11, 20),
     "You told Dana on Tue 17 Nov: “I'll send the revised contract by Friday”. Due Fri 20 Nov, today."),
    (promise(), date(2026, 11, 21),
     "You told Dana on Tue 17 Nov: “I'll send the revised contract by Friday”. Due Fri 20 Nov, 1 day ago."),
    (promise(), date(2026, 11, 19),
     "You told Dana on Tue 17 Nov: “I'll send the revised contract by Friday”. Due Fri 20 Nov, in 1 day."),
    # written late on Monday in UTC is Tuesday in Berlin
    (promise(since=datetime(2026, 11, 16, 23, 30, tzinfo=timezone.utc)), TODAY,
     "You told Dana on Tue 17 Nov: “I'll send the revised contract by Friday”. Due Fri 20 Nov, 2 days ago."),
    # no display name: the address
    (promise(contact=Address("dana@northwind.example")), TODAY,
     "You told dana@northwind.example on Tue 17 Nov: “I'll send the revised contract by Friday”. "
     "Due Fri 20 Nov, 2 days ago."),
    # no text stored: the snippet
    (promise("", snippet="I'll call you on Monday."), TODAY,
     "You told Dana on Tue 17 Nov: “I'll call you on Monday”. Due Fri 20 Nov, 2 days ago."),
    (check_back("Please reach out again in January.", since=datetime(2026, 10, 22, 14, 0, tzinfo=BERLIN),
                due=date(2027, 1, 1)), date(2027, 1, 1),
     "Emma asked you on Thu 22 Oct to get back in touch: “Please reach out again in January”. Due Fri 1 Jan, today."),
    (check_back("Please check back with me in two weeks.", since=datetime(2026, 11, 17, 10, 0, tzinfo=BERLIN),
                due=date(2026, 12, 1)), date(2026, 12, 3),
     "Emma asked you on Tue 17 Nov to get back in touch: “Please check back with me in two weeks”. "
     "Due Tue 1 Dec, 2 days ago."),
])
def test_describe_promise_and_check_back(item, today, expected):
    assert describe(item, today, BERLIN) == [expected]


@pytest.mark.parametrize("name", ["Lee, Dana", "Dr. Dana Lee"])
def test_describe_names_the_contact_sensibly(name):
    [line] = describe(promise(contact=Address("dana@northwind.example", name)), TODAY, BERLIN)
    named = line.removeprefix("You told ").split(" on Tue 17 Nov")[0]
    assert named in ("Dana", "Dana Lee", "Lee, Dana")


def parts(items, declines=()):
    nudge = build_nudge(items, NOW, SETTINGS, declines)
    parsed = message_from_bytes(nudge.as_bytes(), policy=policy.default)
    return parsed.get_body(("plain",)).get_content(), parsed.get_body(("html",)).get_content()


DECLINE_LINE = ("Kevin Murphy (Partner programme) on Wed 18 Nov: “We went with another vendor.” "
                "Closed for good; they won't be nudged again.")


def test_declines_are_listed_once_in_text_and_html():
    other = decline("Please remove me from your mailing list.", contact=Address("sam@contoso.example"),
                    subject="", since=datetime(2026, 11, 19, 16, 0, tzinfo=BERLIN))
    text, html = parts([promise()], [decline(), other])
    assert text.count("Declined since the last nudge:") == 1
    assert text.count(f"- {DECLINE_LINE}\n") == 1
    assert text.count("- sam@contoso.example (no subject) on Thu 19 Nov: “Please remove me from your mailing list.” "
                      "Closed for good; they won't be nudged again.\n") == 1
    # after the due items, before the signature
    assert text.index("You told Dana") < text.index("Declined since") < text.index("\n-- \n")
    assert html.count("<b>Declined since the last nudge</b>") == 1
    assert html.count(DECLINE_LINE.replace("'", "&#x27;")) == 1
    assert html.count("sam@contoso.example (no subject) on Thu 19 Nov") == 1


def test_decline_text_is_escaped_in_html():
    text, html = parts([promise()], [decline("Not interested <at all> & never.")])
    assert "“Not interested <at all> & never.”" in text
    assert "“Not interested &lt;at all&gt; &amp; never.”" in html


def test_no_declines_no_section():
    text, html = parts([promise()])
    assert "Declined" not in text
    assert "Declined" not in html


def test_declines_alone_send_no_nudge():
    assert build_nudge([], NOW, SETTINGS, [decline()]) is None
    not_due = promise(due=date(2026, 11, 30))
    assert build_nudge([not_due], NOW, SETTINGS, [decline()]) is None


def test_decline_date_is_in_the_users_zone():
    # Tue 17 Nov 01:30 in Tokyo is Mon 16 Nov 17:30 in Berlin
    late = decline(since=datetime(2026, 11, 17, 1, 30, tzinfo=TOKYO))
    text, _ = parts([promise()], [late])
    assert "Kevin Murphy (Partner programme) on Mon 16 Nov:" in text
