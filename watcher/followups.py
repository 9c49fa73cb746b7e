"""From one thread to the follow-ups it calls for: ``no_reply``, ``promise`` and ``check_back``
reminders, and declines, which close a thread for good.

Pure: a thread, who "me" is, the settings and a way to read each message (``Findings``) in; a
``ThreadFollowups`` out. Rules, in the order they apply:

1. A **decline** from anyone else in the thread ("not interested", "we went with another vendor")
   ends it: no reminder of any kind, now or later.
2. **no_reply** (``watcher.rules.no_reply``) when my unanswered messages expect a reply (or
   ``rules.track = "all"``). An out-of-office reply with a return date moves it to the next
   business day after the return; a check-back request in the thread moves it to that date.
3. **promise**: each commitment in my mail, due on its stated date or ``promise_default_due``
   after I wrote it; kept (gone) once I write to that person again in the thread.
4. **check_back**: a contact's request to get in touch again later, due then; done once I write
   to them in the thread near or after that date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from watcher.findings import Findings
from watcher.model import Address, Message, Reminder, Thread
from watcher.rules import no_reply
from watcher.rules.addresses import is_ignored
from watcher.rules.no_reply import NoReplySettings, contact_of, human_messages, snippet, unanswered_run

CHECK_BACK_EARLY = timedelta(days=7)  # writing a week early still counts as getting back in touch


@dataclass(frozen=True)
class FollowupSettings:
    no_reply: NoReplySettings
    track: str = "expecting_reply"
    promise_default_due: timedelta = timedelta(days=2)
    date_order: str = "dmy"


@dataclass(frozen=True)
class Decline:
    """A contact said no. ``ids`` are the thread's message ids, so the thread stays closed even
    after its messages leave the index."""

    key: str
    thread: str
    ids: frozenset[str]
    contact: Address
    subject: str
    text: str
    date: datetime


@dataclass
class ThreadFollowups:
    reminders: list[Reminder] = field(default_factory=list)
    decline: Decline | None = None


def _mine(message: Message, is_me) -> bool:
    return message.sender is not None and is_me(message.sender.email)


def find_followups(thread: Thread, is_me: Callable[[str], bool], settings: FollowupSettings,
                   read: Callable[[Message], Findings]) -> ThreadFollowups:
    """Given a thread, return its reminders, or its decline (then no reminders)."""
    if any(m.list_mail for m in thread.messages):
        return ThreadFollowups()
    people = human_messages(thread)
    for message in people:
        if not _mine(message, is_me) and read(message).decline:
            return ThreadFollowups(decline=Decline(
                key=f"decline:{message.message_id}", thread=thread.root_id, ids=frozenset(thread.ids),
                contact=message.sender, subject=message.subject or thread.subject,
                text=read(message).decline, date=message.date))
    reminders = [*_promises(thread, people, is_me, settings, read), *_check_backs(people, thread, is_me, settings, read)]
    waiting = _no_reply(thread, is_me, settings, read)
    if waiting is not None:
        reminders.append(waiting)
    return ThreadFollowups(reminders=reminders)


def _no_reply(thread, is_me, settings: FollowupSettings, read) -> Reminder | None:
    reminder = no_reply.detect(thread, is_me, settings.no_reply)
    if reminder is None:
        return None
    run = unanswered_run(thread, is_me)
    if settings.track == "expecting_reply" and all(read(m).expects_reply is False for m in run):
        return None  # FYI, thanks, deliveries: nothing to wait for (an unread body counts as asking)
    calendar, due = settings.no_reply.calendar, reminder.due
    for message in thread.messages:
        found = read(message)
        if message.date is None or message.date <= run[0].date:
            continue
        if found.out_of_office_until is not None:
            # back on a weekend means back on the Monday; the reminder waits one business day more
            due = max(due, calendar.add_days(calendar.next_workday(found.out_of_office_until), 1))
    for message in human_messages(thread):
        check_back = read(message).check_back
        if check_back is not None and not _mine(message, is_me):
            due = max(due, calendar.next_workday(check_back.due))  # they asked to wait: no nagging before
    return replace(reminder, due=due)


def _promises(thread, people, is_me, settings: FollowupSettings, read) -> list[Reminder]:
    found = []
    for message in people:
        promises = read(message).promises if _mine(message, is_me) else ()
        if not promises:
            continue
        contact = contact_of(message, is_me, settings.no_reply.ignore)
        if contact is None or _wrote_to_after(people, is_me, contact, message.date):
            continue
        for number, promise in enumerate(promises):
            due = promise.due or settings.no_reply.calendar.due_after(
                message.date, settings.promise_default_due, settings.no_reply.zone)
            found.append(Reminder(
                key=f"promise:{message.message_id}:{number}", kind="promise",
                subject=message.subject or thread.subject, contact=contact, since=message.date, due=due,
                thread=thread.root_id, last_message_id=message.message_id, snippet=snippet(promise.text),
                text=promise.text,
            ))
    return found


def _check_backs(people, thread, is_me, settings: FollowupSettings, read) -> list[Reminder]:
    calendar = settings.no_reply.calendar  # a check-back that falls on a weekend or holiday waits for the next workday
    found = []
    for message in people:
        check_back = None if _mine(message, is_me) else read(message).check_back
        if check_back is None or is_ignored(message.sender.email, settings.no_reply.ignore):
            continue
        early = min(CHECK_BACK_EARLY, (check_back.due - message.date.date()) / 2)
        threshold = datetime.combine(check_back.due - early, datetime.min.time(), message.date.tzinfo)
        if _wrote_to_after(people, is_me, message.sender, max(threshold, message.date)):
            continue
        found.append(Reminder(
            key=f"check_back:{message.message_id}", kind="check_back", subject=message.subject or thread.subject,
            contact=message.sender, since=message.date, due=calendar.next_workday(check_back.due),
            thread=thread.root_id,
            last_message_id=message.message_id, snippet=snippet(check_back.text), text=check_back.text,
            not_now=check_back.not_now,
        ))
    return found


def _wrote_to_after(people, is_me, contact: Address, since: datetime) -> Message | None:
    """My first message to ``contact`` in the thread after ``since``, if any."""
    for message in people:
        if message.date > since and _mine(message, is_me) and any(
                a.email == contact.email for a in message.recipients):
            return message
    return None


def why_closed(reminder: Reminder, thread: Thread, is_me) -> str:
    """Why an open reminder that the thread no longer calls for is closed, in words."""
    people = human_messages(thread)
    if reminder.kind in ("promise", "check_back"):
        kept = _wrote_to_after(people, is_me, reminder.contact, reminder.since)
        if kept is not None:
            verb = "kept" if reminder.kind == "promise" else "done"
            return f"{verb}: you wrote to {reminder.contact.display()} on {kept.date.date().isoformat()}"
        return "no longer found in the thread"
    answer = no_reply.answer_after(thread, reminder.since, is_me)
    if answer is not None:
        who = answer.sender.display() if answer.sender else "someone"
        return f"answered by {who} on {answer.date.date().isoformat()}"
    return "no longer waiting for a reply"
