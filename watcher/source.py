"""Where mail comes from: the interface every source implements, folder choice, and local mail.

Two implementations sit behind ``MailSource``: ``watcher.imap_source.ImapSource`` (the real
mailbox, read-only) and ``LocalSource`` here (Maildir folders or mbox files on disk, as synced by
mbsync or offlineimap, and the bundled demo mailbox). The sync loop cannot tell them apart.
"""

from __future__ import annotations

import mailbox
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Protocol

from watcher.errors import SourceError
from watcher.body import body_text
from watcher.parse import header_block

# Folder names servers use for sent mail when they don't mark it with SPECIAL-USE \Sent.
SENT_FOLDER_NAMES = (
    "Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail", "INBOX.Sent",
    "INBOX/Sent", "Sent-Mail", "Gesendet", "Gesendete Elemente", "Gesendete Objekte", "Envoyés",
    "Éléments envoyés", "Enviados", "Elementos enviados", "Verzonden items", "Posta inviata",
    "_sent_mail", "sent_items", "sent",
)
# Gmail shows each label as a folder and every message again in All Mail, Important and Starred:
# those views are never watched (copies are read once anyway: Message-IDs are the key).
SKIPPED_SPECIAL_USE = {"\\trash", "\\junk", "\\drafts", "\\all", "\\flagged", "\\important", "\\noselect"}
SKIPPED_NAMES = {"trash", "junk", "spam", "drafts", "deleted items", "deleted messages",
                 "junk e-mail", "bulk mail", "papierkorb", "entwürfe", "[gmail]/all mail", "[gmail]/important",
                 "[gmail]/starred", "[google mail]/all mail", "[google mail]/important", "[google mail]/starred",
                 # Exchange's and Yahoo's, for servers that do not mark them
                 "junk email", "outbox", "sync issues", "conversation history", "calendar", "contacts",
                 "tasks", "journal", "notes", "bulk", "draft"}


@dataclass(frozen=True)
class FolderListing:
    name: str
    special_use: frozenset[str] = frozenset()  # lower-cased attributes, e.g. {"\\sent"}


@dataclass(frozen=True)
class FolderStatus:
    name: str
    uidvalidity: int
    uidnext: int
    exists: int


@dataclass(frozen=True)
class FetchedHeaders:
    uid: int
    raw: bytes
    size: int
    internaldate: datetime | None = None
    gm_thread: str | None = None  # Gmail's X-GM-THRID (servers with X-GM-EXT-1 only)


class MailSource(Protocol):
    """Read-only access to a mailbox, one selected folder at a time."""

    description: str
    incremental: bool  # False: UIDs are not stable between runs, so every run rescans

    def list_folders(self) -> list[FolderListing]: ...

    def select(self, folder: str) -> FolderStatus: ...

    def new_uids(self, after_uid: int, since: date | None) -> list[int]:
        """UIDs in the selected folder above ``after_uid`` (and, on a first scan, since ``since``)."""

    def fetch_headers(self, uids: list[int]) -> list[FetchedHeaders]: ...

    def fetch_texts(self, uids: list[int], max_bytes: int) -> dict[int, str]:
        """The new text (quotes and signature removed) of each message, reading at most ``max_bytes``."""

    def discard(self, folder: str, uids: list[int]) -> int:
        """Move the watcher's own applied command mails out of ``folder`` (to Trash); return how many."""

    def close(self) -> None: ...


def choose_folders(
    listing: list[FolderListing], sent_setting: str, folder_settings: tuple[str, ...], key: str
) -> tuple[str, list[str], list[str]]:
    """Given the server's folders and the config, return ``(sent, watched, warnings)``.

    ``sent`` is the folder marked ``\\Sent``, else a well-known name, unless configured; the
    watched list starts with it. ``"*"`` means every selectable folder but Trash, Junk, Drafts
    and Gmail's All Mail. A configured folder that does not exist is a warning, not an error.
    Raise SourceError if no Sent folder can be found.
    """
    names = {f.name: f for f in listing}
    by_lower = {f.name.lower(): f.name for f in listing}
    if sent_setting != "auto":
        sent = sent_setting if sent_setting in names else by_lower.get(sent_setting.lower())
        if not sent:
            raise SourceError(
                f"{key}.sent_folder: folder {sent_setting!r} does not exist; "
                f"folders are: {', '.join(sorted(names)) or '(none)'}"
            )
    else:
        sent = next((f.name for f in listing if "\\sent" in f.special_use), None)
        sent = sent or next((by_lower[n.lower()] for n in SENT_FOLDER_NAMES if n.lower() in by_lower), None)
        if not sent:
            raise SourceError(
                f"no Sent folder found (none is marked \\Sent and none has a usual name); set "
                f"{key}.sent_folder to one of: {', '.join(sorted(names)) or '(none)'}"
            )
    watched, warnings = [sent], []
    if folder_settings == ("*",):
        for folder in listing:
            if folder.special_use & SKIPPED_SPECIAL_USE or folder.name.lower() in SKIPPED_NAMES:
                continue
            if folder.name not in watched:
                watched.append(folder.name)
    else:
        for wanted in folder_settings:
            actual = wanted if wanted in names else by_lower.get(wanted.lower())
            if actual is None:
                warnings.append(f"{key}.folders: folder {wanted!r} does not exist; skipping it")
            elif actual not in watched:
                watched.append(actual)
    return sent, watched, warnings


class LocalSource:
    """Mail on disk: a directory of Maildir folders (mbsync/offlineimap layouts, Maildir++ dots)
    and mbox files, or a single Maildir or mbox. UIDs are positions in a sorted listing, so every
    sync rescans (``incremental = False``); the index deduplicates by Message-ID."""

    incremental = False

    def __init__(self, root: Path):
        self.root = Path(root).expanduser()
        self.description = f"local mail in {self.root}"
        if not self.root.exists():
            raise SourceError(f"local.path: {self.root} does not exist")
        self._folders = self._discover()
        self._entries: list = []

    def _discover(self) -> dict[str, object]:
        folders: dict[str, object] = {}
        if self.root.is_file():
            folders["INBOX"] = self.root
            return folders
        if _is_maildir(self.root):
            folders["INBOX"] = self.root
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root).as_posix()
            if any(part in ("cur", "new", "tmp") for part in Path(relative).parts):
                continue
            if path.is_dir() and _is_maildir(path):
                folders[_folder_name(relative)] = path
            elif path.is_file() and _is_mbox(path):
                folders[_folder_name(relative)] = path
        return folders

    def list_folders(self) -> list[FolderListing]:
        return [FolderListing(name) for name in self._folders]

    def select(self, folder: str) -> FolderStatus:
        path = self._folders.get(folder)
        if path is None:
            raise SourceError(f"local folder {folder!r} not found under {self.root}")
        if path.is_dir():
            files = [p for sub in ("cur", "new") if (path / sub).is_dir()
                     for p in (path / sub).iterdir() if p.is_file() and not p.name.startswith(".")]
            self._entries = sorted(files, key=lambda p: p.name)
        else:
            try:
                box = mailbox.mbox(path, create=False)
                self._entries = [(box, key) for key in box.keys()]
            except (OSError, mailbox.Error) as error:
                raise SourceError(f"cannot read the mbox {path}: {error}") from error
        count = len(self._entries)
        return FolderStatus(folder, uidvalidity=0, uidnext=count + 1, exists=count)

    def new_uids(self, after_uid: int, since: date | None) -> list[int]:
        return list(range(after_uid + 1, len(self._entries) + 1))

    def _raw(self, uid: int, limit: int | None = None) -> bytes:
        entry = self._entries[uid - 1]
        if isinstance(entry, Path):
            with entry.open("rb") as handle:
                return handle.read(limit) if limit else handle.read()
        box, key = entry
        raw = box.get_bytes(key)
        return raw[:limit] if limit else raw

    def _size_and_date(self, uid: int) -> tuple[int, datetime | None]:
        entry = self._entries[uid - 1]
        if isinstance(entry, Path):
            stat = entry.stat()
            return stat.st_size, datetime.fromtimestamp(stat.st_mtime, timezone.utc)
        return 0, None

    def fetch_headers(self, uids: list[int]) -> list[FetchedHeaders]:
        result = []
        for uid in uids:
            try:
                raw = header_block(self._raw(uid, 262144))
            except OSError:  # a file removed by a concurrent mbsync run: it is simply gone
                continue
            size, mtime = self._size_and_date(uid)
            result.append(FetchedHeaders(uid, raw, size or len(raw), mtime))
        return result

    def fetch_texts(self, uids: list[int], max_bytes: int) -> dict[int, str]:
        texts = {}
        for uid in uids:
            try:
                # Headers and attachments come first in some messages: read generously, still capped.
                texts[uid] = body_text(self._raw(uid, max_bytes * 16))
            except OSError:
                continue
        return texts

    def discard(self, folder: str, uids: list[int]) -> int:
        """Local mailboxes (the demo, Maildir/mbox reading) are never changed: nothing is moved."""
        return 0

    def close(self) -> None:
        self._entries = []


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def _is_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def _folder_name(relative: str) -> str:
    """"Sent" -> "Sent"; Maildir++ ".Sent.2024" -> "Sent/2024"; "INBOX/Work" stays."""
    if relative.startswith("."):
        return relative[1:].replace(".", "/")
    return relative.replace(os.sep, "/")
