"""``no_reply``: mail I sent that nobody answered.

A thread awaits a reply when its last human message is mine, was sent to someone other than me,
and no other participant wrote after it. My later messages in the same thread keep it open and
count as follow-ups; each one starts the next wait of the contact's cadence (``watcher.cadence``).
An answer from anyone else in the thread (a cc'd colleague included) closes it. Auto-replies,
bounces and list mail are not answers. Mail to no-reply addresses, mailing lists or only myself
starts nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from watcher.cadence import NO_LIMIT, Cadence, CadenceRules
from watcher.model import Address, Message, Reminder, Thread
from watcher.rules.addresses import is_ignored, is_machine_address
from watcher.workdays import WorkCalendar

KIND = "no_reply"
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class NoReplySettings:
    """``cadence``: the waits per contact and step, and ``max_followups``; ``ignore``: glob
    patterns. Without a ``cadence``, every reminder waits ``wait`` after my latest message and
    there is no limit (how it was before cadences; ``rules.no_reply_after``)."""

    wait: timedelta
    calendar: WorkCalendar
    zone: tzinfo
    ignore: tuple[str, ...] = ()
    cadence: CadenceRules | None = None

    def cadence_for(self, contact: Address) -> Cadence:
        """Return the cadence that applies to ``contact``."""
        if self.cadence is None:
            return Cadence(steps=(self.wait,), max_followups=NO_LIMIT)
        return self.cadence.for_contact(contact.email)


def human_messages(thread: Thread) -> list[Message]:
    """Return the thread's dated messages that a person wrote, oldest first."""
    return [
        m for m in thread.messages
        if m.date is not None and m.automated is None and not m.watcher_mail
    ]


def contact_of(message: Message, is_me: Callable[[str], bool], ignore: tuple[str, ...]) -> Address | None:
    """Return who owes an answer to my ``message``: its first recipient (To before Cc) who is not
    me, not a machine address and not ignored; None if there is nobody."""
    for address in message.recipients:
        if is_me(address.email) or is_machine_address(address.email):
            continue
        if is_ignored(address.email, ignore):
            return None
        return address
    return None


def unanswered_run(thread: Thread, is_me: Callable[[str], bool]) -> list[Message]:
    """Return my messages at the end of the thread that nobody else answered (oldest first);
    empty when the last human message is someone else's."""
    run: list[Message] = []
    for message in reversed(human_messages(thread)):
        if message.sender is None or not is_me(message.sender.email):
            break
        run.append(message)
    run.reverse()
    return run


def detect(
    thread: Thread, is_me: Callable[[str], bool], settings: NoReplySettings
) -> Reminder | None:
    """Given a thread, return the ``no_reply`` reminder it calls for, or None.

    The reminder is keyed by my first unanswered message. ``due`` is the contact's cadence step
    for the number of follow-ups so far, counted from my latest message: each follow-up starts
    the next, usually longer, wait.
    """
    if any(m.list_mail for m in thread.messages):
        return None
    run = unanswered_run(thread, is_me)
    if not run:
        return None
    contact = None
    for message in reversed(run):
        contact = contact_of(message, is_me, settings.ignore)
        if contact is not None:
            break
    if contact is None:
        return None
    first, last = run[0], run[-1]
    cadence = settings.cadence_for(contact)
    followups = len(run) - 1
    return Reminder(
        key=f"{KIND}:{first.message_id}",
        kind=KIND,
        subject=last.subject or first.subject,
        contact=contact,
        since=first.date,
        due=settings.calendar.due_after(last.date, cadence.wait(followups), settings.zone),
        thread=thread.root_id,
        last_message_id=last.message_id,
        followups=followups,
        snippet=snippet(last.text or first.text or ""),
        max_followups=cadence.max_followups,
    )


def answer_after(thread: Thread, since: datetime, is_me: Callable[[str], bool]) -> Message | None:
    """Return the first human message from someone other than me after ``since``, if any."""
    for message in human_messages(thread):
        if message.date > since and message.sender is not None and not is_me(message.sender.email):
            return message
    return None


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Return the start of ``text`` on one line, cut at a word boundary, with an ellipsis if cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + "…"
