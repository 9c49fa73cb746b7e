"""Keep in touch: people I had a two-way conversation with who then went silent.

Pure: messages in, a contact ledger and suggestions out. The ledger outlives the message index
(which keeps only ``rules.lookback``), so it records per contact just what this rule needs, and
updating it is idempotent: seeing a message twice (a copy in two folders, a rescan) changes
nothing.

Terminology
-----------
touch
    One personal message between me and a contact, either way. Personal means: written by a
    person (no auto-reply, bulk or list mail), to or from a machine-free address, and among at
    most ``MAX_PEOPLE`` people, so a mail to a whole team is not a conversation with each member.
two-way
    Both directions are on record: I wrote to them and they wrote to me.
silence
    The time since the latest touch either way. A contact is suggested once per silence: a new
    touch ends it, and a later silence can be suggested again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from watcher.model import Address, Message, Reminder
from watcher.rules.addresses import is_machine_address

KIND = "keep_in_touch"
MAX_PEOPLE = 4          # sender and recipients of a personal message, me included
SUGGESTIONS_PER_DAY = 2  # new suggestions a day, and open ones at a time


def history(after: timedelta) -> timedelta:
    """How far back the ledger reads mail for a ``keep_in_touch_after`` of ``after``: a year, or
    twice the wait when that is longer, so a silence has a conversation before it to find."""
    return max(timedelta(days=365), 2 * after)


@dataclass(frozen=True)
class Touch:
    """One personal message between me and ``contact``; ``mine`` if I wrote it."""

    contact: Address
    when: datetime
    mine: bool
    subject: str
    message_id: str


@dataclass(frozen=True)
class Contact:
    """What the ledger knows of one person: the latest touch each way, and the subject and
    Message-ID of the latest touch of all (to reply to)."""

    email: str
    name: str = ""
    last_from_me: datetime | None = None
    last_from_them: datetime | None = None
    subject: str = ""
    message_id: str = ""

    @property
    def last_touch(self) -> datetime:
        return max(d for d in (self.last_from_me, self.last_from_them) if d is not None)

    @property
    def two_way(self) -> bool:
        return self.last_from_me is not None and self.last_from_them is not None


def touches(message: Message, is_me: Callable[[str], bool]) -> list[Touch]:
    """Given a message, return the touches it makes: one per other person if I wrote it, one
    for its sender if it came to me; none for automated, list or undated mail, for mail among
    more than ``MAX_PEOPLE`` people, and for machine addresses."""
    if (message.date is None or message.sender is None or message.automated or message.list_mail
            or message.watcher_mail):
        return []
    people = {a.email.lower(): a for a in (message.sender, *message.recipients) if a.email}
    if len(people) > MAX_PEOPLE:
        return []
    message_id = "" if message.synthetic_id else message.message_id
    if is_me(message.sender.email):
        return [Touch(a, message.date, True, message.subject, message_id)
                for email, a in people.items() if not is_me(email) and not is_machine_address(email)]
    if is_machine_address(message.sender.email) or not any(is_me(email) for email in people):
        return []
    return [Touch(message.sender, message.date, False, message.subject, message_id)]


def note(contact: Contact | None, touch: Touch) -> Contact:
    """Return ``contact`` (None: not yet known) with ``touch`` recorded."""
    email = touch.contact.email.lower()
    current = contact or Contact(email)
    field = "last_from_me" if touch.mine else "last_from_them"
    latest = getattr(current, field)
    if latest is not None and touch.when <= latest:
        updated = current
    else:
        updated = replace(current, **{field: touch.when})
    if touch.contact.name and (not updated.name or not touch.mine):
        updated = replace(updated, name=touch.contact.name)  # their own way of writing it wins
    if contact is None or touch.when >= contact.last_touch:
        updated = replace(updated, subject=touch.subject, message_id=touch.message_id)
    return updated


def gone_silent(contacts: Iterable[Contact], now: datetime, after: timedelta,
                skip: Callable[[Contact], bool]) -> list[Contact]:
    """Given the ledger, return the two-way contacts whose latest touch is at least ``after``
    old and that ``skip`` lets through: the most recently silent first (the relationship that is
    still warmest), then by address."""
    cutoff = now - after
    found = [c for c in contacts if c.two_way and c.last_touch <= cutoff and not skip(c)]
    return sorted(found, key=lambda c: (-c.last_touch.timestamp(), c.email))


def already_suggested(contact: Contact, suggested: Mapping[str, datetime]) -> bool:
    """True if ``contact`` was suggested during its current silence (``suggested`` maps
    addresses to the ``since`` of their last suggestion)."""
    since = suggested.get(contact.email)
    return since is not None and since >= contact.last_touch


def suggestion(contact: Contact, today: date) -> Reminder:
    """The reminder that suggests getting in touch with ``contact``, due ``today``."""
    return Reminder(
        key=f"{KIND}:{contact.email}", kind=KIND, subject=contact.subject,
        contact=Address(contact.email, contact.name), since=contact.last_touch, due=today,
        thread=contact.message_id, last_message_id=contact.message_id,
    )
