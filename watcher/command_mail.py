"""Applying the commands the user mails to the watcher (action links and replies to a nudge).

Called by the sync with the new messages that look like commands. A command mail is applied
only when it comes from one of my addresses **and** proves itself: an action link by its token,
a reply by referring to a nudge the watcher sent (its Message-ID carries an HMAC). Anything else
is logged and ignored, so a forged From header closes nothing. Each command mail is applied
once (its Message-ID is remembered); applied ones are moved to Trash unless
``digest.command_mail = "keep"``: apart from the nudge itself, the only change the watcher makes
to the mailbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from watcher import actions, commands
from watcher.model import Message
from watcher.store import Store
from watcher.workdays import WorkCalendar

log = logging.getLogger(__name__)

SECRET = "action_secret"  # state meta key of the HMAC key for action links and nudge ids
NUDGES = "nudges"  # state meta key: the nudges sent, with the ids of their items in order
APPLIED = "applied_commands"  # state meta key: Message-IDs of command mails already applied
KEEP_NUDGES = 60
KEEP_APPLIED = 500


@dataclass(frozen=True)
class Candidate:
    """A new message that may be a command: where it is (to move it) and what it is."""

    folder: str
    uid: int
    message: Message


@dataclass
class Outcome:
    applied: list[str] = field(default_factory=list)  # what was done, in words
    failed: list[str] = field(default_factory=list)  # genuine commands that could not be applied, and why
    ignored: list[str] = field(default_factory=list)  # why a command mail was not applied
    discard: list[tuple[str, int]] = field(default_factory=list)  # (folder, uid) to move to Trash


def secret(store: Store) -> str:
    """The state's key for tokens, made on first use (the state file is mode 0600)."""
    value = store.meta(SECRET)
    if not value:
        value = commands.new_secret()
        store.set_meta(**{SECRET: value})
    return value


def record_nudge(store: Store, message_id: str, day: str, item_ids: list[str]) -> None:
    """Remember a sent nudge and its items in order, so "done 3" in a reply to it means its third."""
    kept = [n for n in store.meta(NUDGES, []) or [] if n.get("message_id") != message_id][-(KEEP_NUDGES - 1):]
    store.set_meta(**{NUDGES: [*kept, {"message_id": message_id, "day": day, "items": list(item_ids)}]})


def is_candidate(message: Message, nudge_ids: set[str]) -> bool:
    """Whether a new message looks like a command: an action-link subject or a reply to a nudge."""
    return commands.looks_like_command(message.subject) or bool(set(message.parent_ids) & nudge_ids)


def nudge_ids(store: Store) -> set[str]:
    return {n["message_id"].strip("<>") for n in store.meta(NUDGES, []) or []}


def apply(candidates: list[Candidate], store: Store, is_me, calendar: WorkCalendar, zone, now: datetime,
          discard: bool = True, keep_days: int = 30) -> Outcome:
    """Apply each candidate command mail once; return what happened and what to move to Trash."""
    outcome = Outcome()
    key = secret(store)
    nudges = {n["message_id"].strip("<>"): n for n in store.meta(NUDGES, []) or []}
    done_before = set(store.meta(APPLIED, []) or [])
    applied_now: list[str] = []
    for candidate in candidates:
        message = candidate.message
        if message.message_id in done_before or message.message_id in applied_now:
            # Another copy (Sent, a redelivery) of one applied. Its Message-ID is no proof: anyone
            # can reuse it, so the copy must prove itself like the original before it is moved.
            why = _unproven(message, key, nudges, is_me)
            if why:
                outcome.ignored.append(why)
                log.warning("command mail %s ignored: %s", message.message_id, why)
            elif discard:
                outcome.discard.append((candidate.folder, candidate.uid))
            continue
        found, why = _commands_of(message, key, nudges, is_me)
        if not found:
            outcome.ignored.append(why)
            log.warning("command mail %s ignored: %s", message.message_id, why)
            continue
        for command in found:
            try:
                outcome.applied.append(_apply_one(command, store, calendar, zone, now, keep_days))
            except actions.ActionError as error:
                action, item_id = command[0].action, command[1]
                log.warning("command %s %s not applied: %s", action, item_id, error)
                outcome.failed.append(f"{action} {item_id}: {error}")
        applied_now.append(message.message_id)
        if discard:
            outcome.discard.append((candidate.folder, candidate.uid))
    if applied_now:
        store.set_meta(**{APPLIED: [*done_before, *applied_now][-KEEP_APPLIED:]})
    return outcome


def _unproven(message: Message, key: str, nudges: dict, is_me) -> str:
    """Why a mail is not a genuine command mail (from me, with a valid token or answering a
    nudge the watcher sent), or "" when it is."""
    sender = message.sender.email if message.sender else "nobody"
    if message.sender is None or not is_me(sender):
        return f"from {sender}, which is not one of your addresses"
    if not message.sole_sender:
        return "its From field names more than one address, or is malformed"
    if commands.command_in_subject(message.subject, key) is not None:
        return ""
    if commands.looks_like_command(message.subject):
        return "its token does not match (a link from an old state, or edited by hand)"
    if not any(parent in nudges for parent in message.parent_ids):
        return "it answers no nudge the watcher sent"
    return ""


def _commands_of(message: Message, key: str, nudges: dict, is_me) -> tuple[list[tuple], str]:
    """The (command, item id) pairs a mail carries, or an empty list and why it is not accepted."""
    why = _unproven(message, key, nudges, is_me)
    if why:
        return [], why
    link = commands.command_in_subject(message.subject, key)
    if link is not None:
        return [(link, link.target)], ""
    nudge = next(nudges[parent] for parent in message.parent_ids if parent in nudges)
    found = []
    for command in commands.commands_in_reply(message.text or ""):
        item = _item(command.target, nudge["items"])
        if item is None:
            log.warning("command %r in %s names no item of that nudge", command.target, message.message_id)
            continue
        found.append((command, item))
    return found, "no command line (done 3, snooze 2 5d, stop 4, mute 1) in the reply"


def _item(target: str, items: list[str]) -> str | None:
    """A number is the item's place in that nudge; anything else is an id."""
    if target.isdigit():
        number = int(target)
        return items[number - 1] if 1 <= number <= len(items) else None
    return target


def _apply_one(pair: tuple, store: Store, calendar: WorkCalendar, zone, now: datetime, keep_days: int) -> str:
    """Apply one command; raise ActionError when it cannot be (the item is closed, say)."""
    command, item_id = pair
    if command.action == "keep":
        until = calendar.add_days(now.astimezone(zone).date(), keep_days)
        return actions.keep(store, item_id, until, now).summary
    if command.action == "done":
        return actions.mark_done(store, item_id, now).summary
    if command.action == "snooze":
        today = now.astimezone(zone).date()
        until = actions.snooze_until(command.until or commands.DEFAULT_SNOOZE, today, calendar)
        return actions.snooze(store, item_id, until, now).summary
    if command.action == "stop":
        return actions.stop(store, item_id, now).summary
    record = actions.find_open(store, item_id)
    return actions.mute(store, record["contact"][0], now).summary

