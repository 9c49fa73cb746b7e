"""``digest.calendar``: the nudge carries the open promises as an .ics attachment."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy

from tests.unit.test_digest_focus import MIXED, NOW, SETTINGS, item, on
from watcher.digest import build_nudge


def delivered(message):
    """The nudge as the recipient's client parses it."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def test_the_open_promises_are_attached_as_a_calendar_and_the_parts_stay_readable():
    nudge = delivered(build_nudge(MIXED, NOW, replace(SETTINGS, calendar=True)))
    assert nudge.get_content_type() == "multipart/mixed"
    (attachment,) = list(nudge.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "followups-2026-11-20.ics"
    assert attachment.get_param("method") == "PUBLISH"
    calendar = attachment.get_content()
    if isinstance(calendar, bytes):
        calendar = calendar.decode("utf-8")
    # all four promises, Zoe's not due until Monday too; no other kind
    assert calendar.count("BEGIN:VEVENT") == 4
    assert "DTSTART;VALUE=DATE:20261123" in calendar and "Promised Zoe" in calendar
    assert "Carl" not in calendar and "Nora" not in calendar
    assert "Pete" in nudge.get_body(("plain",)).get_content()
    assert "Pete" in nudge.get_body(("html",)).get_content()


def test_no_attachment_when_off_or_when_there_is_no_promise():
    off = delivered(build_nudge(MIXED, NOW, SETTINGS))
    assert list(off.iter_attachments()) == []
    no_promises = [i for i in MIXED if i.kind != "promise"]
    on_but_empty = delivered(build_nudge(no_promises, NOW, replace(SETTINGS, calendar=True)))
    assert on_but_empty.get_content_type() == "multipart/alternative"
    assert list(on_but_empty.iter_attachments()) == []


def test_a_promise_not_yet_due_alone_sends_no_nudge_even_with_a_calendar():
    later = [item("Zoe", "promise", since=on(19), due=date(2026, 11, 23))]
    assert build_nudge(later, NOW, replace(SETTINGS, calendar=True)) is None
