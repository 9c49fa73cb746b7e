"""JSON-safe records of the value types the state keeps: messages, reminders, keep-in-touch
contacts. Pure: values in, dicts out, and back."""

from __future__ import annotations

from datetime import date, datetime

from watcher.model import Address, Message, Reminder
from watcher.rules.keep_in_touch import Contact


def _address(value) -> Address | None:
    return Address(email=value[0], name=value[1]) if value else None


def message_to_record(message: Message) -> dict:
    record = {
        "id": message.message_id,
        "subject": message.subject,
        "from": [message.sender.email, message.sender.name] if message.sender else None,
        "to": [[a.email, a.name] for a in message.to],
        "cc": [[a.email, a.name] for a in message.cc],
        "date": message.date.isoformat() if message.date else None,
        "irt": list(message.in_reply_to),
        "refs": list(message.references),
        "auto": message.automated,
        "folder": message.folder,
    }
    if message.text is not None:
        record["text"] = message.text
    if message.synthetic_id:
        record["synthetic"] = True
    if message.list_mail:
        record["list"] = True
    if message.gm_thread:
        record["gmt"] = message.gm_thread
    return record


def message_from_record(record: dict, addresses: dict | None = None) -> Message:
    """The Message a record holds; ``addresses`` (a dict) shares equal Address values."""
    def address(value) -> Address | None:
        if not value:
            return None
        if addresses is None:
            return _address(value)
        key = (value[0], value[1])
        known = addresses.get(key)
        if known is None:
            known = addresses[key] = Address(email=value[0], name=value[1])
        return known

    return Message(
        message_id=record["id"],
        subject=record.get("subject", ""),
        sender=address(record.get("from")),
        to=tuple([address(a) for a in record.get("to", ())]),
        cc=tuple([address(a) for a in record.get("cc", ())]),
        date=datetime.fromisoformat(record["date"]) if record.get("date") else None,
        in_reply_to=tuple(record.get("irt", [])),
        references=tuple(record.get("refs", [])),
        automated=record.get("auto"),
        folder=record.get("folder", ""),
        text=record.get("text"),
        synthetic_id=record.get("synthetic", False),
        list_mail=record.get("list", False),
        gm_thread=record.get("gmt"),
    )


def reminder_to_record(reminder: Reminder) -> dict:
    return {
        "key": reminder.key,
        "id": reminder.id,
        "kind": reminder.kind,
        "subject": reminder.subject,
        "contact": [reminder.contact.email, reminder.contact.name],
        "since": reminder.since.isoformat(),
        "due": reminder.due.isoformat(),
        "thread": reminder.thread,
        "last_message_id": reminder.last_message_id,
        "followups": reminder.followups,
        "max_followups": reminder.max_followups,
        "snippet": reminder.snippet,
        "text": reminder.text,
        **({"not_now": True} if reminder.not_now else {}),
    }


def reminder_from_record(record: dict) -> Reminder:
    return Reminder(
        key=record["key"],
        kind=record["kind"],
        subject=record["subject"],
        contact=_address(record["contact"]),
        since=datetime.fromisoformat(record["since"]),
        due=date.fromisoformat(record["due"]),
        thread=record["thread"],
        last_message_id=record["last_message_id"],
        followups=record.get("followups", 0),
        max_followups=0 if record.get("kept") else record.get("max_followups", 0),
        snippet=record.get("snippet", ""),
        text=record.get("text", ""),
        not_now=bool(record.get("not_now", False)),
    )


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def contact_to_record(contact: Contact) -> dict:
    return {"email": contact.email, "name": contact.name, "last_from_me": _stamp(contact.last_from_me),
            "last_from_them": _stamp(contact.last_from_them), "subject": contact.subject,
            "message_id": contact.message_id}


def contact_from_record(record: dict) -> Contact:
    return Contact(email=record["email"], name=record.get("name", ""),
                   last_from_me=_instant(record.get("last_from_me")),
                   last_from_them=_instant(record.get("last_from_them")),
                   subject=record.get("subject", ""), message_id=record.get("message_id", ""))
