"""The two jobs, shared by the CLI and the daemon: sync the mailbox, and send the day's nudge.

Each job opens the state under its lock, does its work and closes it again, so a command such
as ``followup-watcher list`` run next to the daemon always sees a complete state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from watcher.credentials import resolve_secret
from watcher.deliver import deliver
from watcher.digest import NudgeSettings, build_nudge, due_reminders
from watcher.errors import WatcherError
from watcher.imap_source import ImapSource
from watcher.source import LocalSource, MailSource
from watcher.store import Store, reminder_from_record
from watcher.sync import SyncSummary, policy_from_config, run_once

log = logging.getLogger(__name__)


def open_source(config, environ: Mapping[str, str]) -> MailSource:
    """Connect to the configured mail source (IMAP, or local Maildir/mbox)."""
    if config.local is not None:
        return LocalSource(config.local.path)
    return ImapSource.connect(config.imap, resolve_secret(config.imap.secret, environ))


def sync(config, environ: Mapping[str, str], now: datetime, source: MailSource | None = None) -> SyncSummary:
    """Run one poll cycle against the configured mailbox (or ``source``) and return its summary."""
    own_source = source is None
    with Store.open(config.state.path, "sync") as store:
        source = source or open_source(config, environ)
        try:
            return run_once(policy_from_config(config), source, store, now)
        finally:
            if own_source:
                source.close()


def nudge_settings(config) -> NudgeSettings:
    return NudgeSettings(
        to=config.digest.to, sender=config.digest.sender,
        account_email=config.account.email, zone=config.digest.timezone,
    )


def open_reminders(store: Store):
    return [reminder_from_record(r) for r in store.reminders() if r["status"] == "open"]


def unreported_declines(store: Store):
    """Declines the nudge has not reported yet, oldest first."""
    records = [r for r in store.reminders() if r["kind"] == "decline" and not r.get("reported")]
    return sorted((reminder_from_record(r) for r in records), key=lambda r: r.since)


def mark_reported(store: Store, declines) -> None:
    keys = {d.key for d in declines}
    for record in store.reminders():
        if record["key"] in keys:
            store.put_reminder({**record, "reported": True})


@dataclass(frozen=True)
class NudgeResult:
    sent: bool
    items: int
    detail: str


def send_nudge(config, environ: Mapping[str, str], now: datetime) -> NudgeResult:
    """Build today's nudge and deliver it now; record that today's nudge is settled (sent, or
    nothing was due, in which case no mail goes out)."""
    with Store.open(config.state.path, "digest") as store:
        reminders = open_reminders(store)
        today = now.astimezone(config.digest.timezone).date()
        items = len(due_reminders(reminders, today))
        declines = unreported_declines(store)
        message = build_nudge(reminders, now, nudge_settings(config), declines)
        if message is None:
            # Today's nudge is settled: nothing was due at the time, so none goes out today.
            store.set_meta(last_nudge_date=today.isoformat(), last_nudge_items=0)
            store.commit()
            return NudgeResult(False, 0, "nothing is due today; no nudge sent")
        where = deliver(message, config, environ)
        mark_reported(store, declines)
        store.set_meta(last_nudge_date=today.isoformat(), last_nudge_at=now.isoformat(timespec="seconds"),
                       last_nudge_message_id=message["Message-ID"], last_nudge_items=items)
        store.commit()
        return NudgeResult(True, items, f"nudge with {items} item{'s' if items != 1 else ''} {where}")


def nudge_is_due(now: datetime, last_sent: date | None, send_time: time, zone) -> bool:
    """True once today's send time (local) has passed and no nudge went out today: this is also
    how a nudge missed while the machine slept or the daemon was down is caught up."""
    local = now.astimezone(zone)
    if last_sent is not None and last_sent >= local.date():
        return False
    return local.time() >= send_time


def last_nudge_date(config) -> date | None:
    with Store.open(config.state.path, lock=False) as store:
        value = store.meta("last_nudge_date")
    return date.fromisoformat(value) if value else None


def describe_error(error: Exception) -> str:
    return str(error) if isinstance(error, WatcherError) else f"{error.__class__.__name__}: {error}"
