"""The hand-labelled evaluation data (``../shared/eval-dev``) as plain values.

``sentences.jsonl`` labels single sentences (promise, due date, request); ``messages.jsonl`` labels
whole messages (expects a reply). A message's text lives in the shared corpora: a raw RFC 822 file
(Enron, notmuch) or one email of a BC3 thread inside ``intent/bc3/corpus.xml``. ``message_text``
returns the new text of a message the way the sync pipeline would see it, so detectors are
measured on what they will really read.

The data is never copied into the repository; ``default_paths`` finds it next to the checkout or
through ``$FOLLOWUP_EVAL_DEV`` and ``$FOLLOWUP_CORPORA``.

The data is split in two by message (``part_of``): the **tuned** part is where rules may be
studied and their errors read; the **scored** part is only ever scored, so its figures say how
the rules do on mail they were not written from. The split hashes each message id with a fixed
seed, so it never changes and a message added later lands in a part without moving the others.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from watcher.body import body_text
from watcher.quotes import new_text

BC3_FILE = "intent/bc3/corpus.xml"
SPLIT_SEED = "20261205"  # fixed once, before any figure of either part was seen; never tuned
TUNED, SCORED = "tuned", "scored"
_BC3_LOCATOR = re.compile(r"^BC3 thread listno (?P<listno>\S+), email (?P<position>\d+) of the thread$")


@dataclass(frozen=True)
class LabelledSentence:
    """One sentence of a message's new text and its labels (see the eval-dev README)."""

    id: str
    msg: str
    sentence: str
    sent_at: datetime  # the message's Date header, in the sender's own UTC offset
    promise: bool
    due: date | None
    due_text: str | None
    request: bool
    notes: str


@dataclass(frozen=True)
class LabelledMessage:
    """One message and whether its new text expects a reply."""

    msg: str
    source: str  # path relative to the corpora folder
    locator: str | None  # which email of corpus.xml, for BC3 only
    sent_at: datetime
    subject: str
    expects_reply: bool
    notes: str


def default_paths() -> tuple[Path, Path]:
    """Return the eval-dev and corpora folders: ``$FOLLOWUP_EVAL_DEV`` and ``$FOLLOWUP_CORPORA``
    when set, else ``shared/eval-dev`` and ``shared/corpora`` beside the repository."""
    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    eval_dir = os.environ.get("FOLLOWUP_EVAL_DEV") or shared / "eval-dev"
    corpora = os.environ.get("FOLLOWUP_CORPORA") or shared / "corpora"
    return Path(eval_dir), Path(corpora)


def part_of(msg: str) -> str:
    """Given a message id (``m0001``, ``n0042``), return ``"tuned"`` or ``"scored"``: the part of the
    labelled data it belongs to, by one bit of a seeded hash (about half each).

    >>> part_of("m0001"), part_of("m0002")
    ('scored', 'tuned')
    """
    return SCORED if hashlib.sha256(f"{SPLIT_SEED}:{msg}".encode()).digest()[0] & 1 else TUNED


def _records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_sentences(eval_dir: Path) -> list[LabelledSentence]:
    """Given the eval-dev folder, return the labelled sentences of ``sentences.jsonl`` in file order.
    Raise OSError if the file is missing."""
    return [
        LabelledSentence(
            id=record["id"],
            msg=record["msg"],
            sentence=record["sentence"],
            sent_at=datetime.fromisoformat(record["date_iso"]),
            promise=bool(record["promise"]),
            due=date.fromisoformat(record["due"]) if record.get("due") else None,
            due_text=record.get("due_text"),
            request=bool(record["request"]),
            notes=record.get("notes") or "",
        )
        for record in _records(Path(eval_dir) / "sentences.jsonl")
    ]


def load_messages(eval_dir: Path) -> list[LabelledMessage]:
    """Given the eval-dev folder, return the labelled messages of ``messages.jsonl`` in file order.
    Raise OSError if the file is missing."""
    return [
        LabelledMessage(
            msg=record["msg"],
            source=record["source"],
            locator=record.get("locator"),
            sent_at=datetime.fromisoformat(record["date_iso"]),
            subject=record.get("subject") or "",
            expects_reply=bool(record["expects_reply"]),
            notes=record.get("notes") or "",
        )
        for record in _records(Path(eval_dir) / "messages.jsonl")
    ]


def message_text(message: LabelledMessage, corpora: Path) -> str:
    """Given a labelled message and the corpora folder, return the new text of that message as
    the pipeline sees it (quotes, forwards and signatures cut). Raise OSError if the source file
    is missing and ValueError if a BC3 locator names no email of ``corpus.xml``."""
    path = Path(corpora) / message.source
    if message.source == BC3_FILE or message.locator:
        return _bc3_email_text(path, message.locator or "")
    return body_text(path.read_bytes())


def _bc3_email_text(path: Path, locator: str) -> str:
    match = _BC3_LOCATOR.match(locator.strip())
    if not match:
        raise ValueError(f"not a BC3 locator: {locator!r}")
    emails = _bc3_threads(str(path)).get(match["listno"], ())
    position = int(match["position"])
    if not 1 <= position <= len(emails):
        raise ValueError(f"{path} has no email {position} in thread {match['listno']}")
    return new_text(emails[position - 1])


@lru_cache(maxsize=4)
def _bc3_threads(path: str) -> dict[str, tuple[str, ...]]:
    """Read corpus.xml once: thread listno -> the raw text of each email, one BC3 sentence a line."""
    threads: dict[str, tuple[str, ...]] = {}
    for thread in ElementTree.parse(path).getroot().iter("thread"):
        listno = (thread.findtext("listno") or "").strip()
        threads[listno] = tuple(
            "\n".join(_bc3_sentence(sent.text or "") for sent in doc.iter("Sent"))
            for doc in thread.iter("DOC")
        )
    return threads


def _bc3_sentence(text: str) -> str:
    # The archive escaped some characters twice or three times ("&amp;amp;gt;" for ">").
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return " ".join(text.split())
