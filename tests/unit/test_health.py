"""The health record behind `status`, and the daemon's retry backoff."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from watcher import health
from watcher.daemon import retry_delay

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)


def test_a_sync_records_its_folders_and_the_unreadable_messages_newest_first():
    data = health.record_sync({}, NOW, ["INBOX", "Sent"], [{"folder": "INBOX", "uid": 7, "reason": "bad"}])
    data = health.record_sync(data, NOW + timedelta(minutes=5), ["INBOX"],
                              [{"folder": "INBOX", "uid": 9, "reason": "worse"}])
    assert data["folders"] == {"INBOX": "2026-11-24T08:05:00+00:00", "Sent": "2026-11-24T08:00:00+00:00"}
    assert [u["uid"] for u in data["unreadable"]] == [9, 7] and data["unreadable_total"] == 2
    assert data["last_sync"] == "2026-11-24T08:05:00+00:00"


def test_errors_are_kept_a_week_and_status_shows_a_day():
    data = {}
    for hours_ago in (200, 30, 2):
        data = health.record_error(data, NOW - timedelta(hours=hours_ago), "sync", f"failed {hours_ago}h ago")
    assert [e["message"] for e in data["errors"]] == ["failed 2h ago", "failed 30h ago"]  # 200 h: dropped
    assert [e["message"] for e in health.recent_errors(data, NOW)] == ["failed 2h ago"]


def test_a_missing_or_broken_file_reads_as_empty_and_saving_is_private(tmp_path):
    path = health.health_path(tmp_path / "state.json")
    assert path.name == "state.health.json" and health.load(path) == {}
    path.write_text("{not json")
    assert health.load(path) == {}
    health.save(path, {"last_sync": "x"})
    assert health.load(path) == {"last_sync": "x"} and path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("failures, low, high", [(1, 5, 10), (2, 10, 20), (3, 20, 40), (10, 150, 300)])
def test_retry_delay_doubles_is_capped_and_jittered(failures, low, high):
    assert retry_delay(failures, 10, 300, rng=lambda: 0.0) == low
    assert retry_delay(failures, 10, 300, rng=lambda: 0.999999) == pytest.approx(high, rel=1e-5)


def test_an_unreadable_message_is_skipped_counted_and_listed_by_status(tmp_path, monkeypatch):
    from tests.fakes import FakeSource
    from tests.unit.test_sync import question
    from watcher import jobs, status, sync
    from watcher.config import parse_config
    from watcher.store import Store

    config = parse_config({"account": {"email": "pat@example.com"}, "imap": {"host": "imap.example.com"},
                           "digest": {"timezone": "UTC"}, "state": {"path": str(tmp_path / "state.json")}},
                          {"HOME": str(tmp_path)})
    source = FakeSource()
    source.add_folder("INBOX")
    source.add_folder("Sent")
    source.append("Sent", question(9))
    source.append("Sent", question(8, mid="broken@example.com", to="Greg <greg@contoso.example>"))
    real = sync.parse_headers

    def parse(raw, folder, internaldate):  # no real header has been found that breaks the parser
        if b"broken@example.com" in raw:
            raise ValueError("header block cut short")
        return real(raw, folder, internaldate)

    monkeypatch.setattr(sync, "parse_headers", parse)
    now = datetime(2026, 11, 17, 8, 0, tzinfo=timezone.utc)
    summary = jobs.sync(config, {}, now, source=source)
    assert summary.skipped == 1 and "1 unreadable message skipped" in summary.line()
    assert summary.open_reminders == 1  # the rest of the mailbox is unaffected
    with Store.open(config.state.path, lock=False) as store:
        facts = status.Facts(now=now, zone=timezone.utc, state_path="state.json", state_bytes=1, messages=1,
                             open_reminders=1, daemon=None, cursors=store.cursors(), meta={},
                             health=health.load(health.health_path(config.state.path)))
    text = "\n".join(status.render(facts))
    assert "unreadable messages skipped: 1" in text and "Sent UID 2: ValueError: header block cut short" in text
