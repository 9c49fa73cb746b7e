"""An in-memory mail source with IMAP semantics (UIDs, UIDVALIDITY) for fast tests of the sync.

tests/integration/test_source_contract.py runs the same checks against this fake and a real
Dovecot, so the fake cannot drift from the real server.
"""

from __future__ import annotations

from datetime import date
from email.utils import format_datetime

from watcher.errors import SourceError
from watcher.body import body_text
from watcher.parse import header_block
from watcher.source import FetchedHeaders, FolderListing, FolderStatus


class FakeSource:
    incremental = True
    description = "in-memory mailbox"

    def __init__(self, special_use: dict[str, str] | None = None):
        self.folders: dict[str, dict[int, bytes]] = {}
        self.uidvalidity: dict[str, int] = {}
        self.uidnext: dict[str, int] = {}
        self.special_use = special_use or {"Sent": "\\sent"}
        self.selected: str | None = None
        self.fetched_texts: list[int] = []
        self.header_fetches = 0

    def add_folder(self, name: str, uidvalidity: int = 1) -> None:
        self.folders.setdefault(name, {})
        self.uidvalidity[name] = uidvalidity
        self.uidnext.setdefault(name, 1)

    def append(self, folder: str, raw: bytes) -> int:
        if folder not in self.folders:
            self.add_folder(folder)
        uid = self.uidnext[folder]
        self.folders[folder][uid] = raw
        self.uidnext[folder] = uid + 1
        return uid

    def reset_uidvalidity(self, folder: str, uidvalidity: int) -> None:
        """Renumber the folder's messages from 1, as a server does after rebuilding its index."""
        messages = list(self.folders[folder].values())
        self.folders[folder] = {i: raw for i, raw in enumerate(messages, 1)}
        self.uidnext[folder] = len(messages) + 1
        self.uidvalidity[folder] = uidvalidity

    # --- MailSource ---
    def list_folders(self):
        return [FolderListing(name, frozenset({self.special_use[name]}) if name in self.special_use else frozenset())
                for name in self.folders]

    def select(self, folder):
        if folder not in self.folders:
            raise SourceError(f"cannot open folder {folder!r}: no such folder")
        self.selected = folder
        return FolderStatus(folder, self.uidvalidity[folder], self.uidnext[folder], len(self.folders[folder]))

    def new_uids(self, after_uid, since: date | None):
        return sorted(uid for uid in self.folders[self.selected] if uid > after_uid)

    def fetch_headers(self, uids):
        self.header_fetches += 1
        box = self.folders[self.selected]
        return [FetchedHeaders(uid, header_block(box[uid]), len(box[uid])) for uid in uids if uid in box]

    def fetch_texts(self, uids, max_bytes):
        self.fetched_texts += [(self.selected, uid) for uid in uids]
        box = self.folders[self.selected]
        return {uid: body_text(box[uid][: max_bytes * 4]) for uid in uids if uid in box}

    def discard(self, folder, uids):
        """Move messages to the folder marked \\Trash (as ImapSource does); return how many."""
        trash = next((name for name, use in self.special_use.items() if use == "\\trash"), None)
        if trash is None or trash not in self.folders:
            return 0
        moved = 0
        for uid in uids:
            raw = self.folders[folder].pop(uid, None)
            if raw is not None:
                self.append(trash, raw)
                moved += 1
        return moved

    def close(self):
        self.selected = None


def make_raw(*, sender, to, subject, body, date, message_id, in_reply_to=None, references=None,
             cc=None, extra: dict | None = None) -> bytes:
    """A plain RFC 5322 message as bytes (``date`` an aware datetime)."""
    lines = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {format_datetime(date)}",
        f"Message-ID: <{message_id}>",
    ]
    if cc:
        lines.append(f"Cc: {cc}")
    if in_reply_to:
        lines.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        lines.append("References: " + " ".join(f"<{r}>" for r in references))
    for name, value in (extra or {}).items():
        lines.append(f"{name}: {value}")
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
