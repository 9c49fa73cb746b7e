"""At most one nudge a day across crashes and failed deliveries (watcher.jobs.send_nudge), with
delivery replaced by a stand-in that fails or "dies" at the chosen moment; and what `status`
makes of it. The real SMTP server and SIGKILL are in tests/integration/test_faults.py."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta, timezone

import pytest

from tests.fakes import FakeSource
from tests.unit.test_sync import question
from watcher import health, jobs, status
from watcher.config import parse_config
from watcher.errors import DeliveryError
from watcher.store import Store

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)  # a Tuesday, at the send time


class Died(BaseException):
    """The process dies here (what SIGKILL does, as far as the state can tell)."""


@pytest.fixture
def config(tmp_path):
    config = parse_config({
        "account": {"email": "pat@example.com"}, "imap": {"host": "imap.example.com"},
        "digest": {"timezone": "UTC"}, "state": {"path": str(tmp_path / "state.json")},
    }, {"HOME": str(tmp_path)})
    source = FakeSource()
    source.add_folder("INBOX")
    source.add_folder("Sent")
    source.append("Sent", question(9))
    jobs.sync(config, {}, NOW - timedelta(hours=1), source=source)
    return config


@pytest.fixture
def deliveries(monkeypatch):
    """Replace delivery: each call takes the next behaviour from the list; "ok" delivers."""
    plan, delivered = [], []

    def deliver(message, config, environ, on_handover=lambda: None):
        behaviour = plan.pop(0)
        if behaviour == "refused before handover":
            raise DeliveryError("connection refused") from ConnectionRefusedError()
        on_handover()
        if behaviour == "dies after handover":
            raise Died()
        if behaviour == "lost after handover":
            raise DeliveryError("connection lost") from smtplib.SMTPServerDisconnected()
        if behaviour == "data refused":
            raise DeliveryError("451 try later") from smtplib.SMTPDataError(451, b"try later")
        delivered.append(message["Message-ID"])
        return "sent"

    monkeypatch.setattr("watcher.deliver.deliver", deliver)  # send_nudge imports it when it runs
    return plan, delivered


def attempt(config) -> dict:
    with Store.open(config.state.path, lock=False) as store:
        return store.meta(jobs.NUDGE_ATTEMPT)


def test_a_failure_before_the_handover_is_retried_later_and_sent_once(config, deliveries):
    plan, delivered = deliveries
    plan += ["refused before handover", "ok"]
    with pytest.raises(DeliveryError):
        jobs.send_nudge(config, {}, NOW)
    failed = attempt(config)
    assert (failed["phase"], failed["tries"], failed["retry_at"]) == ("failed", 1, "2026-11-24T08:05:00+00:00")
    assert jobs.last_nudge_date(config) is None  # not settled: the daemon will try again
    assert jobs.nudge_retry_at(config) == NOW + timedelta(minutes=5)
    assert jobs.send_nudge(config, {}, NOW + timedelta(minutes=5)).sent
    assert len(delivered) == 1 and attempt(config)["phase"] == "sent" and attempt(config)["tries"] == 2
    assert jobs.last_nudge_date(config) == NOW.date()
    errors = health.recent_errors(health.load(health.health_path(config.state.path)), NOW + timedelta(hours=1))
    assert [e["job"] for e in errors] == ["nudge"] and "connection refused" in errors[0]["message"]


def test_retries_wait_longer_each_time_up_to_an_hour(config, deliveries):
    plan, _ = deliveries
    plan += ["refused before handover"] * 6
    waits = []
    moment = NOW
    for _ in range(6):
        with pytest.raises(DeliveryError):
            jobs.send_nudge(config, {}, moment)
        retry = jobs.nudge_retry_at(config)
        waits.append(int((retry - moment).total_seconds() // 60))
        moment = retry
    assert waits == [5, 10, 20, 40, 60, 60]


def test_a_process_that_died_after_the_handover_is_not_followed_by_a_second_nudge(config, deliveries):
    plan, delivered = deliveries
    plan += ["dies after handover", "ok"]
    with pytest.raises(Died):
        jobs.send_nudge(config, {}, NOW)
    assert attempt(config)["phase"] == "handover"  # committed before the server could take it
    result = jobs.send_nudge(config, {}, NOW + timedelta(minutes=1))
    assert not result.sent and "not sent again" in result.detail
    assert delivered == [] and plan == ["ok"]
    assert attempt(config)["phase"] == "uncertain" and jobs.last_nudge_date(config) == NOW.date()
    later = jobs.send_nudge(config, {}, NOW + timedelta(minutes=2))  # `digest --send` once more
    assert not later.sent and "may have gone out" in later.detail and delivered == []
    assert jobs.send_nudge(config, {}, NOW + timedelta(minutes=3), again=True).sent  # unless asked


def test_a_connection_lost_during_the_handover_is_not_retried_but_a_refusal_is(config, deliveries):
    plan, delivered = deliveries
    plan += ["lost after handover"]
    with pytest.raises(DeliveryError):
        jobs.send_nudge(config, {}, NOW)
    assert attempt(config)["phase"] == "uncertain" and jobs.nudge_retry_at(config) is None
    assert jobs.last_nudge_date(config) == NOW.date()


def test_a_refusal_of_the_message_itself_is_retried(config, deliveries):
    plan, delivered = deliveries
    plan += ["data refused", "ok"]
    with pytest.raises(DeliveryError):
        jobs.send_nudge(config, {}, NOW)
    assert attempt(config)["phase"] == "failed"
    assert jobs.send_nudge(config, {}, NOW + timedelta(minutes=6)).sent and len(delivered) == 1


def test_the_same_message_id_on_every_try(config, deliveries):
    plan, delivered = deliveries
    plan += ["refused before handover", "ok"]
    with pytest.raises(DeliveryError):
        jobs.send_nudge(config, {}, NOW)
    first = attempt(config)["message_id"]
    jobs.send_nudge(config, {}, NOW + timedelta(minutes=5))
    assert delivered == [first]


def test_a_changed_time_zone_neither_skips_nor_repeats_a_day(config, deliveries, tmp_path):
    plan, delivered = deliveries
    plan += ["ok"]
    jobs.send_nudge(config, {}, NOW - timedelta(hours=2))  # 06:00 UTC on Tue 24 Nov: 22:00 Monday in LA
    west = parse_config({
        "account": {"email": "pat@example.com"}, "imap": {"host": "imap.example.com"},
        "digest": {"timezone": "America/Los_Angeles"}, "state": {"path": str(config.state.path)},
    }, {"HOME": str(tmp_path)})
    # In Los Angeles it was still Mon 23 Nov: Tuesday's nudge there is still to come ...
    assert jobs.last_nudge_date(west) == datetime(2026, 11, 23).date()
    la_tuesday_morning = datetime(2026, 11, 24, 16, 30, tzinfo=timezone.utc)  # 08:30 in LA
    assert jobs.nudge_is_due(la_tuesday_morning, jobs.last_nudge_date(west), west.digest.time, west.digest.timezone)
    # ... and not before its send time on Tuesday morning in LA
    la_monday_night = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)  # 01:00 in LA
    assert not jobs.nudge_is_due(la_monday_night, jobs.last_nudge_date(west), west.digest.time,
                                 west.digest.timezone)


@pytest.mark.parametrize("phase, words", [
    ("failed", "not delivered yet (1 tries); next try at 08:05: connection refused"),
    ("uncertain", "it was not sent again"),
])
def test_status_says_what_became_of_todays_nudge(config, deliveries, phase, words):
    plan, _ = deliveries
    plan += ["refused before handover" if phase == "failed" else "lost after handover"]
    with pytest.raises(DeliveryError):
        jobs.send_nudge(config, {}, NOW)
    with Store.open(config.state.path, lock=False) as store:
        meta = {"nudge_attempt": store.meta(jobs.NUDGE_ATTEMPT)}
    facts = status.Facts(now=NOW, zone=timezone.utc, state_path="state.json", state_bytes=2048, messages=1,
                         open_reminders=1, daemon=None, cursors=[], meta=meta,
                         health=health.load(health.health_path(config.state.path)))
    text = "\n".join(status.render(facts))
    assert words in text
    assert "errors in the last 24 hours: 1" in text


def test_the_daemon_waits_for_the_retry_time_then_sends_once(config, deliveries, monkeypatch):
    from watcher.daemon import Daemon
    from watcher.errors import SourceError

    def no_server(*args, **kwargs):
        raise SourceError("cannot connect to the IMAP server")

    monkeypatch.setattr(jobs, "sync", no_server)  # the nudge goes out from the last known state
    plan, delivered = deliveries
    plan += ["refused before handover", "ok"]
    clock = [NOW]
    daemon = Daemon(config, {}, clock=lambda: clock[0])
    daemon.nudge_if_due()  # 08:00: SMTP refuses
    assert attempt(config)["phase"] == "failed" and plan == ["ok"]
    for minutes in (1, 2, 4):  # heartbeats before the retry time: nothing is tried
        clock[0] = NOW + timedelta(minutes=minutes)
        daemon.nudge_if_due()
    assert plan == ["ok"] and delivered == []
    clock[0] = NOW + timedelta(minutes=5)
    daemon.nudge_if_due()
    assert len(delivered) == 1
    for minutes in (6, 60, 600):  # and never again that day
        clock[0] = NOW + timedelta(minutes=minutes)
        daemon.nudge_if_due()
    assert len(delivered) == 1
