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
from watcher import command_mail
from watcher.cadence import is_last_call
from watcher.digest import NudgeSettings, build_nudge, due_reminders, focus, should_send
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


def nudge_settings(config, secret: str = "") -> NudgeSettings:
    """The digest's settings from the config; ``secret`` (the state's) signs the action links."""
    return NudgeSettings(
        to=config.digest.to, sender=config.digest.sender,
        account_email=config.account.email, zone=config.digest.timezone,
        max_items=config.digest.max_items, weekdays_only=config.digest.weekdays_only,
        secret=secret, command_address=config.digest.command_address, my_name=config.account.name,
        calendar=config.digest.calendar,
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


def close_last_calls(store: Store, shown, now: datetime) -> None:
    """A reminder shown as the last call ("no answer after 5 follow-ups: stop, or keep going?")
    stops after this nudge; writing to the contact again, or `keep`, brings it back."""
    last = {item.key for item in shown if is_last_call(item)}
    stamp = now.isoformat(timespec="seconds")
    for record in store.reminders():
        if record["key"] in last and record["status"] == "open":
            store.put_reminder({**record, "status": "closed", "closed_by": "last_call", "closed_at": stamp,
                                "closed_reason": f"no answer after {record['followups']} follow-ups",
                                "updated_at": stamp})


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
        settings = nudge_settings(config, command_mail.secret(store))
        if not should_send(today, settings):
            store.set_meta(last_nudge_date=today.isoformat(), last_nudge_items=0)
            store.commit()
            return NudgeResult(False, 0, f"{today:%A}: no nudge at the weekend (digest.weekdays_only = true)")
        items = len(due_reminders(reminders, today))
        declines = unreported_declines(store)
        message = build_nudge(reminders, now, settings, declines)
        if message is None:
            # Today's nudge is settled: nothing was due at the time, so none goes out today.
            store.set_meta(last_nudge_date=today.isoformat(), last_nudge_items=0)
            store.commit()
            return NudgeResult(False, 0, "nothing is due today; no nudge sent")
        shown = focus(reminders, today, settings).shown
        command_mail.record_nudge(store, message["Message-ID"], today.isoformat(), [item.id for item in shown])
        store.commit()  # replies to this nudge must find its items even if delivery is retried
        where = deliver(message, config, environ)
        mark_reported(store, declines)
        close_last_calls(store, shown, now)
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
