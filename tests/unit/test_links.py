"""The nudge item's links (watcher.links) and reply drafts (watcher.drafts)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from watcher import commands
from watcher.drafts import call_day, draft
from watcher.links import action_links, reply_link
from watcher.model import Address, Reminder

SECRET = "ab" * 32
TODAY = date(2026, 11, 17)  # a Tuesday


def item(kind="no_reply", followups=0, subject="Re: Pricing for the 2027 rollout", name="Dana Lee"):
    return Reminder(key=f"{kind}:m1@example.com", kind=kind, subject=subject,
                    contact=Address("dana@northwind.example", name), since=datetime(2026, 11, 10, 9, tzinfo=timezone.utc),
                    due=date(2026, 11, 13), thread="m1@example.com", last_message_id="m1@example.com",
                    followups=followups)


def fields(uri):
    parts = urlsplit(uri)
    assert parts.scheme == "mailto"
    return unquote(parts.path), {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_each_action_link_mails_me_a_subject_the_watcher_accepts():
    links = action_links(item(), SECRET, "pat@example.com")
    assert [label for label, _ in links] == ["Done", "Snooze 2 days", "Snooze 1 week", "Stop tracking",
                                            "Mute contact"]
    parsed = []
    for _, uri in links:
        to, query = fields(uri)
        assert to == "pat@example.com"
        command = commands.command_in_subject(query["subject"], SECRET)
        parsed.append((command.action, command.target, command.until))
    assert parsed == [("done", item().id, None), ("snooze", item().id, "2d"), ("snooze", item().id, "1w"),
                      ("stop", item().id, None), ("mute", item().id, None)]


def test_the_reply_link_opens_a_reply_with_a_draft():
    to, query = fields(reply_link(item(), TODAY, timezone.utc, "Pat Weber"))
    assert to == "dana@northwind.example"
    assert query["subject"] == "Re: Pricing for the 2027 rollout"
    assert query["In-Reply-To"] == "<m1@example.com>"
    assert query["body"].startswith("Hi Dana,\r\n\r\nIt's Pat here, following up on my note from Tuesday, 10 November")


def test_a_new_subject_gets_re():
    _, query = fields(reply_link(item(subject="Pricing")))
    assert query["subject"] == "Re: Pricing" and "body" not in query


def test_call_day_is_two_business_days_ahead():
    assert call_day(date(2026, 11, 17)) == date(2026, 11, 19)  # Tue -> Thu
    assert call_day(date(2026, 11, 19)) == date(2026, 11, 23)  # Thu -> Mon


@pytest.mark.parametrize("kind, followups, words", [
    ("no_reply", 0, "following up on my note from Tuesday, 10 November about “Pricing for the 2027 rollout”"),
    ("no_reply", 1, "check in once more"),
    ("no_reply", 4, "don't want to crowd your inbox"),
    ("promise", 0, "As promised on Tuesday, 10 November, here is my update"),
    ("check_back", 0, "you asked me to get back to you around now"),
])
def test_drafts_differ_by_kind_and_follow_up(kind, followups, words):
    text = draft(item(kind, followups), TODAY, timezone.utc, "Pat Weber")
    assert words in text
    assert "Would a 15-minute call on Thursday work?" in text or "would a 15-minute call on Thursday work?" in text
    assert text.endswith("Best,\nPat Weber")
    for pushy in ("as per my last", "ASAP", "urgent", "haven't heard back", "per my previous"):
        assert pushy.lower() not in text.lower()


@pytest.mark.parametrize("name, hello", [("Lee, Dana", "Hi Dana,"), ("Dr. Dana Lee", "Hi Dana,"), ("", "Hello,")])
def test_greetings(name, hello):
    assert draft(item(name=name), TODAY, timezone.utc).startswith(hello)
