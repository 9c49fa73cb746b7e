"""The promises calendar: what a calendar client would read out of the .ics attached to the nudge.

No iCalendar parser in the stdlib (and none installed), so ``unfold`` / ``parse`` below are a tiny
reader written from RFC 5545 §3.1 and §3.3.11, independent of the module's own code.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from watcher.ics import calendar_filename, escape_text, fold_line, promises_calendar
from watcher.model import Address, Reminder

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 17, 8, 0, tzinfo=BERLIN)


def reminder(text="I'll send the contract by Friday.", *, kind="promise", key=None, name="Dana Lee",
             email="dana@northwind.example", due=date(2026, 11, 20), subject="Contract for 2027",
             since=datetime(2026, 11, 16, 10, 0, tzinfo=BERLIN)) -> Reminder:
    return Reminder(key=key or f"{kind}:{text}:{email}:{due}", kind=kind, subject=subject,
                    contact=Address(email, name), since=since, due=due, thread="root@example.com",
                    last_message_id="mine@example.com", snippet=text, text=text)


def unfold(text: str) -> list[str]:
    """Content lines of a calendar: CRLF + one space (or tab) joins, CRLF ends each line."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def parse(text: str) -> dict:
    """{"props": {name: [(params, value)]}, "children": [...]} per component, from BEGIN/END."""
    root = {"name": None, "props": {}, "children": []}
    stack = [root]
    for line in unfold(text):
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name == "BEGIN":
            component = {"name": value, "props": {}, "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack[-1]["name"] == value, f"END:{value} closes {stack[-1]['name']}"
            stack.pop()
        else:
            stack[-1]["props"].setdefault(name, []).append((tuple(params), value))
    assert stack == [root], "unclosed BEGIN"
    (calendar,) = root["children"]
    return calendar


def prop(component: dict, name: str) -> str:
    (( _, value),) = component["props"][name]
    return value


def events(text: str) -> list[dict]:
    calendar = parse(text)
    return [child for child in calendar["children"] if child["name"] == "VEVENT"]


# --- escaping and folding ----------------------------------------------------------------------

@pytest.mark.parametrize("raw, escaped", [
    ("a\\b", "a\\\\b"),
    ("a;b", "a\\;b"),
    ("a,b", "a\\,b"),
    ("a\nb", "a\\nb"),
    ("a\r\nb", "a\\nb"),
    ("a\rb", "a\\nb"),
    ("C:\\new;x,y\n", "C:\\\\new\\;x\\,y\\n"),
    ('time: 10:30 "quoted"\tok', 'time: 10:30 "quoted"\tok'),  # colon, quote, tab: left as they are
    ("bell\x07 nul\x00", "bell nul"),  # controls are not allowed in TEXT
])
def test_text_escaping(raw, escaped):
    assert escape_text(raw) == escaped


def test_escaping_reads_back():
    nasty = "Price, terms; path C:\\new\\table\nsecond line \\n literal"
    assert unescape(escape_text(nasty)) == nasty


def test_fold_ascii_at_75_octets():
    line = "DESCRIPTION:" + "x" * 200
    folded = fold_line(line)
    physical = folded.split("\r\n")
    assert [len(p) for p in physical] == [75, 75, 64]  # 75 + (1+74) + (1+63) for 212 characters
    assert all(p.startswith(" ") and not p.startswith("  ") for p in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_fold_counts_utf8_octets_and_never_splits_a_character():
    line = "SUMMARY:" + "ü" * 100  # 8 + 200 octets
    physical = fold_line(line).split("\r\n")
    assert physical[0] == "SUMMARY:" + "ü" * 33  # 74 octets: a 34th ü would make 76
    assert physical[1] == " " + "ü" * 37  # 75 octets
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert fold_line(line).replace("\r\n ", "") == line


def test_fold_moves_an_emoji_that_would_straddle_the_boundary():
    line = "X" * 73 + "😀" + "end"
    assert fold_line(line) == "X" * 73 + "\r\n 😀end"
    assert fold_line("X" * 71 + "😀") == "X" * 71 + "😀"  # exactly 75 octets: no fold


def test_short_line_is_not_folded():
    assert fold_line("VERSION:2.0") == "VERSION:2.0"


def test_every_line_ends_with_crlf_and_fits_75_octets():
    long_text = "Ich schicke dir die überarbeitete Präsentation 📎 und die Zahlen für Q4, " * 4
    items = [reminder(long_text, subject="Überprüfung; Präsentation, Zahlen " * 5, name="Jürgen Müller-Lüdenscheidt")]
    text = promises_calendar(items, NOW, BERLIN)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in physical) <= 75
    assert sum(line.startswith(" ") for line in physical) > 5  # it really was folded
    (event,) = events(text)
    assert long_text.strip() in unescape(prop(event, "DESCRIPTION"))


# --- the calendar ------------------------------------------------------------------------------

def test_calendar_header_and_balanced_components():
    text = promises_calendar([reminder()], NOW, BERLIN)
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar = parse(text)  # asserts every BEGIN has its END, properly nested
    assert prop(calendar, "VERSION") == "2.0"
    assert prop(calendar, "PRODID") == "-//followup-watcher//EN"
    assert prop(calendar, "METHOD") == "PUBLISH"
    assert prop(calendar, "CALSCALE") == "GREGORIAN"
    assert sum(line.startswith("BEGIN:") for line in lines) == sum(line.startswith("END:") for line in lines) == 3


def test_no_promises_no_calendar():
    assert promises_calendar([], NOW, BERLIN) is None
    others = [reminder("Could you send the figures?", kind="no_reply"), reminder("Check back in May", kind="check_back")]
    assert promises_calendar(others, NOW, BERLIN) is None


def test_only_promises_become_events():
    items = [reminder("Could you send the figures?", kind="no_reply"), reminder("I'll send the contract."),
             reminder("Ping me next week", kind="check_back"), reminder("I will call Greg.", name="Greg Hall")]
    summaries = [unescape(prop(event, "SUMMARY")) for event in events(promises_calendar(items, NOW, BERLIN))]
    assert sorted(summaries) == ["Promised Dana Lee: Send the contract", "Promised Greg Hall: Call Greg"]


def test_event_properties():
    (event,) = events(promises_calendar([reminder()], NOW, BERLIN))
    assert event["props"]["DTSTART"] == [(("VALUE=DATE",), "20261120")]
    assert event["props"]["DTEND"] == [(("VALUE=DATE",), "20261121")]
    assert prop(event, "DTSTAMP") == "20261117T070000Z"  # 08:00 in Berlin is 07:00 UTC
    assert prop(event, "SUMMARY") == "Promised Dana Lee: Send the contract by Friday"
    assert prop(event, "TRANSP") == "TRANSPARENT"
    assert prop(event, "STATUS") == "CONFIRMED"
    assert prop(event, "CATEGORIES") == "followup-watcher"
    assert prop(event, "UID").endswith("@followup-watcher")


@pytest.mark.parametrize("due, start, end", [
    (date(2026, 11, 20), "20261120", "20261121"),
    (date(2026, 11, 30), "20261130", "20261201"),
    (date(2026, 12, 31), "20261231", "20270101"),
    (date(2027, 2, 28), "20270228", "20270301"),
    (date(2028, 2, 28), "20280228", "20280229"),  # leap year
])
def test_all_day_event_on_the_due_date(due, start, end):
    (event,) = events(promises_calendar([reminder(due=due)], NOW, BERLIN))
    assert event["props"]["DTSTART"] == [(("VALUE=DATE",), start)]
    assert event["props"]["DTEND"] == [(("VALUE=DATE",), end)]


def test_uid_is_stable_across_days_and_due_changes_and_distinct_per_promise():
    first = reminder("I'll send the contract.", key="promise:cafe.1@example.com:0")
    snoozed = reminder("I'll send the contract.", key="promise:cafe.1@example.com:0", due=date(2026, 11, 27))
    second = reminder("I'll sign it too.", key="promise:cafe.1@example.com:1")
    today = events(promises_calendar([first, second], NOW, BERLIN))
    tomorrow = events(promises_calendar([snoozed, second], datetime(2026, 11, 18, 8, 0, tzinfo=BERLIN), BERLIN))
    uids_today = {prop(e, "SUMMARY"): prop(e, "UID") for e in today}
    uids_tomorrow = {prop(e, "SUMMARY"): prop(e, "UID") for e in tomorrow}
    assert uids_today == uids_tomorrow
    assert len(set(uids_today.values())) == 2
    assert uids_today["Promised Dana Lee: Send the contract"].startswith(first.id)  # the id the nudge shows
    assert prop(today[0], "DTSTAMP") != prop(tomorrow[0], "DTSTAMP")


def test_events_ordered_by_due_date_then_id():
    items = [reminder(f"I'll do thing {n}.", key=f"promise:m{n}@x:0", due=due)
             for n, due in enumerate([date(2026, 12, 1), date(2026, 11, 20), date(2026, 12, 1), date(2026, 11, 25)])]
    expected = [item.id for item in sorted(items, key=lambda item: (item.due, item.id))]
    got = [prop(event, "UID")[:6] for event in events(promises_calendar(items, NOW, BERLIN))]
    assert got == expected
    assert [prop(e, "DTSTART") for e in events(promises_calendar(items, NOW, BERLIN))] == [
        "20261120", "20261125", "20261201", "20261201"]


def test_summary_names_the_contact_or_address_and_is_trimmed():
    (event,) = events(promises_calendar([reminder("We'll review it.", name="")], NOW, BERLIN))
    assert prop(event, "SUMMARY") == "Promised dana@northwind.example: Review it"
    (event,) = events(promises_calendar([reminder("Thanks, I will send it tomorrow.")], NOW, BERLIN))
    assert prop(event, "SUMMARY") == "Promised Dana Lee: Thanks\\, I will send it tomorrow"
    long = "I'll go through every single clause of the revised master services agreement and send comments."
    (event,) = events(promises_calendar([reminder(long)], NOW, BERLIN))
    title = unescape(prop(event, "SUMMARY"))
    assert len(title) <= 80 and title.endswith("…")
    assert title.startswith("Promised Dana Lee: Go through every single clause")
    assert not title[:-1].endswith(" ")


def test_description_has_sentence_date_in_zone_subject_and_address():
    late = datetime(2026, 11, 8, 23, 30, tzinfo=timezone.utc)  # already 9 Nov in Berlin
    item = reminder("I'll send the contract, signed; by Friday.", subject="Re: Contract, v2", since=late)
    (event,) = events(promises_calendar([item], NOW, BERLIN))
    text = unescape(prop(event, "DESCRIPTION"))
    lines = text.split("\n")
    assert lines[0] == "I'll send the contract, signed; by Friday."
    assert "Mon 9 Nov 2026" in text and "8 Nov" not in text
    assert "Subject: Re: Contract, v2" in lines
    assert "Dana Lee <dana@northwind.example>" in text
    assert f"followup-watcher done {item.id}" in text


def test_alarm_at_nine_the_day_before_while_still_ahead():
    (event,) = events(promises_calendar([reminder(due=date(2026, 11, 20))], NOW, BERLIN))
    (alarm,) = event["children"]
    assert alarm["name"] == "VALARM"
    assert prop(alarm, "ACTION") == "DISPLAY"
    assert prop(alarm, "TRIGGER") == "-PT15H"
    assert prop(alarm, "DESCRIPTION") == prop(event, "SUMMARY")


@pytest.mark.parametrize("due, has_alarm", [
    (date(2026, 11, 19), True),   # fires tomorrow 09:00
    (date(2026, 11, 18), True),   # fires today 09:00, an hour from now
    (date(2026, 11, 17), False),  # would have fired yesterday
    (date(2026, 11, 10), False),  # overdue
])
def test_no_alarm_that_would_already_have_fired(due, has_alarm):
    (event,) = events(promises_calendar([reminder(due=due)], NOW, BERLIN))
    assert bool(event["children"]) is has_alarm


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        promises_calendar([reminder()], datetime(2026, 11, 17, 8, 0), BERLIN)


def test_calendar_filename():
    assert calendar_filename(date(2026, 11, 23)) == "followups-2026-11-23.ics"
