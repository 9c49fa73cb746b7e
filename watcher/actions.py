"""What the user says about reminders: done, snooze, stop tracking a thread, mute a contact.

The same functions serve the command line (``followup-watcher done ID`` …) and, later, command
mails answered from the nudge. Each takes the open ``Store`` and ``now`` and records the decision
in the state, where ``watcher.sync`` honours it on every later sync:

- **done**: the reminder is closed by the user and never reopens;
- **snooze**: the reminder stays open but is not due before the given day, whatever the mail says;
- **keep**: after the last call ("stop, or keep going?"), the reminder goes on with no limit;
- **stop**: the reminder is closed and its whole thread is never tracked again (like a decline);
  for a keep-in-touch suggestion, that person is never suggested again;
- **mute** ``address`` or ``@domain``: nothing with that contact is tracked any more, and their
  open reminders close; **unmute** lifts it, and what the mail still calls for comes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from watcher.errors import WatcherError
from watcher.rules.addresses import is_ignored
from watcher.rules.keep_in_touch import KIND as KEEP_IN_TOUCH
from watcher.store import Store
from watcher.threads import build_threads
from watcher.workdays import WorkCalendar

MUTED = "muted"  # state meta key: the muted addresses and @domains
STOP_KIND = "stop"  # a stored record that keeps a thread closed, like a decline
MAX_SNOOZE = timedelta(days=366)
_SNOOZE = re.compile(r"^\s*(\d{1,3})\s*([dw])\s*$", re.IGNORECASE)
_PATTERN = re.compile(r"^(?:@[^@\s]+\.[^@\s]+|[^@\s]+@[^@\s]+\.[^@\s]+)$")


class ActionError(WatcherError):
    """The action cannot be applied: an unknown id, a closed reminder, a bad date."""


@dataclass(frozen=True)
class Applied:
    """What an action changed, in words for the user."""

    summary: str


def find_open(store: Store, item_id: str) -> dict:
    """Given an id as shown by ``list``, return the open reminder's record.

    Raise ``ActionError`` naming the command to run when there is none."""
    wanted = item_id.strip().lower()
    matches = [r for r in store.reminders() if r.get("id") == wanted and r.get("kind") not in ("decline", STOP_KIND)]
    for record in matches:
        if record["status"] == "open":
            return record
    if matches:
        raise ActionError(f"reminder {wanted} is already closed ({matches[0].get('closed_reason', 'closed')})")
    raise ActionError(f"no reminder with id {wanted!r}; `followup-watcher list` shows the ids of open reminders")


def mark_done(store: Store, item_id: str, now: datetime) -> Applied:
    """Close a reminder for good: the user did it (or decided it needs nothing)."""
    record = find_open(store, item_id)
    _close(store, record, now, "done (you marked it)", by="user")
    return Applied(f"done: {_describe(record)}")


def snooze_until(text: str, today: date, calendar: WorkCalendar) -> date:
    """Given "3d", "2w" or "2026-12-01" and today's date, return the day the reminder is due again.

    Days count business days when the calendar does. Raise ``ActionError`` for anything else, for
    a day that is not in the future and for one more than a year ahead."""
    match = _SNOOZE.match(text)
    if match:
        count, unit = int(match.group(1)), match.group(2).lower()
        if count < 1:
            raise ActionError(f"cannot snooze for {text!r}: give at least 1 day, e.g. 3d, 2w or 2026-12-01")
        until = calendar.add_days(today, count) if unit == "d" else today + timedelta(weeks=count)
    else:
        try:
            until = date.fromisoformat(text.strip())
        except ValueError:
            raise ActionError(f"cannot read {text!r} as a snooze: use a number of days or weeks (3d, 2w) "
                              "or a date (2026-12-01)") from None
    if until <= today:
        raise ActionError(f"cannot snooze until {until.isoformat()}: that is not after today ({today.isoformat()})")
    if until > today + MAX_SNOOZE:
        raise ActionError(f"cannot snooze until {until.isoformat()}: at most a year ahead; "
                          "`followup-watcher done ID` closes a reminder for good")
    return until


def snooze(store: Store, item_id: str, until: date, now: datetime) -> Applied:
    """Keep a reminder open but not due before ``until``, whatever later syncs compute."""
    record = find_open(store, item_id)
    stamp = now.isoformat(timespec="seconds")
    due = max(date.fromisoformat(record["due"]), until)
    store.put_reminder({**record, "snoozed_until": until.isoformat(), "due": due.isoformat(), "updated_at": stamp})
    return Applied(f"snoozed until {until:%a %d %b %Y}: {_describe(record)}")


def keep(store: Store, item_id: str, until: date, now: datetime) -> Applied:
    """Keep following up after the last call ("stop, or keep going?"): the reminder stays (or is
    again) open, with no limit on follow-ups, and is due again on ``until``."""
    wanted = item_id.strip().lower()
    records = [r for r in store.reminders() if r.get("id") == wanted and r.get("kind") == "no_reply"
               and (r["status"] == "open" or r.get("closed_by") == "last_call")]
    if not records:
        raise ActionError(f"no follow-up with id {wanted!r} is waiting for a last call; "
                          "`followup-watcher list` shows the ids of open reminders")
    record = records[0]
    stamp = now.isoformat(timespec="seconds")
    store.put_reminder({**record, "status": "open", "kept": True, "closed_by": None, "closed_reason": None,
                        "snoozed_until": until.isoformat(), "due": until.isoformat(), "updated_at": stamp})
    return Applied(f"keeping it going, next on {until:%a %d %b %Y}: {_describe(record)}")


def stop(store: Store, item_id: str, now: datetime) -> Applied:
    """Close a reminder and never track its thread again (the thread's messages as indexed now)."""
    record = find_open(store, item_id)
    stamp = now.isoformat(timespec="seconds")
    if record["kind"] == KEEP_IN_TOUCH:  # no thread to stop: never suggest this person again
        store.put_reminder({**record, "status": "closed", "never": True, "closed_by": "user",
                            "closed_reason": "you stopped keep-in-touch suggestions for this person",
                            "closed_at": stamp, "updated_at": stamp})
        return Applied(f"no more keep-in-touch suggestions for {record['contact'][1] or record['contact'][0]}")
    ids = {record["last_message_id"]}
    for thread in build_threads(store.messages().values()):
        if record["last_message_id"] in thread.ids:
            ids |= thread.ids
    store.put_reminder({
        "key": f"{STOP_KIND}:{record['thread']}", "kind": STOP_KIND, "status": "closed", "subject": record["subject"],
        "contact": record["contact"], "since": record["since"], "due": record["due"], "thread": record["thread"],
        "last_message_id": record["last_message_id"], "ids": sorted(ids), "reported": True,
        "closed_reason": "you stopped tracking this thread", "created_at": stamp, "updated_at": stamp,
    })
    for other in store.reminders():
        if other["status"] == "open" and other["last_message_id"] in ids:
            _close(store, other, now, "you stopped tracking this thread", by="user")
    return Applied(f"stopped tracking: {_describe(record)}")


def muted(store: Store) -> tuple[str, ...]:
    """The muted addresses and @domains, as patterns for ``rules.ignore``-style matching."""
    return tuple(store.meta(MUTED, []) or [])


def mute(store: Store, pattern: str, now: datetime) -> Applied:
    """Never track ``pattern`` (an address or ``@domain``) again; close its open reminders."""
    pattern = _checked_pattern(pattern)
    current = muted(store)
    if pattern not in current:
        store.set_meta(**{MUTED: sorted({*current, pattern})})
    closed = 0
    for record in store.reminders():
        if record["status"] == "open" and is_ignored(record["contact"][0], (pattern,)):
            _close(store, record, now, f"you muted {pattern}", by="mute")
            closed += 1
    return Applied(f"muted {pattern}: {closed} open reminder{'s' if closed != 1 else ''} closed")


def unmute(store: Store, pattern: str) -> Applied:
    """Track ``pattern`` again; what its mail still calls for comes back at the next sync."""
    pattern = _checked_pattern(pattern)
    current = muted(store)
    if pattern not in current:
        listed = ", ".join(current) if current else "none"
        raise ActionError(f"{pattern} is not muted (muted: {listed})")
    store.set_meta(**{MUTED: sorted(set(current) - {pattern})})
    return Applied(f"unmuted {pattern}: it is tracked again from the next sync")


def _checked_pattern(text: str) -> str:
    pattern = text.strip().lower()
    if not _PATTERN.match(pattern):
        raise ActionError(f"cannot mute {text!r}: give an address (dana@example.com) or a domain (@example.com)")
    return pattern


def _close(store: Store, record: dict, now: datetime, reason: str, by: str) -> None:
    stamp = now.isoformat(timespec="seconds")
    store.put_reminder({**record, "status": "closed", "closed_reason": reason, "closed_by": by,
                        "closed_at": stamp, "updated_at": stamp})


def _describe(record: dict) -> str:
    email, name = record["contact"]
    return f"{record['kind']} {record['id']} ({name or email}: {record['subject'] or '(no subject)'})"
