"""What the rules read in one message: promises, whether it expects a reply, a check-back request,
a decline, and for an out-of-office reply the date its writer is back.

Pure: a ``Message`` with its new text and the date order in, ``Findings`` out. Only the rules that
apply to the message run: promises and expected replies are read in my own mail, check-backs and
declines in other people's, return dates in auto-replies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from watcher.model import Message
from watcher.rules.auto_reply import is_out_of_office
from watcher.rules.check_back import CheckBack, find_check_back
from watcher.rules.declines import find_decline, find_not_now
from watcher.rules.expects_reply import expects_reply
from watcher.rules.out_of_office import return_date
from watcher.rules.promises import Promise, find_promises


@dataclass(frozen=True)
class Findings:
    """``expects_reply`` is None when the body was not read; the other fields are empty then."""

    promises: tuple[Promise, ...] = ()
    expects_reply: bool | None = None
    check_back: CheckBack | None = None
    decline: str | None = None
    out_of_office: bool = False
    out_of_office_until: date | None = None


NOTHING = Findings()


def read_message(message: Message, is_me: Callable[[str], bool], date_order: str = "dmy") -> Findings:
    """Given a message (with ``text`` when its body was read), return what the rules find in it."""
    out_of_office = is_out_of_office(message.automated, message.subject)
    if message.text is None or message.date is None:
        return Findings(out_of_office=out_of_office)
    text = message.text
    if message.automated is not None:
        until = return_date(text, message.date, date_order) if out_of_office else None
        return Findings(expects_reply=False, out_of_office=out_of_office, out_of_office_until=until)
    if message.sender is not None and is_me(message.sender.email):
        return Findings(promises=tuple(find_promises(text, message.date, date_order)),
                        expects_reply=expects_reply(text))
    return Findings(expects_reply=expects_reply(text), check_back=check_back_in(text, message.date, date_order),
                    decline=find_decline(text))


def check_back_in(text: str, received_at: datetime, date_order: str = "dmy") -> CheckBack | None:
    """The contact's request to get in touch again later, or their soft no ("not a priority this
    year") read as one: both give the user leave to follow up then, and not before."""
    asked = find_check_back(text, received_at, date_order)
    if asked is not None:
        return asked
    not_now = find_not_now(text, received_at, date_order)
    return CheckBack(not_now.text, not_now.due, not_now.due_text, not_now=True) if not_now is not None else None
