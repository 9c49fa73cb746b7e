"""What ``followup-watcher status`` says: is it working, and what went wrong lately.

Pure: the facts (``Facts``, gathered by the CLI from the state, its health file and the run lock)
in, a JSON-ready dict or lines of text out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from watcher.health import recent_errors

SHOW_UNREADABLE = 10


@dataclass(frozen=True)
class Facts:
    now: datetime
    zone: tzinfo
    state_path: str
    state_bytes: int
    messages: int
    open_reminders: int
    daemon: str | None            # who holds the run lock, or None
    cursors: list[dict]           # the state's folder cursors
    meta: dict                    # last_nudge_at, last_nudge_items, nudge_attempt, ...
    health: dict = field(default_factory=dict)


def _ago(then: datetime, now: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{seconds // 60} min ago"
    if seconds < 36 * 3600:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def _when(value: str | None, facts: Facts) -> str:
    if not value:
        return "never"
    moment = datetime.fromisoformat(value)
    return f"{moment.astimezone(facts.zone):%a %d %b %H:%M} ({_ago(moment, facts.now)})"


def report(facts: Facts) -> dict:
    """Everything ``status --json`` prints."""
    health = facts.health
    folders = dict(health.get("folders", {}))
    for cursor in facts.cursors:  # folders synced before health was kept
        folders.setdefault(cursor["folder"], cursor.get("synced_at"))
    attempt = facts.meta.get("nudge_attempt") or {}
    return {
        "state": {"path": facts.state_path, "bytes": facts.state_bytes, "messages": facts.messages,
                  "open_reminders": facts.open_reminders},
        "daemon": facts.daemon,
        "last_sync": health.get("last_sync"),
        "folders": folders,
        "last_nudge": {"at": facts.meta.get("last_nudge_at"), "items": facts.meta.get("last_nudge_items"),
                       "message_id": facts.meta.get("last_nudge_message_id")},
        "nudge_attempt": attempt or None,
        "errors_24h": recent_errors(health, facts.now, timedelta(hours=24)),
        "unreadable_total": health.get("unreadable_total", 0),
        "unreadable": health.get("unreadable", []),
    }


def _attempt_line(attempt: dict, facts: Facts) -> str | None:
    phase = attempt.get("phase")
    if phase == "failed":
        retry = datetime.fromisoformat(attempt["retry_at"]).astimezone(facts.zone)
        return (f"nudge of {attempt['date']}: not delivered yet ({attempt.get('tries', 1)} tries); "
                f"next try at {retry:%H:%M}: {attempt.get('error', '')}")
    if phase == "uncertain":
        return (f"nudge of {attempt['date']}: the watcher stopped while handing it to the mail server; "
                "it was not sent again (check your inbox; `digest --preview` shows it)")
    if phase in ("composed", "handover"):
        return f"nudge of {attempt['date']}: being delivered"
    return None


def render(facts: Facts) -> list[str]:
    """The text ``status`` prints, a fact a line."""
    data = report(facts)
    state = data["state"]
    lines = [f"state: {state['path']} ({state['bytes'] / 1024:.0f} KB; {state['messages']} messages indexed, "
             f"{state['open_reminders']} open reminders)",
             f"daemon: {'running: ' + data['daemon'] if data['daemon'] else 'not running'}",
             f"last sync: {_when(data['last_sync'], facts)}"]
    for folder, when in sorted(data["folders"].items()):
        lines.append(f"  {folder}: {_when(when, facts)}")
    last = data["last_nudge"]
    lines.append(f"last nudge: {_when(last['at'], facts)}"
                 + (f", {last['items']} item{'s' if last['items'] != 1 else ''}" if last["at"] else ""))
    attempt = _attempt_line(data["nudge_attempt"] or {}, facts)
    if attempt:
        lines.append(attempt)
    errors = data["errors_24h"]
    lines.append(f"errors in the last 24 hours: {len(errors) or 'none'}")
    for error in errors[:SHOW_UNREADABLE]:
        lines.append(f"  {_when(error['at'], facts)} {error['job']}: {error['message']}")
    total = data["unreadable_total"]
    lines.append(f"unreadable messages skipped: {total or 'none'}")
    for item in data["unreadable"][:SHOW_UNREADABLE]:
        lines.append(f"  {item['folder']} UID {item['uid']}: {item['reason']}")
    if len(data["unreadable"]) > SHOW_UNREADABLE:
        lines.append(f"  … `followup-watcher status --json` lists the newest {len(data['unreadable'])}")
    return lines
