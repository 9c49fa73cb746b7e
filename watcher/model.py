"""Plain values that flow through the pipeline: source -> parse -> threads -> rules -> store -> digest.

Terminology
-----------
me
    The account address or one of its aliases (``account.email``, ``account.aliases``).
message id
    A Message-ID without angle brackets, lower-cased, e.g. ``"cafe.123@example.com"``. It is the
    durable key for everything; IMAP UIDs are never stored outside the per-folder cursors.
contact
    The other person in a conversation: for a message of mine, its first recipient who is not me.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime


@dataclass(frozen=True)
class Address:
    """One mailbox from an address header; ``email`` is lower-cased, ``name`` as written."""

    email: str
    name: str = ""

    def display(self) -> str:
        """Return the name when there is one, otherwise the address."""
        return self.name or self.email


@dataclass(frozen=True)
class Message:
    """What the rules need to know about one message.

    ``date`` keeps the sender's own UTC offset (so "tomorrow" means the sender's tomorrow).
    ``automated`` is ``None`` for mail a person wrote, otherwise a short reason such as
    ``"Auto-Submitted: auto-replied"``. ``text`` is the new text (quotes and signature removed),
    present only where a rule needed the body; ``None`` means the body was not read.
    ``sole_sender`` is False when the From field is repeated, names several addresses or is
    malformed around one: then ``sender`` is only a guess, which a command mail may not rest on.
    """

    message_id: str
    subject: str = ""
    sender: Address | None = None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    date: datetime | None = None
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    automated: str | None = None
    folder: str = ""
    text: str | None = None
    synthetic_id: bool = False
    list_mail: bool = False
    watcher_mail: bool = False
    sole_sender: bool = True  # From names exactly one address, plainly (not kept in the state)
    gm_thread: str | None = None  # Gmail's conversation id (X-GM-THRID), where the server gives one

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc

    @property
    def parent_ids(self) -> tuple[str, ...]:
        """References followed by In-Reply-To ids not already listed, oldest first."""
        seen = list(self.references)
        for mid in self.in_reply_to:
            if mid not in seen:
                seen.append(mid)
        return tuple(m for m in seen if m != self.message_id)

    def with_text(self, text: str | None) -> "Message":
        return replace(self, text=text)


@dataclass
class Thread:
    """A conversation: messages ordered by date (undated ones first), and the root's message id.

    ``root_id`` is the Message-ID at the top of the reply tree, which may be a message we never
    saw (a "ghost" referenced by others); ``ids`` holds every message id known to belong to it,
    ghosts included, so a late reply that references any of them can be matched.
    """

    root_id: str
    messages: list[Message] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    @property
    def subject(self) -> str:
        for message in self.messages:
            if message.subject:
                return message.subject
        return ""


@dataclass(frozen=True)
class Reminder:
    """A follow-up the user owes or is owed, as detected from the mailbox.

    ``key`` is durable (kind + the Message-ID that started it) and ``id`` is its short, stable
    form shown to the user. ``since`` is when the wait started; ``due`` the local calendar date
    from which it is shown. ``followups`` counts my messages in the thread after the first one;
    ``max_followups`` is the contact's ``rules.max_followups`` for a ``no_reply`` reminder (0: no
    limit, and for other kinds), see ``watcher.cadence.is_last_call``.
    """

    key: str
    kind: str
    subject: str
    contact: Address
    since: datetime
    due: date
    thread: str
    last_message_id: str
    followups: int = 0
    snippet: str = ""
    text: str = ""
    max_followups: int = 0
    not_now: bool = False  # a check_back that is the contact's soft no ("said not now")

    @property
    def id(self) -> str:
        return short_id(self.key)


def short_id(key: str) -> str:
    """Return a short, stable, URL- and mail-safe id for a durable key (6 base32 characters)."""
    import base64
    import hashlib

    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:6].lower()
