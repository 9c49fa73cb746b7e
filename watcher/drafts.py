"""Short reply drafts for the nudge's Reply link.

Pure: a reminder, today and who I am in, a draft out. Every draft follows the classic follow-up
formula: who I am and what we discussed (with the date), why I am writing now, and one clear
next step. Drafts differ for ``no_reply``, ``promise``, ``check_back`` and ``keep_in_touch``, change with the
follow-up number, and stay friendly: no guilt ("as per my last email"), no pressure, always an
easy way out.
"""

from __future__ import annotations

import re
from datetime import date, timedelta, tzinfo

from watcher.model import Reminder

_PREFIXES = re.compile(r"^(?:\s*(?:re|aw|sv|vs|antw|réf|ref|odp|fwd?|wg|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def _day(value: date) -> str:
    return f"{value:%A}, {value.day} {value:%B}"


def _year(since: date, today: date) -> str:
    return f" {since.year}" if since.year != today.year else ""


def call_day(today: date) -> date:
    """A concrete day to propose for a call: the second business day from today."""
    day, left = today, 2
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def greeting(item: Reminder) -> str:
    name = item.contact.name or ""
    if "," in name:
        name = name.split(",", 1)[1]
    words = [w for w in name.split() if w.lower().rstrip(".") not in ("dr", "mr", "mrs", "ms", "prof")]
    return f"Hi {words[0]}," if words else "Hello,"


def draft(item: Reminder, today: date, zone: tzinfo, my_name: str = "") -> str:
    """Given a reminder, today's date and my name, return a reply draft in plain text."""
    topic = _PREFIXES.sub("", item.subject or "").strip()
    topic = f"“{topic}”" if topic else "my last message"
    since = item.since.astimezone(zone).date()
    proposal = f"Would a 15-minute call on {call_day(today):%A} work?"
    if item.kind == "promise":
        body = [f"As promised on {_day(since)}, here is my update on {topic}.",
                "[your update]",
                f"Does that work for you? If it helps, I'm happy to walk you through it; {proposal[0].lower()}"
                f"{proposal[1:]}"]
    elif item.kind == "check_back" and item.not_now:
        body = [f"When we were in touch on {_day(since)}, the timing wasn't right for {topic}, so I held off "
                "until now.",
                f"Has anything changed on your side? {proposal} If it's still not the right time, just say so "
                "and I'll leave it there."]
    elif item.kind == "check_back":
        body = [f"When we were in touch on {_day(since)}, you asked me to get back to you around now about "
                f"{topic}, so here I am.",
                f"Is this a better time to pick it up? {proposal}"]
    elif item.kind == "keep_in_touch":
        body = [f"It's been a while since we last wrote, about {topic} back in {since:%B}{_year(since, today)}, "
                "and I wanted to say hello. I hope things are going well on your side.",
                "How are things at your end these days? If you'd like to catch up, "
                f"{proposal[0].lower()}{proposal[1:]} No pressure at all if now's a busy time."]
    elif item.followups == 0:
        me = f"It's {my_name.split()[0]} here, following up" if my_name.strip() else "I'm following up"
        body = [f"{me} on my note from {_day(since)} about {topic}. I know things get busy, so I "
                "wanted to bring it back to the top of your inbox.",
                f"{proposal} If now isn't the right time, just let me know and I'll check back later."]
    elif item.followups < 3:
        body = [f"I wanted to check in once more on {topic}, which I first wrote about on {_day(since)}. "
                "I'd still value your view on it.",
                f"{proposal} A one-line reply is plenty."]
    else:
        body = [f"I've reached out a few times about {topic} since {_day(since)} and don't want to crowd "
                "your inbox.",
                "If it's not a priority right now, that's completely fine: a quick \"not now\" helps me too, "
                f"and I'll close the loop on my side. Otherwise, {proposal[0].lower()}{proposal[1:]}"]
    closing = f"Best,\n{my_name}" if my_name else "Best,"
    return "\n\n".join([greeting(item), *body, closing])
