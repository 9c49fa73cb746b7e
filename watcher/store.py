"""The state file: per-folder cursors, a message index bounded by the lookback, reminders, meta.

The only module that imports tinydb. TinyDB's stock storage rewrites the file in place and
corrupts it if the process dies mid-write, so ``AtomicStorage`` keeps the data in memory and
``commit()`` writes it in one go: serialise, write a temp file, fsync, rename, fsync the
directory. Nothing is written when nothing changed. A lock file stops a second process; the file
is 0600 and carries a schema version.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from watcher.errors import StateBusyError, StoreError
from watcher.model import Address, Message
from watcher.records import contact_from_record, contact_to_record, message_from_record, message_to_record
from watcher.rules.keep_in_touch import Contact

SCHEMA_VERSION = 1
GENERATION = "generation"  # meta: see Store.generation
COUNTED_TABLES = ("messages", "reminders")  # changes to these move the generation on


# Within a long-running process (the daemon), the state last read or written per path, with the
# file's identity then: a job that finds the file unchanged reuses it instead of parsing it
# again. None: not kept (each command runs one job).
_kept: dict[Path, tuple[tuple, object, str]] | None = None


def keep_states_loaded() -> None:
    """Keep each state in memory between the jobs of this process (the daemon calls this): the
    file is parsed again only when something else replaced it."""
    global _kept
    if _kept is None:
        _kept = {}


def _identity(path: Path) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class AtomicStorage(Storage):
    """TinyDB storage that holds the data in memory and writes it atomically on ``flush()``."""

    def __init__(self, path: Path):
        self.path = path
        self._written: str | None = None  # the file's text as last read or written
        self.data = self._load()
        self.writes = 0
        self.dirty = False  # TinyDB wrote to the data since the last flush

    def _load(self):
        if _kept is not None and self.path in _kept:
            identity, data, text = _kept.pop(self.path)  # taken: a job that fails leaves nothing behind
            if identity == _identity(self.path):
                self._written = text
                return data
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreError(f"cannot read the state file {self.path}: {error.strerror}") from error
        if not text.strip():
            return None
        try:
            data = json.loads(text)
            self._written = text
            return data
        except json.JSONDecodeError as error:
            raise StoreError(
                f"the state file {self.path} is damaged ({error.msg} at line {error.lineno}); "
                f"move it aside and run `followup-watcher sync` to rebuild it from the mailbox "
                f"(reminders marked done will be rebuilt as open)"
            ) from error

    def read(self):
        return self.data

    def write(self, data) -> None:
        self.data = data
        self.dirty = True

    def flush(self) -> bool:
        """Write the data if it differs from what is on disk; return True if a write happened.
        Untouched data is not even serialised: a sync that finds nothing costs no JSON encoding."""
        if self.data is None or not self.dirty:
            return False
        self.dirty = False
        # Keys stay in the order they were loaded (JSON objects keep it), so unchanged data
        # serialises to exactly the text that was read.
        payload = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        if payload == self._written:
            return False
        write_atomically(self.path, payload.encode("utf-8"))
        self._written = payload
        self.writes += 1
        return True

    def close(self) -> None:
        """Keep the data for the next job of this process, unless it holds unwritten changes."""
        if _kept is not None and self.data is not None and not self.dirty and self._written is not None:
            identity = _identity(self.path)
            if identity is not None:
                _kept[self.path] = (identity, self.data, self._written)


def write_atomically(path: Path, payload: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves either the old or the new file.
    ``durable=False`` skips the fsyncs, for files whose loss costs nothing but history."""
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        if durable:
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class StateLock:
    """An exclusive ``flock`` on ``<state>.lock`` that records who holds it."""

    def __init__(self, path: Path, purpose: str, suffix: str = ".lock"):
        self.target = path
        self.path = path.with_name(path.name + suffix)
        self.purpose = purpose
        self._fd: int | None = None

    def acquire(self, wait: float = 0.0) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                    os.close(fd)
                    raise StateBusyError(
                        f"{self.target} is in use by {holder}; "
                        f"wait for it to finish, or stop it first"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"followup-watcher {self.purpose} (pid {os.getpid()})".encode(), 0)
        self._fd = fd

    def holder(self) -> str | None:
        """Who holds this lock now ("followup-watcher run (pid 123)"), or None if nobody does."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class Store:
    """The state of one account. Open with ``Store.open(path, purpose)``; use as a context manager.

    Reads are served from memory; every change is kept in memory until ``commit()``.
    """

    def __init__(self, path: Path, lock: StateLock | None):
        self.path = path
        self._lock = lock
        self._storage: AtomicStorage | None = None
        self._db = TinyDB(path, storage=lambda p: self._make_storage(Path(p)))
        self._check_schema()
        self._message_docs = self._doc_ids("messages", "id")
        self._reminder_docs = self._doc_ids("reminders", "key")
        self._contact_docs = self._doc_ids("contacts", "email")
        self._counted = False  # this commit cycle's changes already moved the generation on

    def _doc_ids(self, name: str, field: str) -> dict:
        """``{record[field]: document id}`` of a table, read straight from the loaded data
        (TinyDB's ``all()`` would build a Document for each of thousands of messages)."""
        table = (self._storage.data or {}).get(name, {})
        return {record[field]: int(doc_id) for doc_id, record in table.items()}

    def _make_storage(self, path: Path) -> AtomicStorage:
        self._storage = AtomicStorage(path)
        return self._storage

    @classmethod
    def open(cls, path: Path, purpose: str = "", wait: float = 30.0, lock: bool = True) -> "Store":
        """Open (or create) the state at ``path``. With ``lock`` take the state lock first, waiting
        up to ``wait`` seconds; raise StateBusyError if another process keeps it."""
        state_lock = StateLock(path, purpose or " ".join(sys.argv[1:2]) or "process") if lock else None
        if state_lock:
            state_lock.acquire(wait)
        try:
            return cls(path, state_lock)
        except BaseException:
            if state_lock:
                state_lock.release()
            raise

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        if self._lock:
            self._lock.release()

    @property
    def writes(self) -> int:
        """How many times the file was written since it was opened."""
        return self._storage.writes if self._storage else 0

    def commit(self) -> bool:
        """Write every change made since the last commit, atomically; return True if it wrote."""
        if self._lock is None:
            raise StoreError("internal error: the state was opened read-only")
        self._counted = False
        return self._storage.flush()

    @property
    def generation(self) -> int:
        """A number that moves on with every committed change to messages or reminders, by any
        process: a sync compares it with the one its reminders were derived at."""
        return self.meta(GENERATION, 0)

    def _changed(self) -> None:
        if not self._counted:
            self._counted = True
            self.set_meta(**{GENERATION: self.generation + 1})

    # --- meta -----------------------------------------------------------------------------
    def _check_schema(self) -> None:
        meta = self._db.table("meta")
        doc = meta.get(doc_id=1)
        if doc is None:
            meta.insert(Document({"schema": SCHEMA_VERSION}, doc_id=1))
        elif doc.get("schema", 0) > SCHEMA_VERSION:
            raise StoreError(
                f"the state file {self.path} was written by a newer followup-watcher "
                f"(schema {doc['schema']}, this one knows {SCHEMA_VERSION}); upgrade followup-watcher"
            )

    def meta(self, name: str, default=None):
        return (self._db.table("meta").get(doc_id=1) or {}).get(name, default)

    def set_meta(self, **values) -> None:
        self._db.table("meta").update(values, doc_ids=[1])

    # --- folders --------------------------------------------------------------------------
    def cursor(self, folder: str) -> dict | None:
        """Return ``{"folder", "uidvalidity", "last_uid", "synced_at"}`` for a folder, or None."""
        for doc in self._db.table("folders").all():
            if doc["folder"] == folder:
                return dict(doc)
        return None

    def cursors(self) -> list[dict]:
        return [dict(doc) for doc in self._db.table("folders").all()]

    def set_cursor(self, folder: str, uidvalidity: int, last_uid: int, synced_at: datetime) -> None:
        table = self._db.table("folders")
        record = {
            "folder": folder, "uidvalidity": uidvalidity, "last_uid": last_uid,
            "synced_at": synced_at.isoformat(timespec="seconds"),
        }
        existing = [doc.doc_id for doc in table.all() if doc["folder"] == folder]
        if existing:
            table.update(record, doc_ids=existing)
        else:
            table.insert(record)

    # --- message index --------------------------------------------------------------------
    def messages(self) -> dict[str, Message]:
        """The message index, read from the loaded data (the same few addresses recur in
        thousands of messages: each becomes one ``Address``)."""
        addresses: dict[tuple, Address] = {}
        table = (self._storage.data or {}).get("messages", {})
        return {record["id"]: message_from_record(record, addresses) for record in table.values()}

    def message_count(self) -> int:
        return len(self._message_docs)

    def put_messages(self, messages: Iterable[Message]) -> None:
        self._put_all("messages", "id", self._message_docs, (message_to_record(m) for m in messages))

    def _put_all(self, name: str, field: str, docs: dict, records: Iterable[dict]) -> None:
        """Insert or replace ``records`` in table ``name``, keyed by ``field``; ``docs`` maps keys
        to document ids and is kept up to date."""
        table = self._db.table(name)
        new, changed = [], {}
        for record in records:
            doc_id = docs.get(record[field])
            if doc_id is None:
                new.append(record)
            elif table.get(doc_id=doc_id) != record:
                changed[record[field]] = (doc_id, record)
        if (new or changed) and name in COUNTED_TABLES:
            self._changed()
        if changed:
            # One pass over the table for all updates: TinyDB rebuilds the table on each call.
            def replace_record(doc):
                record = changed[doc[field]][1]
                doc.clear()
                doc.update(record)

            table.update(replace_record, doc_ids=[doc_id for doc_id, _ in changed.values()])
        if new:
            for record, doc_id in zip(new, table.insert_multiple(new)):
                docs[record[field]] = doc_id

    def remove_messages(self, ids: Iterable[str]) -> None:
        doc_ids = [self._message_docs.pop(mid) for mid in ids if mid in self._message_docs]
        if doc_ids:
            self._changed()
            self._db.table("messages").remove(doc_ids=doc_ids)

    # --- reminders ------------------------------------------------------------------------
    def reminders(self) -> list[dict]:
        """Return every stored reminder record (open and closed)."""
        return [dict(doc) for doc in self._db.table("reminders").all()]

    def put_reminder(self, record: dict) -> None:
        table = self._db.table("reminders")
        doc_id = self._reminder_docs.get(record["key"])
        if doc_id is not None and table.get(doc_id=doc_id) == record:
            return
        self._changed()
        if doc_id is None:
            self._reminder_docs[record["key"]] = table.insert(record)
        else:
            table.update(record, doc_ids=[doc_id])

    # --- contact ledger (keep in touch) ----------------------------------------------------
    def contacts(self) -> dict[str, Contact]:
        """Return the keep-in-touch ledger: address -> Contact."""
        return {doc["email"]: contact_from_record(doc) for doc in self._db.table("contacts").all()}

    def put_contacts(self, contacts: Iterable[Contact]) -> None:
        self._put_all("contacts", "email", self._contact_docs, (contact_to_record(c) for c in contacts))
