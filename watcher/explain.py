"""``followup-watcher explain``: what the watcher makes of messages in files, mboxes and Maildirs.

Prints one JSON object per message. Input that cannot be read becomes an object with an
``error`` field: the command never stops on bad input.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

from watcher.body import parse_message
from watcher.rules.auto_reply import is_out_of_office
from watcher.findings import check_back_in
from watcher.rules.declines import find_decline
from watcher.rules.expects_reply import expects_reply
from watcher.rules.out_of_office import read_absence_notice, return_date
from watcher.rules.promises import find_promises

MAX_READ_BYTES = 2 * 1024 * 1024  # a message is read up to this size; the rest is never needed


def raw_messages(path: Path) -> Iterator[tuple[str, bytes | Exception]]:
    """Yield ``(label, raw bytes or the error that stopped reading)`` for every message at ``path``:
    a single message file, an mbox file, a Maildir, or a directory of message files."""
    if path.is_dir():
        if (path / "cur").is_dir() or (path / "new").is_dir():
            files = sorted(p for sub in ("cur", "new") if (path / sub).is_dir() for p in (path / sub).iterdir()
                           if p.is_file() and not p.name.startswith("."))
        else:
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        for file in files:
            yield from _read_file(file)
        return
    yield from _read_file(path, allow_mbox=True)


def _read_file(path: Path, allow_mbox: bool = False) -> Iterator[tuple[str, bytes | Exception]]:
    try:
        with path.open("rb") as handle:
            head = handle.read(5)
            if allow_mbox and head == b"From ":
                box = mailbox.mbox(path, create=False)
                for index, key in enumerate(box.keys(), 1):
                    try:
                        yield f"{path}#{index}", box.get_bytes(key)[:MAX_READ_BYTES]
                    except Exception as error:  # one damaged entry must not hide the others
                        yield f"{path}#{index}", error
                return
            yield str(path), head + handle.read(MAX_READ_BYTES - len(head))
    except OSError as error:
        yield str(path), error


def explain_message(raw: bytes, date_order: str = "dmy") -> dict:
    """Return what the watcher sees in one raw message, as a JSON-ready dict. Every detector runs,
    whoever the sender is: ``explain`` knows no account, and it is a tool for seeing the rules."""
    message, text = parse_message(raw)
    message = read_absence_notice(message.with_text(text))
    human = message.automated is None and message.date is not None
    promises = find_promises(text, message.date, date_order) if human else []
    check_back = check_back_in(text, message.date, date_order) if human else None
    out_of_office = is_out_of_office(message.automated, message.subject)
    until = return_date(text, message.date, date_order) if out_of_office and message.date else None
    return {
        "message_id": f"<{message.message_id}>",
        "synthetic_id": message.synthetic_id,
        "subject": message.subject,
        "from": message.sender.email if message.sender else None,
        "to": [a.email for a in message.to],
        "cc": [a.email for a in message.cc],
        "date": message.date.isoformat() if message.date else None,
        "in_reply_to": [f"<{m}>" for m in message.in_reply_to],
        "auto_reply": message.automated is not None,
        "auto_reply_reason": message.automated,
        "out_of_office": out_of_office,
        "out_of_office_until": until.isoformat() if until else None,
        "list_mail": message.list_mail,
        "watcher_mail": message.watcher_mail,
        "expects_reply": expects_reply(text) if message.automated is None else False,
        "promises": [{"text": p.text, "due": p.due.isoformat() if p.due else None, "due_text": p.due_text}
                     for p in promises],
        "check_back": {"text": check_back.text, "due": check_back.due.isoformat(), "due_text": check_back.due_text,
                       "said_not_now": check_back.not_now} if check_back else None,
        "decline": find_decline(text) if human else None,
        "new_text": text[:500],
    }


def explain_paths(paths: list[Path], date_order: str = "dmy") -> Iterator[dict]:
    """Yield one result per message found under ``paths``, each with its ``source``."""
    for path in paths:
        if not path.exists():
            yield {"source": str(path), "error": "no such file or directory"}
            continue
        for label, raw in raw_messages(path):
            if isinstance(raw, Exception):
                yield {"source": label, "error": f"cannot read: {raw}"}
                continue
            try:
                yield {"source": label, **explain_message(raw, date_order)}
            except Exception as error:  # never crash on input: report it and go on
                yield {"source": label, "error": f"cannot parse: {error.__class__.__name__}: {error}"}
