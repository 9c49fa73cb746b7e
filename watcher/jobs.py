"""The two jobs, shared by the CLI and the daemon: sync the mailbox, and send the day's nudge.

Each job opens the state under its lock, does its work and closes it again, so a command such
as ``followup-watcher list`` run next to the daemon always sees a complete state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from watcher.credentials import resolve_secret
from watcher import command_mail, health
from watcher.cadence import is_last_call
from watcher.errors import DeliveryError, WatcherError
from watcher.imap_source import ImapSource
from watcher.source import LocalSource, MailSource
from watcher.records import reminder_from_record
from watcher.store import Store
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
    where = health.health_path(config.state.path)
    with Store.open(config.state.path, "sync") as store:
        try:
            source = source or open_source(config, environ)
            try:
                summary = run_once(policy_from_config(config), source, store, now)
            finally:
                if own_source:
                    source.close()
        except Exception as error:  # recorded for `status`, then handled by the caller as before
            health.save(where, health.record_error(health.load(where), now, "sync", describe_error(error)))
            raise
        health.save(where, health.record_sync(health.load(where), now, summary.folders, summary.unreadable))
        return summary


def nudge_settings(config, secret: str = "") -> "NudgeSettings":
    """The digest's settings from the config; ``secret`` (the state's) signs the action links."""
    from watcher.digest import NudgeSettings  # the nudge's modules load only for the nudge: a sync is quicker

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


NUDGE_ATTEMPT = "nudge_attempt"  # meta: today's delivery attempt, see send_nudge
RETRY_FIRST = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=1)


def send_nudge(config, environ: Mapping[str, str], now: datetime, again: bool = False) -> NudgeResult:
    """Build today's nudge and deliver it now; record that today's nudge is settled (sent, or
    nothing was due, in which case no mail goes out).

    At most one nudge a day, across crashes: the attempt is recorded before delivery (its
    Message-ID is fixed per day), marked ``handover`` right before the server may take the
    message, and ``sent`` after. A run that finds today's attempt still at ``handover`` cannot
    know whether the server took it, so it does not send again (``status`` says so). A failure
    before the handover, or one the server states (SMTP DATA refused), is ``failed`` and retried
    from ``retry_at`` (5 minutes, doubling, at most an hour apart). Once today's nudge is sent,
    another goes out only when asked (``again``: ``digest --send --again``)."""
    from watcher.deliver import deliver
    from watcher.digest import build_nudge, due_reminders, focus, should_send

    with Store.open(config.state.path, "digest") as store:
        reminders = open_reminders(store)
        today = now.astimezone(config.digest.timezone).date()
        stamp = now.isoformat(timespec="seconds")
        settings = nudge_settings(config, command_mail.secret(store))
        attempt = store.meta(NUDGE_ATTEMPT) or {}
        if attempt.get("date") == today.isoformat() and attempt.get("phase") == "handover":
            settle(store, today, now)
            store.set_meta(**{NUDGE_ATTEMPT: {**attempt, "phase": "uncertain"}})
            store.commit()
            return NudgeResult(False, 0, "today's nudge was being handed to the mail server when the watcher "
                                         "stopped; it is not sent again, so it never arrives twice")
        if attempt.get("date") == today.isoformat() and attempt.get("phase") in ("sent", "uncertain") and not again:
            sent_at = datetime.fromisoformat(attempt["at"]).astimezone(config.digest.timezone)
            how = "went out" if attempt["phase"] == "sent" else "may have gone out (cut short)"
            return NudgeResult(False, 0, f"today's nudge already {how} at {sent_at:%H:%M}; "
                                         "`followup-watcher digest --send --again` sends another")
        if not should_send(today, settings):
            settle(store, today, now)
            store.commit()
            return NudgeResult(False, 0, f"{today:%A}: no nudge at the weekend (digest.weekdays_only = true)")
        items = len(due_reminders(reminders, today))
        declines = unreported_declines(store)
        message = build_nudge(reminders, now, settings, declines)
        if message is None:
            # Today's nudge is settled: nothing was due at the time, so none goes out today.
            settle(store, today, now)
            store.commit()
            return NudgeResult(False, 0, "nothing is due today; no nudge sent")
        shown = focus(reminders, today, settings).shown
        command_mail.record_nudge(store, message["Message-ID"], today.isoformat(), [item.id for item in shown])
        tries = attempt.get("tries", 0) + 1 if attempt.get("date") == today.isoformat() else 1
        record = {"date": today.isoformat(), "message_id": message["Message-ID"], "phase": "composed",
                  "at": stamp, "tries": tries}
        store.set_meta(**{NUDGE_ATTEMPT: record})
        store.commit()  # replies to this nudge must find its items even if delivery is retried
        handed_over = []

        def handover() -> None:
            handed_over.append(True)
            store.set_meta(**{NUDGE_ATTEMPT: {**record, "phase": "handover"}})
            store.commit()

        try:
            where = deliver(message, config, environ, handover)
        except DeliveryError as error:
            if handed_over and not refused_by_server(error):
                settle(store, today, now)
                store.set_meta(**{NUDGE_ATTEMPT: {**record, "phase": "uncertain", "error": str(error)}})
            else:
                retry = now + min(RETRY_CAP, RETRY_FIRST * 2 ** (tries - 1))
                store.set_meta(**{NUDGE_ATTEMPT: {**record, "phase": "failed", "error": str(error),
                                                  "retry_at": retry.isoformat(timespec="seconds")}})
            store.commit()
            where = health.health_path(config.state.path)
            health.save(where, health.record_error(health.load(where), now, "nudge", str(error)))
            raise
        mark_reported(store, declines)
        close_last_calls(store, shown, now)
        settle(store, today, now)
        store.set_meta(last_nudge_at=stamp, last_nudge_message_id=message["Message-ID"], last_nudge_items=items,
                       **{NUDGE_ATTEMPT: {**record, "phase": "sent", "at": stamp}})
        store.commit()
        return NudgeResult(True, items, f"nudge with {items} item{'s' if items != 1 else ''} {where}")


def settle(store: Store, today: date, now: datetime) -> None:
    """Today's nudge is handled (sent, not needed, or not to be repeated)."""
    store.set_meta(last_nudge_date=today.isoformat(), nudge_settled_at=now.isoformat(timespec="seconds"))


def refused_by_server(error: Exception) -> bool:
    """True if the server answered the message itself with an error, so it surely kept nothing."""
    import smtplib

    return isinstance(error.__cause__, smtplib.SMTPDataError)


def nudge_retry_at(config) -> datetime | None:
    """When a failed nudge of today may be tried again, or None if none is waiting."""
    with Store.open(config.state.path, lock=False) as store:
        attempt = store.meta(NUDGE_ATTEMPT) or {}
    if attempt.get("phase") != "failed" or not attempt.get("retry_at"):
        return None
    return datetime.fromisoformat(attempt["retry_at"])


def nudge_is_due(now: datetime, last_sent: date | None, send_time: time, zone) -> bool:
    """True once today's send time (local) has passed and no nudge went out today: this is also
    how a nudge missed while the machine slept or the daemon was down is caught up."""
    local = now.astimezone(zone)
    if last_sent is not None and last_sent >= local.date():
        return False
    return local.time() >= send_time


def last_nudge_date(config) -> date | None:
    """The local day (in today's ``digest.timezone``) whose nudge is settled last. Taken from the
    moment it was settled, so changing the time zone neither skips nor repeats a day."""
    with Store.open(config.state.path, lock=False) as store:
        settled_at, value = store.meta("nudge_settled_at"), store.meta("last_nudge_date")
    if settled_at:
        return datetime.fromisoformat(settled_at).astimezone(config.digest.timezone).date()
    return date.fromisoformat(value) if value else None


def record_error(config, now: datetime, job: str, message: str) -> None:
    """Keep an error for ``followup-watcher status`` (under the state lock; skipped if busy)."""
    where = health.health_path(config.state.path)
    try:
        with Store.open(config.state.path, "status", wait=5):
            health.save(where, health.record_error(health.load(where), now, job, message))
    except WatcherError as error:
        log.debug("could not record the error for status: %s", error)


def describe_error(error: Exception) -> str:
    return str(error) if isinstance(error, WatcherError) else f"{error.__class__.__name__}: {error}"
