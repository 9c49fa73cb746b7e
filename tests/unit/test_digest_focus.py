"""The daily focus: the most pressing items first, at most ``digest.max_items`` of them, the rest
counted; where each unanswered thread is in its cadence; no nudge at the weekend.

Today is Fri 20 Nov 2026 in Berlin unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date, datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from watcher.digest import NudgeSettings, build_nudge, describe, focus, should_send
from watcher.model import Address, Reminder

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 20, 8, 0, tzinfo=BERLIN)  # Friday
TODAY = date(2026, 11, 20)
SETTINGS = NudgeSettings(to="pat@example.com", sender="pat@example.com", account_email="pat@example.com", zone=BERLIN)


def item(name: str, kind: str = "no_reply", *, since: datetime, due: date, followups: int = 0,
         max_followups: int = 0) -> Reminder:
    email = f"{name.lower()}@example.org"
    return Reminder(key=f"{kind}:{name}@example.com", kind=kind, subject=f"About {name}",
                    contact=Address(email, name), since=since, due=due, thread=f"{name}@example.com",
                    last_message_id=f"{name}@example.com", followups=followups, snippet=f"Note to {name}",
                    text=f"Note to {name}", max_followups=max_followups)


def on(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=BERLIN)


MIXED = [
    item("Nora", since=on(2), due=date(2026, 11, 5)),                            # waited longest
    item("Otto", since=on(10, 9), due=date(2026, 11, 13)),
    item("Olga", since=on(10, 15), due=date(2026, 11, 18), followups=2),         # same day, further along
    item("Paul", "promise", since=on(16), due=date(2026, 11, 19)),               # overdue since yesterday
    item("Pia", "promise", since=on(18), due=date(2026, 11, 20)),                # due today
    item("Pete", "promise", since=on(3), due=date(2026, 11, 10)),                # overdue longest
    item("Carl", "check_back", since=on(1), due=date(2026, 11, 20)),
    item("Cleo", "check_back", since=on(12), due=date(2026, 11, 16)),
    item("Zoe", "promise", since=on(19), due=date(2026, 11, 23)),                # not due yet
    item("Yann", since=on(17), due=date(2026, 11, 21)),                          # not due yet
]


def names(items: list[Reminder]) -> list[str]:
    return [i.contact.name for i in items]


def test_promises_then_check_backs_then_the_longest_waiting():
    today = focus(MIXED, TODAY, SETTINGS)
    assert names(today.shown) == ["Pete", "Paul", "Pia", "Cleo", "Carl", "Nora", "Olga", "Otto"]
    assert today.more == []


@pytest.mark.parametrize("max_items, shown, more", [
    (3, ["Pete", "Paul", "Pia"], ["Cleo", "Carl", "Nora", "Olga", "Otto"]),
    (7, ["Pete", "Paul", "Pia", "Cleo", "Carl", "Nora", "Olga"], ["Otto"]),
    (8, ["Pete", "Paul", "Pia", "Cleo", "Carl", "Nora", "Olga", "Otto"], []),
])
def test_max_items_cuts_the_list_in_focus_order(max_items, shown, more):
    today = focus(MIXED, TODAY, NudgeSettings(**{**SETTINGS.__dict__, "max_items": max_items}))
    assert (names(today.shown), names(today.more)) == (shown, more)


def parts(nudge) -> tuple[str, str]:
    parsed = message_from_bytes(nudge.as_bytes(), policy=policy.default)
    return parsed.get_body(("plain",)).get_content(), parsed.get_body(("html",)).get_content()


def test_the_rest_is_counted_in_text_and_html_and_the_subject_counts_everything():
    settings = NudgeSettings(**{**SETTINGS.__dict__, "max_items": 3})
    nudge = build_nudge(MIXED, NOW, settings)
    text, html = parts(nudge)
    assert nudge["Subject"] == "8 follow-ups due: Pete, Paul, +6"
    assert "3. Pia <pia@example.org>: About Pia" in text and "4. " not in text
    assert "\n+5 more: run `followup-watcher list` to see them.\n" in text
    assert text.index("+5 more") < text.index("-- \n")
    assert "+5 more: run <code>followup-watcher list</code> to see them." in html
    assert "Cleo" not in text and "Cleo" not in html


def test_nothing_is_counted_when_everything_fits():
    text, html = parts(build_nudge(MIXED, NOW, SETTINGS))
    assert "more: run" not in text and "more: run" not in html


def test_the_default_shows_ten():
    many = [item(f"N{n:02d}", since=on(1 + n), due=date(2026, 11, 19)) for n in range(12)]
    nudge = build_nudge(many, NOW, SETTINGS)
    text, _ = parts(nudge)
    assert nudge["Subject"].startswith("12 follow-ups due: N00, N01, +10")
    assert "10. N09" in text and "N10" not in text and "+2 more: run" in text


@pytest.mark.parametrize("followups, max_followups, lines", [
    (0, 5, ["no reply for 4 days (you wrote on Mon 16 Nov); next: follow-up 1 of 5"]),
    (1, 5, ["no reply for 4 days (you wrote on Mon 16 Nov); you followed up 1 time; next: follow-up 2 of 5"]),
    (4, 5, ["no reply for 4 days (you wrote on Mon 16 Nov); you followed up 4 times; next: follow-up 5 of 5"]),
    (5, 5, ["no reply for 4 days (you wrote on Mon 16 Nov); you followed up 5 times",
            "No answer after 5 follow-ups: stop, or keep going?"]),
    (6, 5, ["no reply for 4 days (you wrote on Mon 16 Nov); you followed up 6 times; "
            "next: follow-up 7 (past the 5 planned)"]),
    (1, 0, ["no reply for 4 days (you wrote on Mon 16 Nov); you followed up 1 time"]),  # stored before cadences
])
def test_no_reply_items_say_where_they_are_in_the_cadence(followups, max_followups, lines):
    waiting = item("Dana", since=on(16), due=TODAY, followups=followups, max_followups=max_followups)
    assert describe(waiting, TODAY, BERLIN) == [*lines, "You wrote: \u201cNote to Dana\u201d"]


def test_the_last_call_is_in_both_parts():
    last = item("Dana", since=on(2), due=TODAY, followups=5, max_followups=5)
    text, html = parts(build_nudge([last], NOW, SETTINGS))
    assert "   No answer after 5 follow-ups: stop, or keep going?\n" in text
    assert "No answer after 5 follow-ups: stop, or keep going?</div>" in html


@pytest.mark.parametrize("today, weekdays_only, send", [
    (date(2026, 11, 20), True, True),    # Friday
    (date(2026, 11, 21), True, False),   # Saturday
    (date(2026, 11, 22), True, False),   # Sunday
    (date(2026, 11, 23), True, True),    # Monday
    (date(2026, 11, 21), False, True),
    (date(2026, 11, 22), False, True),
])
def test_no_nudge_at_the_weekend_unless_asked(today, weekdays_only, send):
    assert should_send(today, NudgeSettings(**{**SETTINGS.__dict__, "weekdays_only": weekdays_only})) is send


def test_a_weekend_preview_still_renders():
    sunday = datetime(2026, 11, 22, 8, 0, tzinfo=BERLIN)
    assert build_nudge(MIXED, sunday, SETTINGS) is not None


def test_the_text_part_keeps_items_readable_and_lists_the_links_at_the_end():
    signed = NudgeSettings(**{**SETTINGS.__dict__, "secret": "33" * 32})
    nudge = message_from_bytes(build_nudge(MIXED, NOW, signed).as_bytes(), policy=policy.default)
    text = nudge.get_body(("plain",)).get_content()
    items, _, links = text.partition("To act, answer this mail with one command per line")
    assert "mailto:" not in items  # the list itself is free of long links
    assert "(id " in items and "· links: [1])" in items
    first = items.split("\n1. ", 1)[1].split(":", 1)[0]  # "Pete <pete@example.org>"
    assert f"[1] {first.split(' <')[0]}\n    Reply: mailto:pete@example.org?" in links
    assert links.count("Done: mailto:pat@example.com?subject=followup-watcher%20done%20") == 8


def test_without_a_secret_only_reply_links_are_listed():
    text = message_from_bytes(build_nudge(MIXED, NOW, SETTINGS).as_bytes(), policy=policy.default) \
        .get_body(("plain",)).get_content()
    assert "To act" not in text and "Reply links:" in text and "Done:" not in text
