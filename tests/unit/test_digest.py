"""The nudge email: what is in it, its subject, its parts, and nothing on days with nothing due."""

from __future__ import annotations

from datetime import date, datetime
from email import message_from_bytes, policy
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from watcher.digest import NudgeSettings, build_nudge, nudge_message_id, reply_link, subject_line
from watcher.model import Address, Reminder

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 17, 8, 0, tzinfo=BERLIN)
SETTINGS = NudgeSettings(to="pat@example.com", sender="pat@example.com", account_email="pat@example.com", zone=BERLIN)


def reminder(name, email, *, due=date(2026, 11, 11), since=datetime(2026, 11, 8, 8, 0, tzinfo=BERLIN),
             subject="Pricing for 2027", followups=0, snippet="Could you send me the price list?") -> Reminder:
    return Reminder(key=f"no_reply:{email}", kind="no_reply", subject=subject, contact=Address(email, name),
                    since=since, due=due, thread="root@example.com", last_message_id=f"last.{email}",
                    followups=followups, snippet=snippet)


def test_nothing_due_means_no_nudge():
    later = reminder("Dana Lee", "dana@northwind.example", due=date(2026, 11, 18))
    assert build_nudge([later], NOW, SETTINGS) is None
    assert build_nudge([], NOW, SETTINGS) is None


def test_subject_names_who_is_waiting():
    items = [reminder("Dana Lee", "d@x"), reminder("Greg Hall", "g@x"), reminder("", "sam@x")]
    assert subject_line(items) == "3 follow-ups due: Dana Lee, Greg Hall, +1"
    assert subject_line(items[:1]) == "1 follow-up due: Dana Lee"


def test_nudge_is_multipart_alternative_with_all_items():
    items = [reminder("Dana Lee", "dana@northwind.example"),
             reminder("Greg Hall", "greg@contoso.example", followups=1, subject="Proposal <v2> & terms")]
    nudge = build_nudge(items, NOW, SETTINGS)
    parsed = message_from_bytes(nudge.as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert parsed["X-Followup-Watcher"].startswith("nudge")
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"] == nudge_message_id("pat@example.com", date(2026, 11, 17))
    for needle in ("Dana Lee", "Greg Hall", "no reply for 9 days", "you wrote on Sun 8 Nov",
                   "you followed up 1 time", "Could you send me the price list?", "mailto:dana@northwind.example"):
        assert needle in text
    assert "Proposal &lt;v2&gt; &amp; terms" in html and "Proposal <v2>" not in html


def test_longest_waiting_comes_first():
    newer = reminder("Newer", "n@x", since=datetime(2026, 11, 10, 9, 0, tzinfo=BERLIN))
    older = reminder("Older", "o@x", since=datetime(2026, 11, 2, 9, 0, tzinfo=BERLIN))
    text = build_nudge([newer, older], NOW, SETTINGS).get_body(("plain",)).get_content()
    assert text.index("Older") < text.index("Newer")


def test_reply_link_is_a_mailto_with_re_subject_and_in_reply_to():
    link = reply_link(reminder("Dana Lee", "dana@northwind.example", subject="Pricing & terms"))
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == "dana@northwind.example"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Re: Pricing & terms"]
    assert query["In-Reply-To"] == ["<last.dana@northwind.example>"]
    already = reply_link(reminder("Dana", "d@x", subject="RE: Pricing"))
    assert parse_qs(urlsplit(already).query)["subject"] == ["RE: Pricing"]


def test_nudge_date_is_the_local_day():
    # 23:30 UTC on the 16th is already the 17th in Berlin: the Message-ID carries the local day
    late = datetime(2026, 11, 16, 23, 30, tzinfo=ZoneInfo("UTC"))
    nudge = build_nudge([reminder("Dana", "d@x")], late, SETTINGS)
    assert "2026-11-17" in nudge["Message-ID"]
