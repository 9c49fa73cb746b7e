"""How the watcher has been doing, for ``followup-watcher status``: the last sync that worked (per
folder), errors, and the messages it could not read.

Kept in a small file beside the state (``state.json`` -> ``state.health.json``, mode 0600,
written atomically) rather than in the state, so that a poll that finds nothing new still writes
nothing to the state itself. Losing this file loses only history, never a reminder: a missing or
unreadable one reads as empty. It never holds a password or token: errors are the same
user-facing sentences the log shows.

The record functions are pure (a dict in, a new dict out); ``load`` and ``save`` are the edge.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from watcher.store import write_atomically

KEEP_ERRORS = timedelta(days=7)   # errors older than this are dropped; status shows the last 24 hours
MAX_ERRORS = 200
MAX_UNREADABLE = 500              # the newest unreadable messages kept, per the whole mailbox


def health_path(state_path: Path) -> Path:
    state_path = Path(state_path)
    return state_path.with_name(f"{state_path.stem}.health.json")


def load(path: Path) -> dict:
    """The health record at ``path``; an empty one when the file is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(path: Path, data: dict) -> None:
    # Not fsynced: written after every poll, and a file lost in a crash reads as empty history.
    write_atomically(Path(path), json.dumps(data, indent=1, sort_keys=True).encode("utf-8"), durable=False)


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def record_sync(data: dict, now: datetime, folders: list[str], unreadable: list[dict]) -> dict:
    """A sync of ``folders`` finished at ``now``; ``unreadable`` are the messages it skipped
    (``{"folder", "uid", "reason"}``)."""
    stamp = _stamp(now)
    synced = dict(data.get("folders", {}))
    for folder in folders:
        synced[folder] = stamp
    kept = [{**item, "at": stamp} for item in unreadable] + list(data.get("unreadable", []))
    return {**data, "last_sync": stamp, "folders": synced, "unreadable": kept[:MAX_UNREADABLE],
            "unreadable_total": data.get("unreadable_total", 0) + len(unreadable)}


def record_error(data: dict, now: datetime, job: str, message: str) -> dict:
    """``job`` ("sync", "nudge") failed at ``now`` with the user-facing ``message``."""
    cutoff = now - KEEP_ERRORS
    errors = [e for e in data.get("errors", []) if datetime.fromisoformat(e["at"]) >= cutoff]
    errors.insert(0, {"at": _stamp(now), "job": job, "message": message})
    return {**data, "errors": errors[:MAX_ERRORS]}


def recent_errors(data: dict, now: datetime, within: timedelta = timedelta(hours=24)) -> list[dict]:
    """Errors of the last ``within``, newest first."""
    cutoff = now - within
    return [e for e in data.get("errors", []) if datetime.fromisoformat(e["at"]) >= cutoff]
