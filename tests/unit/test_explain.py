"""``explain_message``: what the watcher sees in one raw message, every detector run.

Hand-made messages (built with ``email.message.EmailMessage``) and the two auto-reply fixtures.
Dates are in the week of Monday 16 November 2026.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from watcher.explain import explain_message

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 11, 17, 10, 0, tzinfo=BERLIN)


def raw(body: str, *, sender: str = "Pat Weber <pat@example.com>", to: str = "Dana Lee <dana@northwind.example>",
        subject: str = "Contract for 2027", when: datetime | None = TUESDAY, headers: dict | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    if when is not None:
        message["Date"] = format_datetime(when)
    message["Message-ID"] = "<m1@example.com>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


FROM_DANA = "Dana Lee <dana@northwind.example>"
NOTHING = {"promises": [], "expects_reply": False, "check_back": None, "decline": None, "auto_reply": False,
           "out_of_office_until": None}


@pytest.mark.parametrize("body, sender, expected", [
    ("Thanks for the update, all good.", "Pat Weber <pat@example.com>", NOTHING),
    ("Hi Dana,\n\nCould you send me the price list?\n\nPat", "Pat Weber <pat@example.com>",
     {**NOTHING, "expects_reply": True}),
    ("Hi Dana,\n\nI'll send the revised contract by Friday. I'll look into the discount and get back to you.\n\nPat",
     "Pat Weber <pat@example.com>",
     {**NOTHING, "promises": [
         {"text": "I'll send the revised contract by Friday.", "due": "2026-11-20", "due_text": "by Friday"},
         {"text": "I'll look into the discount and get back to you.", "due": None, "due_text": None},
     ]}),
    ("Not this month. Please check back with me in two weeks.", FROM_DANA,
     {**NOTHING, "expects_reply": True, "check_back": {
         "text": "Please check back with me in two weeks.", "due": "2026-12-01", "due_text": "in two weeks",
         "said_not_now": False}}),
    ("Thanks, we went with another vendor.", FROM_DANA,
     {**NOTHING, "decline": "Thanks, we went with another vendor."}),
])
def test_what_the_detectors_see(body, sender, expected):
    result = explain_message(raw(body, sender=sender))
    assert {key: result[key] for key in expected} == expected


def test_every_detector_runs_whoever_the_sender_is():
    body = ("Could you send me the price list? I'll send the contract by Friday. "
            "Please check back with me in two weeks. Please remove me from your mailing list.")
    result = explain_message(raw(body))
    assert {key: result[key] for key in NOTHING} == {
        "promises": [{"text": "I'll send the contract by Friday.", "due": "2026-11-20", "due_text": "by Friday"}],
        "expects_reply": True,
        "check_back": {"text": "Please check back with me in two weeks.", "due": "2026-12-01",
                       "due_text": "in two weeks", "said_not_now": False},
        "decline": "Please remove me from your mailing list.",
        "auto_reply": False,
        "out_of_office_until": None,
    }


@pytest.mark.parametrize("date_order, due", [("dmy", "2026-12-03"), ("mdy", "2027-03-12")])
def test_promise_due_follows_the_date_order(date_order, due):
    [promise] = explain_message(raw("I'll send the contract by 3/12."), date_order)["promises"]
    assert promise["due"] == due


def test_headers_are_reported():
    result = explain_message(raw("Could you send me the price list?", to="Dana Lee <Dana@Northwind.example>",
                                 headers={"Cc": "greg@contoso.example", "In-Reply-To": "<r0@northwind.example>"}))
    assert {key: result[key] for key in ("message_id", "from", "to", "cc", "date", "in_reply_to", "subject")} == {
        "message_id": "<m1@example.com>", "from": "pat@example.com", "to": ["dana@northwind.example"],
        "cc": ["greg@contoso.example"], "date": "2026-11-17T10:00:00+01:00", "in_reply_to": ["<r0@northwind.example>"],
        "subject": "Contract for 2027",
    }


def test_an_undated_message_has_no_dated_findings():
    result = explain_message(raw("I'll send the contract by Friday. Please check back with me in two weeks. "
                                 "Could you send me the price list?", when=None))
    assert (result["date"], result["promises"], result["check_back"], result["decline"], result["expects_reply"]) == (
        None, [], None, None, True)


def test_hand_made_out_of_office_reply():
    body = ("I am out of the office until Monday, November 30, and will answer your email when I'm back. "
            "Could you contact Ella Berg instead?")
    result = explain_message(raw(body, sender=FROM_DANA, subject="Auto: Contract for 2027",
                                 headers={"Auto-Submitted": "auto-replied"}))
    assert {key: result[key] for key in (*NOTHING, "auto_reply_reason", "out_of_office")} == {
        **NOTHING, "auto_reply": True, "auto_reply_reason": "Auto-Submitted: auto-replied", "out_of_office": True,
        "out_of_office_until": "2026-11-30"}


@pytest.mark.parametrize("name, date_order, expected", [
    ("auto_reply_rfc3834.eml", "dmy", {
        "auto_reply_reason": "Auto-Submitted: auto-replied (vacation)", "out_of_office_until": "2026-11-30"}),
    ("auto_reply_rfc3834.eml", "mdy", {
        "auto_reply_reason": "Auto-Submitted: auto-replied (vacation)", "out_of_office_until": "2026-11-30"}),
    ("vacation_x_autoreply.eml", "dmy", {"auto_reply_reason": "X-Autoreply: yes", "out_of_office_until": "2026-12-03"}),
    ("vacation_x_autoreply.eml", "mdy", {"auto_reply_reason": "X-Autoreply: yes", "out_of_office_until": "2027-03-12"}),
])
def test_auto_reply_fixtures(name, date_order, expected):
    result = explain_message((FIXTURES / name).read_bytes(), date_order)
    # "will answer your email when I'm back" in an auto-reply is no promise, and it asks nothing
    assert {key: result[key] for key in (*NOTHING, "auto_reply_reason", "out_of_office")} == {
        **NOTHING, "auto_reply": True, "out_of_office": True, **expected}


def test_a_bounce_is_no_out_of_office():
    result = explain_message((FIXTURES / "bounce_dsn.eml").read_bytes())
    assert (result["auto_reply"], result["out_of_office"], result["out_of_office_until"]) == (True, False, None)
