"""The follow-up cadence: how long each ``no_reply`` reminder waits, and when to stop asking.

Pure: plain values in, plain values out; the calendar arithmetic is ``WorkCalendar``'s.

Terminology
-----------
run
    My unanswered messages at the end of a thread (``rules.no_reply.unanswered_run``). The first
    one is the message that started the wait; every later one is a *follow-up*.
followups
    How many follow-ups the run holds: ``len(run) - 1``.
step
    One wait of the cadence. After my first message the reminder waits ``steps[0]``; after my
    n-th follow-up it waits ``steps[n]``, the last step repeating once the list runs out.
last call
    The reminder after my ``max_followups``-th follow-up went unanswered: shown once as "no answer
    after 5 follow-ups: stop, or keep going?", then no more nudges unless the user keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from watcher.model import Reminder
from watcher.rules.addresses import is_ignored

DEFAULT_STEPS = (timedelta(days=3), timedelta(days=5), timedelta(days=7), timedelta(days=14), timedelta(days=30))
DEFAULT_MAX_FOLLOWUPS = 5
NO_LIMIT = 0


@dataclass(frozen=True)
class Cadence:
    """``steps``: the waits, in order (at least one); ``max_followups``: how many follow-ups
    before the last call, or ``NO_LIMIT`` (0) for none."""

    steps: tuple[timedelta, ...] = DEFAULT_STEPS
    max_followups: int = DEFAULT_MAX_FOLLOWUPS

    def wait(self, followups: int) -> timedelta:
        """Given how many follow-ups of mine the run already holds, return how long the next
        reminder waits after my latest message: ``steps[followups]``, the last step repeating."""
        return self.steps[min(max(followups, 0), len(self.steps) - 1)]


@dataclass(frozen=True)
class ContactCadence:
    """A ``[[rules.contact]]`` override: ``match`` is an address, ``@domain`` or glob."""

    match: str
    cadence: Cadence


@dataclass(frozen=True)
class CadenceRules:
    """The cadence for everyone (``default``) and per-contact overrides, first match wins."""

    default: Cadence = Cadence()
    contacts: tuple[ContactCadence, ...] = ()

    def for_contact(self, email: str) -> Cadence:
        """Return the cadence of the first override whose pattern matches ``email`` (matched as
        ``rules.ignore`` is: exact, ``@domain`` or glob, case-insensitive), else the default."""
        for override in self.contacts:
            if is_ignored(email, (override.match,)):
                return override.cadence
        return self.default


def cadence_rules(rules) -> CadenceRules:
    """Given ``config.rules`` (``cadence``, ``max_followups`` and ``contacts``, each contact with
    ``match`` and optional ``cadence`` and ``max_followups``), return its CadenceRules. What a
    contact leaves out comes from the rules for everyone."""
    default = Cadence(tuple(rules.cadence), rules.max_followups)
    contacts = tuple(
        ContactCadence(contact.match, Cadence(
            tuple(contact.cadence) if contact.cadence else default.steps,
            contact.max_followups if contact.max_followups is not None else default.max_followups))
        for contact in rules.contacts
    )
    return CadenceRules(default, contacts)


def is_last_call(reminder: Reminder) -> bool:
    """True if ``reminder`` is the last call: a ``no_reply`` whose run holds exactly its
    ``max_followups`` follow-ups. Once it is due, the nudge shows it once as "stop, or keep
    going?" and the store stops it. False when there is no limit, and past the limit (the user
    wrote again, or kept it: the wait goes on)."""
    return (reminder.kind == "no_reply" and reminder.max_followups != NO_LIMIT
            and reminder.followups == reminder.max_followups)


def step_label(reminder: Reminder) -> str:
    """Where a due ``no_reply`` reminder is in its cadence, for the nudge: "next: follow-up 2 of
    5", "no answer after 5 follow-ups: stop, or keep going?", "next: follow-up 7 (past the 5
    planned)"; "" when there is no limit or the reminder is of another kind."""
    if reminder.kind != "no_reply" or reminder.max_followups == NO_LIMIT:
        return ""
    limit, done = reminder.max_followups, reminder.followups
    if done == limit:
        return f"no answer after {limit} follow-up{'s' if limit != 1 else ''}: stop, or keep going?"
    if done < limit:
        return f"next: follow-up {done + 1} of {limit}"
    return f"next: follow-up {done + 1} (past the {limit} planned)"
