"""Open promises -> an iCalendar file (RFC 5545) to attach to the nudge (``digest.calendar``).

Pure: takes reminders, ``now`` and the user's zone; returns the calendar as text (CRLF line
endings, lines folded at 75 octets), or None when there is no promise. Encoding it as UTF-8 and
attaching it (``text/calendar; method=PUBLISH; charset=utf-8``) is the nudge's job.

One event per open promise: an all-day, free ("transparent") event on the promise's due date.
Its UID comes from the reminder's durable key, so importing tomorrow's file updates
today's events instead of adding copies.

The alarm fires at 09:00 the day before the due date (``TRIGGER:-PT15H`` from the all-day start,
which is local midnight in whatever zone the calendar shows). The nudge email already covers the
morning of the due date; a day-before alarm leaves time to keep the promise. An offset *before*
the start is the one every client can represent: Outlook stores a reminder only as "minutes
before start", and -PT15H is Apple Calendar's own "1 day before at 9:00" for all-day events.
An alarm that would already have fired (by ``now`` in ``zone``) is left out, so that importing
the file again does not bring back old, missed alarms.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from watcher.model import Reminder

PRODID = "-//followup-watcher//EN"
UID_DOMAIN = "followup-watcher"
CATEGORY = "followup-watcher"
SUMMARY_LENGTH = 80
LINE_OCTETS = 75
ALARM_TRIGGER = "-PT15H"  # 09:00 the day before an all-day event; see the module docstring
ALARM_HOUR = 9

# Leading words that only say "this is a promise"; "Promised Dana: Send the contract" reads better
# than "Promised Dana: I'll send the contract".
_PROMISE_OPENER = re.compile(
    r"^(?:i|we)(?:['’]ll|\s+will|\s+shall|\s+am going to|['’]m going to|\s+are going to|['’]re going to)\s+",
    re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # RFC 5545 TEXT allows no controls but HTAB


def promises_calendar(reminders: Iterable[Reminder], now: datetime, zone: tzinfo) -> str | None:
    """Given reminders of any kind, the current aware time and the user's zone, return a
    VCALENDAR (METHOD:PUBLISH) with one all-day VEVENT per ``promise`` reminder, ordered by due
    date then id; None when there is no promise. Raise ValueError if ``now`` is naive.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    promises = sorted((item for item in reminders if item.kind == "promise"), key=lambda item: (item.due, item.id))
    if not promises:
        return None
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for promise in promises:
        lines.extend(event_lines(promise, now, zone))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def event_lines(promise: Reminder, now: datetime, zone: tzinfo) -> list[str]:
    """Given one promise, an aware ``now`` and the user's zone, return its VEVENT as unfolded
    content lines (BEGIN:VEVENT … END:VEVENT), text values already escaped."""
    title = summary(promise)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event_uid(promise)}",
        f"DTSTAMP:{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{promise.due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{promise.due + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(title)}",
        f"DESCRIPTION:{escape_text(description(promise, zone))}",
        f"CATEGORIES:{escape_text(CATEGORY)}",
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
    ]
    if alarm_time(promise.due, zone) > now:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:{ALARM_TRIGGER}",
                  f"DESCRIPTION:{escape_text(title)}", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def event_uid(promise: Reminder) -> str:
    """Given a reminder, return its event UID: a hash of the durable ``key`` (so the same promise
    keeps its UID across days, snoozes and due-date changes) that starts with the reminder's
    short ``id``, e.g. ``"q6bpzo3kx…@followup-watcher"``. 26 base32 characters (130 bits) rather
    than the 6 of ``id``, because two promises sharing a UID would overwrite each other."""
    digest = hashlib.sha256(promise.key.encode("utf-8")).digest()
    return f"{base64.b32encode(digest).decode('ascii')[:26].lower()}@{UID_DOMAIN}"


def summary(promise: Reminder) -> str:
    """Given a promise, return the event title, at most ``SUMMARY_LENGTH`` characters:
    "Promised <name or address>: <what>", e.g. "I'll send the contract by Friday." becomes
    "Promised Dana Lee: Send the contract by Friday". Longer titles are cut at a word where
    possible and end in "…"."""
    what = " ".join((promise.text or promise.snippet or promise.subject).split())
    what = _PROMISE_OPENER.sub("", what).rstrip(".!")
    what = what[:1].upper() + what[1:]
    title = f"Promised {promise.contact.display()}: {what}" if what else f"Promised {promise.contact.display()}"
    return shorten(title, SUMMARY_LENGTH)


def shorten(text: str, limit: int) -> str:
    """Given text and a length in characters, return it unchanged if it fits, otherwise cut to
    ``limit`` characters ending in "…", at the last space when that keeps at least half of it."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def description(promise: Reminder, zone: tzinfo) -> str:
    """Given a promise and the user's zone, return the event's plain-text description (newlines
    unescaped): the sentence as written, to whom and when (date in ``zone``), the mail subject,
    and the command that closes it."""
    written = promise.since.astimezone(zone).date()
    contact = promise.contact
    address = f"{contact.name} <{contact.email}>" if contact.name else contact.email
    lines = [promise.text or promise.snippet,
             f"You wrote this to {address} on {written:%a} {written.day} {written:%b %Y}.",
             f"Subject: {promise.subject}" if promise.subject else "",
             f"Kept it? followup-watcher done {promise.id}"]
    return "\n".join(line for line in lines if line)


def alarm_time(due: date, zone: tzinfo) -> datetime:
    """Given a due date and the user's zone, return when the event's alarm fires there
    (``ALARM_HOUR`` o'clock the day before, matching ``ALARM_TRIGGER``)."""
    return datetime.combine(due - timedelta(days=1), time(ALARM_HOUR), tzinfo=zone)


def escape_text(value: str) -> str:
    """Given any text, return it as an RFC 5545 TEXT value: backslash, semicolon and comma
    escaped with a backslash, every line break (CRLF, CR or LF) as ``\\n``, other control
    characters but tab removed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Given one unfolded content line (no line break in it), return it folded so that no
    physical line exceeds 75 octets of UTF-8: pieces joined by CRLF and one space, never splitting
    a character's octets. Removing every CRLF followed by a space gives back ``line``."""
    pieces: list[str] = []
    start, size = 0, 0
    for index, char in enumerate(line):
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            pieces.append(line[start:index])
            start, size = index, 1  # the continuation line's leading space
        size += octets
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def calendar_filename(today: date) -> str:
    """Given the nudge's date, return the attachment's file name, e.g. "followups-2026-11-23.ics"."""
    return f"followups-{today.isoformat()}.ics"
