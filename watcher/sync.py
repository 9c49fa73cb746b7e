"""One poll cycle: new mail from every watched folder into the index, then reminders from threads.

``run_once`` is what ``followup-watcher sync`` runs and what the daemon runs on its schedule.
Crash safety: each folder's new messages and its cursor are committed together, and reminders
are derived deterministically from the index, so a sync killed at any point and run again
neither loses nor duplicates anything (durable keys are Message-IDs, never UIDs).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from watcher import command_mail
from watcher.actions import STOP_KIND, muted
from watcher.cadence import cadence_rules
from watcher.model import Message, Reminder, Thread
from watcher.parse import parse_headers
from watcher.rules import keep_in_touch, no_reply
from watcher.rules.addresses import is_ignored, is_machine_address
from watcher.rules.keep_in_touch import Contact
from watcher.source import MailSource, choose_folders
from watcher.records import reminder_from_record, reminder_to_record
from watcher.store import Store
from watcher.threads import build_threads, thread_index
from watcher.workdays import WorkCalendar

log = logging.getLogger(__name__)

TEXT_FETCH_BYTES = 16384   # the most of one text part we ever download
TEXT_KEEP_CHARS = 4000     # the most of a message's new text we keep in the state
CLOSED_THREAD_KINDS = ("decline", STOP_KIND)  # stored records whose thread is never tracked again


@dataclass
class SyncSummary:
    folders: list[str] = field(default_factory=list)
    new_messages: int = 0
    skipped: int = 0
    opened: int = 0
    closed: int = 0
    declined: int = 0
    commands: int = 0
    open_reminders: int = 0
    warnings: list[str] = field(default_factory=list)
    writes: int = 0
    unreadable: list[dict] = field(default_factory=list)  # {"folder", "uid", "reason"} of each skipped

    def skip(self, folder: str, uid: int, error: Exception) -> None:
        """Count an unreadable message, log it and keep it for ``followup-watcher status``."""
        self.skipped += 1
        self.unreadable.append({"folder": folder, "uid": uid, "reason": f"{error.__class__.__name__}: {error}"[:300]})
        log.warning("folder %s, UID %s: unreadable headers skipped (%s)", folder, uid, error)

    def line(self) -> str:
        """The one-line summary ``followup-watcher sync`` prints."""
        parts = [
            f"synced {len(self.folders)} folder{'s' if len(self.folders) != 1 else ''} "
            f"({', '.join(self.folders)})",
            f"{self.new_messages} new message{'s' if self.new_messages != 1 else ''}",
            f"{self.open_reminders} open reminder{'s' if self.open_reminders != 1 else ''} "
            f"({self.opened} new, {self.closed} closed)",
        ]
        if self.declined:
            parts.append(f"{self.declined} declined")
        if self.commands:
            parts.append(f"{self.commands} command{'s' if self.commands != 1 else ''} applied")
        if self.skipped:
            parts.append(f"{self.skipped} unreadable message{'s' if self.skipped != 1 else ''} skipped")
        return ", ".join(parts)


@dataclass(frozen=True)
class Policy:
    """What the pipeline needs from the configuration, as plain values."""

    is_me: Callable[[str], bool]
    lookback: timedelta
    no_reply: no_reply.NoReplySettings
    source_key: str = "imap"
    sent_folder: str = "auto"
    folders: tuple[str, ...] = ("INBOX",)
    track: str = "expecting_reply"
    promise_default_due: timedelta = timedelta(days=2)
    date_order: str = "dmy"
    discard_command_mail: bool = True  # move applied command mails to Trash (digest.command_mail)
    keep_in_touch_after: timedelta | None = None  # rules.keep_in_touch_after; None: off

    @property
    def followups(self) -> "FollowupSettings":
        from watcher.followups import FollowupSettings

        return FollowupSettings(self.no_reply, self.track, self.promise_default_due, self.date_order)


def policy_from_config(config) -> Policy:
    rules = config.rules
    source_config = config.imap or config.local
    return Policy(
        is_me=config.account.is_me,
        lookback=rules.lookback,
        no_reply=no_reply.NoReplySettings(
            wait=rules.no_reply_after,
            calendar=WorkCalendar(rules.business_days, rules.holidays),
            zone=config.digest.timezone,
            ignore=rules.ignore,
            cadence=cadence_rules(rules),
        ),
        track=rules.track,
        promise_default_due=rules.promise_default_due,
        date_order=rules.date_order,
        discard_command_mail=config.digest.command_mail == "trash",
        keep_in_touch_after=rules.keep_in_touch_after,
        source_key="imap" if config.imap else "local",
        sent_folder=source_config.sent_folder,
        folders=source_config.folders,
    )


def run_once(policy: Policy, source: MailSource, store: Store, now: datetime) -> SyncSummary:
    """Read new mail from ``source`` into ``store`` and bring the reminders up to date.

    The state is written once, at the end (and once more before applied command mails are moved).
    A sync that finds nothing new reads no message index, derives nothing and writes nothing. New
    mail re-derives only the threads it joins. Every thread is re-derived when the configuration,
    the muted list or this version changed, when another command (or a sync that was cut short)
    changed the state, after command mail, and on the first sync of each day, which also catches
    the rare message that moves between threads when a later one names its parent."""
    summary = SyncSummary()
    sent, watched, warnings = choose_folders(
        source.list_folders(), policy.sent_folder, policy.folders, policy.source_key
    )
    for warning in warnings:
        log.warning("%s", warning)
    summary.warnings += warnings
    summary.folders = watched
    cutoff = now - policy.lookback
    derived_at = store.generation
    index = MessageIndex(store)
    command_mail.secret(store)  # made on the first sync, so every nudge can carry action links
    commands = CommandMail(command_mail.nudge_ids(store))
    ledger = None
    if policy.keep_in_touch_after is not None:
        ledger = Ledger(store.contacts(), now - keep_in_touch.history(policy.keep_in_touch_after))
    added: set[str] = set()
    try:
        for folder in watched:
            added |= sync_folder(folder, policy, source, store, index, cutoff, now, summary, commands, ledger)
    except BaseException:
        store.commit()  # the folders read completely are kept (each with its cursor); then fail
        raise
    if commands.candidates:
        apply_command_mail(policy, source, store, commands.candidates, now, summary)
    basis = derivation_basis(policy, store)
    today = now.astimezone(policy.no_reply.zone).date().isoformat()
    previous = store.meta(DERIVED_FROM) or {}
    full = (bool(commands.candidates) or previous.get("basis") != basis
            or previous.get("generation") != derived_at or previous.get("day") != today)
    if full or added:
        threads = update_reminders(policy, store, index.messages, now, summary, None if full else added)
        prune_index(store, index.messages, cutoff, threads)
        store.set_meta(**{DERIVED_FROM: {"basis": basis, "generation": store.generation, "day": today}})
    if ledger is not None:
        update_keep_in_touch(policy, store, ledger.contacts, now, summary)
    summary.open_reminders = sum(1 for r in store.reminders() if r["status"] == "open")
    store.commit()
    summary.writes = store.writes
    return summary


DERIVED_FROM = "derived_from"  # meta: the basis and state generation the reminders were derived at


def derivation_basis(policy: "Policy", store: Store) -> str:
    """A digest of everything but the message index that reminders are derived from: this
    version, the rules of the configuration and the muted list."""
    from watcher import __version__

    owner = getattr(policy.is_me, "__self__", None)  # the AccountConfig, for the configured policy
    me = repr(owner) if owner is not None else getattr(policy.is_me, "__qualname__", "")
    text = repr((__version__, me, replace(policy, is_me=None), muted(store)))
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


class MessageIndex:
    """The state's message index, read only when a sync needs it (not when nothing is new)."""

    def __init__(self, store: Store):
        self._store = store
        self._messages: dict[str, Message] | None = None

    @property
    def messages(self) -> dict[str, Message]:
        if self._messages is None:
            self._messages = self._store.messages()
        return self._messages


@dataclass
class Ledger:
    """The keep-in-touch ledger while a sync runs (``watcher.rules.keep_in_touch``): every
    message whose headers are read is noted, from ``history_start`` on; changes are saved with
    each folder's messages."""

    contacts: dict[str, Contact]
    history_start: datetime
    changed: set[str] = field(default_factory=set)

    def note(self, message: Message, is_me) -> None:
        if message.date is not None and message.date < self.history_start:
            return
        for touch in keep_in_touch.touches(message, is_me):
            email = touch.contact.email.lower()
            before = self.contacts.get(email)
            after = keep_in_touch.note(before, touch)
            if after != before:
                self.contacts[email] = after
                self.changed.add(email)

    def save(self, store: Store) -> None:
        if self.changed:
            store.put_contacts(self.contacts[email] for email in sorted(self.changed))
            self.changed.clear()

    def scanned(self, store: Store, folder: str, uidvalidity: int) -> bool:
        """True if the folder's mail before its cursor was read back to ``history_start``."""
        mark = (store.meta(LEDGER_SCANNED) or {}).get(folder)
        return bool(mark) and mark["uidvalidity"] == uidvalidity and mark["since"] <= self.history_start.date().isoformat()

    def mark_scanned(self, store: Store, folder: str, uidvalidity: int) -> None:
        marks = dict(store.meta(LEDGER_SCANNED) or {})
        marks[folder] = {"uidvalidity": uidvalidity, "since": self.history_start.date().isoformat()}
        store.set_meta(**{LEDGER_SCANNED: marks})


LEDGER_SCANNED = "contacts_scanned"  # meta: per folder, how far back the ledger has read it


@dataclass
class CommandMail:
    """The nudges sent so far (their Message-IDs) and the new messages that may be commands."""

    nudge_ids: set[str]
    candidates: list[command_mail.Candidate] = field(default_factory=list)


def apply_command_mail(policy, source, store, candidates, now, summary) -> None:
    """Apply the user's command mails, then move the applied ones to Trash (unless kept)."""
    cadence = policy.no_reply.cadence
    keep_days = cadence.default.steps[-1].days if cadence is not None else 30
    outcome = command_mail.apply(candidates, store, policy.is_me, policy.no_reply.calendar, policy.no_reply.zone,
                                 now, discard=policy.discard_command_mail, keep_days=max(1, keep_days))
    store.commit()  # the decisions are kept even if moving the mails fails below
    summary.commands += len(outcome.applied)
    summary.warnings += [f"command mail ignored: {why}" for why in outcome.ignored]
    summary.warnings += [f"command not applied: {why}" for why in outcome.failed]
    by_folder: dict[str, list[int]] = {}
    for folder, uid in outcome.discard:
        by_folder.setdefault(folder, []).append(uid)
    for folder, uids in by_folder.items():
        try:
            source.discard(folder, uids)
        except Exception as error:  # the commands are applied; a mail left in place is harmless
            log.warning("could not move %d applied command mail(s) out of %s: %s", len(uids), folder, error)


def sync_folder(folder, policy, source, store, index, cutoff, now, summary, commands=None, ledger=None) -> set[str]:
    """Add the folder's new messages to the index and ``store`` (not yet committed), with the
    folder's cursor; return their Message-IDs. With a keep-in-touch ``ledger``, the first scan
    reads headers back to its history start, and a folder scanned before keep-in-touch was on is
    read back once."""
    status = source.select(folder)
    cursor = store.cursor(folder) if source.incremental else None
    after = 0
    if cursor and cursor["uidvalidity"] == status.uidvalidity:
        after = cursor["last_uid"]
        if ledger is not None and not ledger.scanned(store, folder, status.uidvalidity):
            backfill_ledger(folder, after, policy, source, store, ledger, summary)
            ledger.mark_scanned(store, folder, status.uidvalidity)
        if status.uidnext and status.uidnext - 1 <= after:
            return set()  # nothing new: no fetch, no write
    elif cursor:
        log.warning("folder %s: UIDVALIDITY changed (%s -> %s); rescanning it",
                    folder, cursor["uidvalidity"], status.uidvalidity)
    since = min(cutoff, ledger.history_start) if ledger is not None else cutoff
    uids = source.new_uids(after, since.date() if after == 0 else None)
    messages = index.messages
    fresh = read_new_messages(folder, uids, policy, source, messages, cutoff, summary, commands, ledger)
    if fresh:
        store.put_messages(fresh)
        for message in fresh:
            messages[message.message_id] = message
    summary.new_messages += len(fresh)
    if source.incremental:
        last_uid = max([after, *uids, status.uidnext - 1 if after == 0 and status.uidnext else 0])
        store.set_cursor(folder, status.uidvalidity, last_uid, now)
    if ledger is not None:
        ledger.save(store)
        if after == 0:
            ledger.mark_scanned(store, folder, status.uidvalidity)
    return {message.message_id for message in fresh}


def backfill_ledger(folder, up_to_uid, policy, source, store, ledger, summary) -> None:
    """Note the headers of the folder's mail up to ``up_to_uid`` back to the ledger's history
    start: keep-in-touch was turned on (or reaches further back) after the folder was scanned."""
    uids = [uid for uid in source.new_uids(0, ledger.history_start.date()) if uid <= up_to_uid]
    for fetched in source.fetch_headers(uids):
        try:
            ledger.note(parse_headers(fetched.raw, folder, fetched.internaldate), policy.is_me)
        except Exception as error:  # as in read_new_messages: skip it, say so, go on
            summary.skip(folder, fetched.uid, error)
    ledger.save(store)


def read_new_messages(folder, uids, policy, source, index, cutoff, summary, commands=None,
                      ledger=None) -> list[Message]:
    """Fetch headers of ``uids``; keep messages inside the lookback that are not yet indexed;
    fetch the text of those a rule needs to read. Messages that look like command mails are also
    collected in ``commands`` (copies of one already indexed too, so each copy can be moved)."""
    fresh: dict[int, Message] = {}
    seen_commands: dict[int, Message] = {}
    for fetched in source.fetch_headers(uids):
        try:
            message = parse_headers(fetched.raw, folder, fetched.internaldate)
            if fetched.gm_thread:
                message = replace(message, gm_thread=fetched.gm_thread)
        except Exception as error:  # one unreadable message must not stop the sync
            summary.skip(folder, fetched.uid, error)
            continue
        if commands is not None and command_mail.is_candidate(message, commands.nudge_ids):
            seen_commands[fetched.uid] = message
        if ledger is not None:
            ledger.note(message, policy.is_me)
        if message.watcher_mail or message.message_id in index:
            continue
        if message.date is not None and message.date < cutoff:
            continue
        fresh[fetched.uid] = message
    mine_ids = {mid for mid, m in index.items() if _is_mine(m, policy.is_me)}
    mine_ids |= {m.message_id for m in fresh.values() if _is_mine(m, policy.is_me)}
    wanted = [uid for uid, m in fresh.items() if needs_text(m, policy.is_me, mine_ids)]
    texts = source.fetch_texts(wanted, TEXT_FETCH_BYTES) if wanted else {}
    if texts:
        from watcher.rules.out_of_office import read_absence_notice  # lazy: the rules load only when mail came
    for uid, text in texts.items():
        message = fresh[uid].with_text(text[:TEXT_KEEP_CHARS])
        fresh[uid] = message if _is_mine(message, policy.is_me) else read_absence_notice(message)
    if commands is not None:
        commands.candidates += [command_mail.Candidate(folder, uid, fresh.get(uid, message))
                                for uid, message in seen_commands.items()]
    return list(fresh.values())


def _is_mine(message: Message, is_me) -> bool:
    return message.sender is not None and is_me(message.sender.email)


def needs_text(message: Message, is_me, mine_ids: set[str]) -> bool:
    """Bodies are read only for my own mail and for replies to it (answers, auto-replies)."""
    if _is_mine(message, is_me):
        return message.automated is None
    return any(parent in mine_ids for parent in message.parent_ids)


def update_reminders(policy: Policy, store: Store, index: dict[str, Message], now: datetime,
                     summary: SyncSummary, touched: set[str] | None = None) -> list[Thread]:
    """Create, update and close stored reminders to match what the threads say now; record
    declines, which close their thread for good. With ``touched`` (Message-IDs), only the
    threads that hold one of them are looked at: every other thread is as it was when its
    reminders were derived. Return every thread of the index."""
    from watcher.findings import read_message  # the detectors load only when there is something to read
    from watcher.followups import find_followups, why_closed

    every_thread = build_threads(index.values())
    threads = every_thread
    if touched is not None:
        threads = [thread for thread in threads if not thread.ids.isdisjoint(touched)]
    by_id = thread_index(threads)
    stored = {record["key"]: record for record in store.reminders()}
    declined = {mid for r in stored.values() if r["kind"] in CLOSED_THREAD_KINDS for mid in r.get("ids", ())}
    settings = policy.followups
    if muted(store):  # muted contacts are ignored like rules.ignore
        settings = replace(settings, no_reply=replace(settings.no_reply,
                                                      ignore=(*settings.no_reply.ignore, *muted(store))))
    findings: dict[str, Findings] = {}

    def read(message: Message) -> Findings:
        if message.message_id not in findings:
            findings[message.message_id] = read_message(message, policy.is_me, policy.date_order)
        return findings[message.message_id]

    stamp = now.isoformat(timespec="seconds")
    detected: dict[str, Reminder] = {}
    for thread in threads:
        if thread.ids & declined:
            continue
        result = find_followups(thread, policy.is_me, settings, read)
        if result.decline is not None:
            store.put_reminder(decline_record(result.decline, stamp))
            declined |= result.decline.ids
            summary.declined += 1
        for reminder in result.reminders:
            detected[reminder.key] = reminder
    for key, reminder in detected.items():
        record = stored.get(key)
        fields = reminder_to_record(reminder)
        if record is None:
            store.put_reminder({**fields, "status": "open", "created_at": stamp, "updated_at": stamp})
            summary.opened += 1
            continue
        if record.get("snoozed_until"):  # the user said "not before": the mail cannot make it earlier
            fields["due"] = max(fields["due"], record["snoozed_until"])
        if record.get("kept"):  # past the last call on purpose: no limit any more
            fields["max_followups"] = 0
        if record["status"] == "closed" and (
                record.get("closed_by") == "mute"
                or record.get("closed_by") == "last_call" and reminder.followups > record.get("followups", 0)):
            store.put_reminder({**record, **fields, "status": "open", "closed_reason": None, "closed_by": None,
                                "updated_at": stamp})  # unmuted, or I wrote again after the last call
            summary.opened += 1
        elif record["status"] == "open" and any(record.get(k) != v for k, v in fields.items()):
            store.put_reminder({**record, **fields, "updated_at": stamp})
    declines = {mid: r for r in store.reminders() if r["kind"] in CLOSED_THREAD_KINDS for mid in r.get("ids", ())}
    for key, record in stored.items():
        if record["status"] != "open" or key in detected or record["kind"] == keep_in_touch.KIND:
            continue
        reminder = reminder_from_record(record)
        thread = by_id.get(reminder.last_message_id)
        if touched is not None and thread is None and reminder.last_message_id not in declines:
            continue  # a thread this sync did not touch
        if reminder.last_message_id in declines:
            closing = declines[reminder.last_message_id]
            who = closing["contact"]
            reason = f"declined by {who[1] or who[0]}" if closing["kind"] == "decline" else closing["closed_reason"]
        elif thread is None:
            continue  # its thread left the index: no evidence either way, keep it open
        else:
            reason = why_closed(reminder, thread, policy.is_me)
        store.put_reminder({**record, "status": "closed", "closed_reason": reason,
                            "closed_at": stamp, "updated_at": stamp})
        summary.closed += 1
    summary.open_reminders = sum(1 for r in store.reminders() if r["status"] == "open")
    return every_thread


def update_keep_in_touch(policy: Policy, store: Store, contacts: dict[str, Contact], now: datetime,
                         summary: SyncSummary) -> None:
    """Close suggestions whose silence ended; open new ones for people who went silent, at most
    ``SUGGESTIONS_PER_DAY`` a day and open at a time. Never for ignored, muted or machine
    addresses, people who declined or were stopped, or people with another open reminder."""
    stamp = now.isoformat(timespec="seconds")
    records = store.reminders()
    mine = {r["contact"][0]: r for r in records if r["kind"] == keep_in_touch.KIND}
    for email, record in mine.items():
        contact = contacts.get(email)
        if record["status"] == "open" and contact is not None and contact.last_touch > datetime.fromisoformat(record["since"]):
            store.put_reminder({**record, "status": "closed", "closed_reason": "you are back in touch",
                                "closed_at": stamp, "updated_at": stamp})
            summary.closed += 1
    today = now.astimezone(policy.no_reply.zone).date().isoformat()
    opened = store.meta(KEEP_IN_TOUCH_OPENED) or {}
    opened_today = opened.get("count", 0) if opened.get("date") == today else 0
    still_open = sum(1 for r in store.reminders() if r["kind"] == keep_in_touch.KIND and r["status"] == "open")
    room = min(keep_in_touch.SUGGESTIONS_PER_DAY - opened_today, keep_in_touch.SUGGESTIONS_PER_DAY - still_open)
    if room <= 0:
        return
    busy = {r["contact"][0] for r in records if r["status"] == "open" or r["kind"] in CLOSED_THREAD_KINDS}
    never = {email for email, r in mine.items() if r.get("never")}
    ignore = (*policy.no_reply.ignore, *muted(store))
    suggested = {email: datetime.fromisoformat(r["since"]) for email, r in mine.items()}

    def skip(contact: Contact) -> bool:
        return (contact.email in busy or contact.email in never or is_machine_address(contact.email)
                or is_ignored(contact.email, ignore) or keep_in_touch.already_suggested(contact, suggested))

    chosen = keep_in_touch.gone_silent(contacts.values(), now, policy.keep_in_touch_after, skip)[:room]
    for contact in chosen:
        fields = reminder_to_record(keep_in_touch.suggestion(contact, now.astimezone(policy.no_reply.zone).date()))
        previous = mine.get(contact.email)
        created = previous["created_at"] if previous else stamp
        store.put_reminder({**(previous or {}), **fields, "status": "open", "closed_reason": None, "closed_by": None,
                            "snoozed_until": None, "created_at": created, "updated_at": stamp})
        summary.opened += 1
    if chosen:
        store.set_meta(**{KEEP_IN_TOUCH_OPENED: {"date": today, "count": opened_today + len(chosen)}})


KEEP_IN_TOUCH_OPENED = "keep_in_touch_opened"  # meta: {"date", "count"} of today's new suggestions


def decline_record(decline: Decline, stamp: str) -> dict:
    """A decline is stored as a closed record that the next nudge reports once (``reported``)."""
    return {
        "key": decline.key, "kind": "decline", "status": "closed", "subject": decline.subject,
        "contact": [decline.contact.email, decline.contact.name], "since": decline.date.isoformat(),
        "due": decline.date.date().isoformat(), "thread": decline.thread, "last_message_id": decline.key.split(":", 1)[1],
        "text": decline.text, "ids": sorted(decline.ids), "reported": False,
        "closed_reason": f"declined by {decline.contact.display()}", "created_at": stamp, "updated_at": stamp,
    }


def prune_index(store: Store, index: dict[str, Message], cutoff: datetime,
                threads: list[Thread] | None = None) -> int:
    """Drop messages older than the lookback, except those in threads with open reminders;
    return how many were dropped. ``threads``: the index's threads, if already built."""
    stale = [mid for mid, m in index.items() if m.date is not None and m.date < cutoff]
    if not stale:
        return 0
    open_ids = {r["last_message_id"] for r in store.reminders() if r["status"] == "open"}
    pinned: set[str] = set()
    if open_ids:
        for thread in threads if threads is not None else build_threads(index.values()):
            if thread.ids & open_ids:
                pinned |= thread.ids
    drop = [mid for mid in stale if mid not in pinned]
    store.remove_messages(drop)
    for mid in drop:
        del index[mid]
    return len(drop)
