"""Commands sent by mail: the nudge's action links, and replies to the nudge.

Pure: secrets, subjects and bodies in, ``Command`` values out. Two forms are accepted:

- an **action link** opens a mail to the user's own address whose subject names the action, the
  item's id and a token: ``followup-watcher done q6bpzo 3f9c…`` (``snooze 2d``, ``snooze 1w``,
  ``stop``, ``mute``). The token is an HMAC-SHA256 over the id and the action, keyed by a secret
  that only the state holds, cut to ``TOKEN_CHARS`` hex characters: nobody can make one for
  another action or item;
- a **reply to a nudge**, one command per line before the quoted nudge: ``done 3``, ``snooze 2
  5d``, ``stop 4``, ``mute 1``, the argument being the item's number in that nudge or its id. The
  reply proves itself by referring to the nudge's Message-ID, which carries an HMAC of its own.

Who may send them (one of my addresses) and applying them is the caller's job
(``watcher.sync``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

TOKEN_CHARS = 20  # 80 bits of the HMAC: the issue asks for at least 16 characters
ACTIONS = ("done", "snooze", "stop", "keep", "mute")
SUBJECT_TAG = "followup-watcher"
_SNOOZE_ARGUMENT = r"\d{1,3}[dw]|\d{4}-\d{2}-\d{2}"
_SUBJECT = re.compile(
    rf"\b{SUBJECT_TAG}\s+(?P<action>done|stop|keep|mute|snooze\s+(?P<until>{_SNOOZE_ARGUMENT}))\s+"
    r"(?P<id>[a-z2-7]{6})\s+(?P<token>[0-9a-f]{16,64})\b", re.IGNORECASE)
_LINE = re.compile(
    rf"^\s*(?P<action>done|stop|keep|mute|snooze)\s+(?P<target>\d{{1,3}}|[a-z2-7]{{6}})"
    rf"(?:\s+(?P<until>{_SNOOZE_ARGUMENT}))?\s*[.!]?\s*$", re.IGNORECASE)
DEFAULT_SNOOZE = "2d"


@dataclass(frozen=True)
class Command:
    """``target`` is an item id, or for replies possibly its number in the nudge (as text)."""

    action: str
    target: str
    until: str | None = None  # for snooze: "2d", "1w" or a date


def new_secret() -> str:
    """A fresh random key for tokens (256 bits, hex)."""
    return secrets.token_hex(32)


def token(secret: str, item_id: str, action: str) -> str:
    """Given the state's secret, an item id and the action as written in the subject ("done",
    "snooze 2d"), return the token that authorises it."""
    message = f"{item_id.lower()}:{' '.join(action.lower().split())}".encode()
    return hmac.new(bytes.fromhex(secret), message, hashlib.sha256).hexdigest()[:TOKEN_CHARS]


def action_subject(secret: str, item_id: str, action: str) -> str:
    """The subject of an action link, e.g. ``followup-watcher snooze 2d q6bpzo 1a2b…``."""
    return f"{SUBJECT_TAG} {action} {item_id} {token(secret, item_id, action)}"


def command_in_subject(subject: str | None, secret: str) -> Command | None:
    """Given a mail's subject (a reply may add "Re:"), return the command of a valid action link,
    or None when there is none or its token does not match."""
    match = _SUBJECT.search(subject or "")
    if match is None:
        return None
    action = " ".join(match["action"].lower().split())
    expected = token(secret, match["id"], action)
    given = match["token"].lower()
    if len(given) < 16 or not hmac.compare_digest(expected[:len(given)], given[:TOKEN_CHARS]):
        return None
    return Command(action.split()[0], match["id"].lower(), match["until"].lower() if match["until"] else None)


def looks_like_command(subject: str | None) -> bool:
    """Whether a subject has the shape of an action link, valid or not (then it is logged and ignored)."""
    return bool(re.search(rf"\b{SUBJECT_TAG}\s+(?:done|stop|keep|mute|snooze)\b", subject or "", re.IGNORECASE))


def commands_in_reply(new_text: str) -> list[Command]:
    """Given the new text of a reply to a nudge, return its commands, one per line ("done 3",
    "snooze 2 5d", "stop q6bpzo"); other lines (greetings, signatures) are passed over."""
    found = []
    for line in (new_text or "").splitlines():
        match = _LINE.match(line)
        if match:
            action = match["action"].lower()
            until = match["until"].lower() if match["until"] else (DEFAULT_SNOOZE if action == "snooze" else None)
            found.append(Command(action, match["target"].lower(), until if action == "snooze" else None))
    return found


def nudge_tag(secret: str, day: str) -> str:
    """The unguessable part of a nudge's Message-ID: a reply that refers to it proves that its
    writer received that nudge."""
    return hmac.new(bytes.fromhex(secret), f"nudge:{day}".encode(), hashlib.sha256).hexdigest()[:TOKEN_CHARS]
