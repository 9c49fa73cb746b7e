"""The links in each nudge item: one-click actions and a reply with a draft (RFC 6068 ``mailto:``).

Pure. An action link opens a mail to the user's own address (or ``digest.command_address``)
whose subject carries the action, the item's id and its token (``watcher.commands``); sending it
is the click. The reply link opens a reply to the contact: To, ``Re:`` subject, ``In-Reply-To``
where the mail client honours it, and a short draft (``watcher.drafts``).
"""

from __future__ import annotations

from datetime import date, tzinfo
from urllib.parse import quote

from watcher.commands import action_subject
from watcher.drafts import draft
from watcher.model import Reminder
from watcher.subjects import is_reply_subject

ACTIONS = (("Done", "done"), ("Snooze 2 days", "snooze 2d"), ("Snooze 1 week", "snooze 1w"),
           ("Stop tracking", "stop"), ("Mute contact", "mute"))
ACTION_BODY = ("Send this mail as it is: followup-watcher applies it at its next sync, then moves it "
               "to Trash.")


def _mailto(to: str, **fields: str) -> str:
    query = "&".join(f"{name.replace('_', '-')}={quote(value, safe='')}" for name, value in fields.items() if value)
    return f"mailto:{quote(to, safe='@')}?{query}"


def action_links(item: Reminder, secret: str, command_address: str, last_call: bool = False) -> list[tuple[str, str]]:
    """Given an item, the state's secret and where commands go, return ``(label, mailto URI)``
    for Done, Snooze 2 days, Snooze 1 week, Stop tracking and Mute contact; at the last call
    ("stop, or keep going?") Keep going comes first."""
    chosen = ((("Keep going", "keep"),) if last_call else ()) + ACTIONS
    return [(label, _mailto(command_address, subject=action_subject(secret, item.id, action), body=ACTION_BODY))
            for label, action in chosen]


def reply_link(item: Reminder, today: date | None = None, zone: tzinfo | None = None, my_name: str = "") -> str:
    """A reply to the contact: ``Re:`` subject, In-Reply-To, and (given today) a short draft."""
    subject = item.subject if is_reply_subject(item.subject) else f"Re: {item.subject}"
    body = draft(item, today, zone, my_name).replace("\n", "\r\n") if today and zone else ""
    return _mailto(item.contact.email, subject=subject, In_Reply_To=f"<{item.last_message_id}>", body=body)
