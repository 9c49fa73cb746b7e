"""The state file: atomic writes, no write without change, lock, schema version, 0600."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from datetime import date, datetime, timezone

import pytest

from watcher.errors import StateBusyError, StoreError
from watcher.model import Address, Message, Reminder
from watcher.records import message_from_record, message_to_record, reminder_from_record, reminder_to_record
from watcher.store import SCHEMA_VERSION, Store

WHEN = datetime(2026, 11, 17, 9, 30, tzinfo=timezone.utc)


def message(mid="a@example.com", **kw) -> Message:
    values = dict(message_id=mid, subject="Hello", sender=Address("pat@example.com", "Pat"),
                  to=(Address("dana@example.org", "Dana"),), date=WHEN, references=("root@x",), text="Hi")
    values.update(kw)
    return Message(**values)


def test_commit_writes_once_and_not_again_without_changes(tmp_path):
    path = tmp_path / "state.json"
    with Store.open(path, "test") as store:
        store.put_messages([message()])
        store.set_cursor("INBOX", 7, 42, WHEN)
        assert store.commit() is True
        assert store.commit() is False
        assert store.writes == 1
    with Store.open(path, "test") as store:
        store.put_messages([message()])          # same content again
        store.set_cursor("INBOX", 7, 42, WHEN)
        assert store.commit() is False
        assert store.writes == 0


def test_state_file_is_private_and_versioned(tmp_path):
    path = tmp_path / "sub" / "state.json"
    with Store.open(path, "test") as store:
        store.put_messages([message()])
        store.commit()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION


def test_round_trip_of_messages_cursors_and_reminders(tmp_path):
    path = tmp_path / "state.json"
    reminder = Reminder(key="no_reply:a@example.com", kind="no_reply", subject="Hello",
                        contact=Address("dana@example.org", "Dana"), since=WHEN, due=date(2026, 11, 20),
                        thread="root@x", last_message_id="a@example.com", followups=2, snippet="Hi")
    with Store.open(path, "test") as store:
        store.put_messages([message(), message("b@example.com", date=None, text=None)])
        store.set_cursor("Sent", 3, 10, WHEN)
        store.put_reminder({**reminder_to_record(reminder), "status": "open"})
        store.commit()
    with Store.open(path, "test") as store:
        assert store.messages()["a@example.com"] == message()
        assert store.messages()["b@example.com"].date is None
        assert store.cursor("Sent")["last_uid"] == 10
        [record] = store.reminders()
        assert reminder_from_record(record) == reminder
        assert record["id"] == reminder.id and len(reminder.id) == 6


def test_update_and_remove_messages(tmp_path):
    path = tmp_path / "state.json"
    with Store.open(path, "test") as store:
        store.put_messages([message("a@x"), message("b@x"), message("c@x")])
        store.put_messages([message("b@x", subject="Changed")])
        store.remove_messages(["a@x"])
        store.commit()
    with Store.open(path, "test") as store:
        messages = store.messages()
        assert set(messages) == {"b@x", "c@x"}
        assert messages["b@x"].subject == "Changed"
        assert store.message_count() == 2


def _hold_lock(path, ready, release):
    store = Store.open(path, "sync")
    ready.set()
    release.wait(10)
    store.close()


def test_a_second_process_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "state.json"
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(path, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(StateBusyError) as caught:
            Store.open(path, "digest", wait=0.2)
        assert f"pid {holder.pid}" in str(caught.value)
        assert "sync" in str(caught.value)
    finally:
        release.set()
        holder.join(10)
    with Store.open(path, "digest", wait=0.2):
        pass  # free again once the holder is gone


def test_damaged_file_gives_an_actionable_error(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"meta": {"1": {"schema": 1}}, "messages": {')
    with pytest.raises(StoreError, match="damaged.*move it aside"):
        Store.open(path, "test")


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}}))
    with pytest.raises(StoreError, match="newer followup-watcher"):
        Store.open(path, "test")


def test_no_temp_files_are_left_behind(tmp_path):
    path = tmp_path / "state.json"
    with Store.open(path, "test") as store:
        for n in range(3):
            store.put_messages([message(f"m{n}@x")])
            store.commit()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("state.json", "state.json.lock")]
    assert leftovers == []


def test_records_survive_json(tmp_path):
    original = message(cc=(Address("x@y.z", ""),), list_mail=True, synthetic_id=True, automated="Precedence: bulk")
    assert message_from_record(json.loads(json.dumps(message_to_record(original)))) == original


def test_a_long_running_process_reuses_the_state_until_another_process_replaces_it(tmp_path, monkeypatch):
    import json as json_module

    from watcher import store as store_module

    monkeypatch.setattr(store_module, "_kept", {})
    parsed = []
    real_loads = json_module.loads
    monkeypatch.setattr(store_module.json, "loads", lambda text: parsed.append(1) or real_loads(text))
    path = tmp_path / "state.json"
    with Store.open(path, "daemon") as store:
        store.put_messages([message()])
        store.commit()
    with Store.open(path, "daemon") as store:      # written by this process: not parsed again
        assert set(store.messages()) == {message().message_id}
    assert parsed == []
    other = real_loads(path.read_text())           # another process replaces the file
    other["meta"]["1"]["muted"] = ["@example.org"]
    store_module.write_atomically(path, json_module.dumps(other).encode())
    with Store.open(path, "daemon") as store:
        assert store.meta("muted") == ["@example.org"]
    assert parsed == [1]
    with Store.open(path, "daemon") as store:      # a change that is never committed ...
        store.set_meta(muted=["@changed.example"])
    with Store.open(path, "daemon") as store:      # ... is not seen by the next job
        assert store.meta("muted") == ["@example.org"]
    assert parsed == [1, 1]
