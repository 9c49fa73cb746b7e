"""The sd_notify protocol against real datagram sockets standing in for systemd's, and what the
daemon tells systemd: its status line and the watchdog ping that stops while a job hangs."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
from datetime import datetime, timezone

import pytest

from tests.fakes import FakeSource
from tests.unit.test_sync import question
from watcher import jobs, sd_notify, store
from watcher.config import parse_config
from watcher.daemon import Daemon
from watcher.errors import SourceError


class NotifyReceiver:
    """A datagram socket in the role of systemd's ``$NOTIFY_SOCKET``: a file in a short temp dir
    (a socket path holds at most 108 bytes) or, with ``abstract=True``, an abstract name. A
    thread keeps every message, in order, as systemd drains its socket."""

    def __init__(self, abstract: bool = False):
        self.messages: list[str] = []
        self._arrived = threading.Condition()
        self._closed = False
        self._dir = None
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            name = f"followup-watcher-test-{secrets.token_hex(8)}"
            self.sock.bind("\0" + name)
            self.address = "@" + name
        else:
            self._dir = tempfile.mkdtemp(prefix="sdnotify-")
            self.address = os.path.join(self._dir, "notify")
            self.sock.bind(self.address)
        self.sock.settimeout(0.1)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._closed:
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            with self._arrived:
                self.messages.append(data.decode("utf-8"))
                self._arrived.notify_all()

    def wait_for(self, predicate, timeout: float = 5.0, what: str = "") -> list[str]:
        """Wait until ``predicate(messages)`` holds; return the messages so far. Fail after ``timeout``."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: predicate(self.messages), timeout=timeout):
                raise AssertionError(f"no {what or 'expected message'} within {timeout}s; got {self.messages!r}")
            return list(self.messages)

    def wait_for_message(self, text: str, timeout: float = 5.0) -> list[str]:
        return self.wait_for(lambda messages: text in messages, timeout, repr(text))

    def statuses(self) -> list[str]:
        """Every STATUS= value received, in order."""
        with self._arrived:
            return [line[len("STATUS="):] for message in self.messages for line in message.split("\n")
                    if line.startswith("STATUS=")]

    def close(self) -> None:
        self._closed = True
        self._reader.join(2)
        self.sock.close()
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)


@pytest.fixture
def receiver():
    made = NotifyReceiver()
    yield made
    made.close()


@pytest.fixture
def abstract_receiver():
    made = NotifyReceiver(abstract=True)
    yield made
    made.close()


# --- the protocol ---------------------------------------------------------------------------------
def test_ready_status_watchdog_and_stopping_arrive_as_sent(receiver):
    environ = {"NOTIFY_SOCKET": receiver.address}
    for state in ("READY=1\nSTATUS=ready with 3 open reminders", "WATCHDOG=1", "STATUS=synced 2 folders",
                  "STOPPING=1"):
        assert sd_notify.notify(state, environ) is True
    receiver.wait_for(lambda messages: len(messages) == 4)
    assert receiver.messages == ["READY=1\nSTATUS=ready with 3 open reminders", "WATCHDOG=1",
                                 "STATUS=synced 2 folders", "STOPPING=1"]
    assert receiver.statuses() == ["ready with 3 open reminders", "synced 2 folders"]


def test_an_abstract_socket_written_with_an_at_sign_works(abstract_receiver):
    assert sd_notify.notify("READY=1", {"NOTIFY_SOCKET": abstract_receiver.address}) is True
    assert abstract_receiver.wait_for_message("READY=1") == ["READY=1"]


def test_it_reads_notify_socket_from_the_process_environment(receiver, monkeypatch):
    monkeypatch.setenv("NOTIFY_SOCKET", receiver.address)
    assert sd_notify.notify("STATUS=non-ASCII: Müller") is True
    assert receiver.wait_for_message("STATUS=non-ASCII: Müller")


def test_without_notify_socket_nothing_is_sent(receiver, monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert sd_notify.notify("READY=1") is False
    assert sd_notify.notify("READY=1", {}) is False
    assert sd_notify.notify("READY=1", {"NOTIFY_SOCKET": ""}) is False
    # The receiver gets the marker first: nothing went out before it.
    assert sd_notify.notify("STATUS=marker", {"NOTIFY_SOCKET": receiver.address})
    assert receiver.wait_for_message("STATUS=marker") == ["STATUS=marker"]


def test_a_socket_that_is_gone_is_a_warning_once_not_a_crash(tmp_path, caplog):
    environ = {"NOTIFY_SOCKET": str(tmp_path / "gone")}
    with caplog.at_level(logging.DEBUG, logger="watcher.sd_notify"):
        assert sd_notify.notify("WATCHDOG=1", environ) is False
        assert sd_notify.notify("WATCHDOG=1", environ) is False
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "cannot notify systemd" in warnings[0].getMessage()
    assert str(tmp_path / "gone") in warnings[0].getMessage()


def test_an_address_that_is_not_a_unix_socket_is_ignored():
    assert sd_notify.notify("READY=1", {"NOTIFY_SOCKET": "vsock:2:1234"}) is False
    assert sd_notify.notify("READY=1", {"NOTIFY_SOCKET": "relative/path"}) is False


@pytest.mark.parametrize("environ, expected", [
    ({}, None),
    ({"WATCHDOG_USEC": "300000000"}, 300.0),
    ({"WATCHDOG_USEC": "2000000"}, 2.0),
    ({"WATCHDOG_USEC": "0"}, None),
    ({"WATCHDOG_USEC": "-5"}, None),
    ({"WATCHDOG_USEC": "5min"}, None),
    ({"WATCHDOG_USEC": ""}, None),
    ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "OWN"}, 2.0),
    ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "OTHER"}, None),  # inherited from a parent
    ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "not-a-pid"}, None),
])
def test_watchdog_interval(environ, expected):
    pids = {"OWN": str(os.getpid()), "OTHER": str(os.getpid() + 1)}
    environ = {key: pids.get(value, value) for key, value in environ.items()}
    assert sd_notify.watchdog_interval(environ) == expected


def test_watchdog_interval_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("WATCHDOG_USEC", "4000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert sd_notify.watchdog_interval() == 4.0
    monkeypatch.delenv("WATCHDOG_USEC")
    assert sd_notify.watchdog_interval() is None


# --- what the daemon says -------------------------------------------------------------------------
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)


def make_config(tmp_path, send_time: str = "23:59"):
    return parse_config({
        "account": {"email": "pat@example.com"}, "imap": {"host": "imap.example.com"},
        "digest": {"timezone": "Europe/Berlin", "time": send_time}, "state": {"path": str(tmp_path / "state.json")},
    }, {"HOME": str(tmp_path)})


def mailbox_with_a_question() -> FakeSource:
    source = FakeSource()
    source.add_folder("INBOX")
    source.add_folder("Sent")
    source.append("Sent", question(9))
    return source


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_kept", None)  # Daemon() keeps states in memory; not past this test
    return make_config(tmp_path)


def test_the_status_line_says_what_the_last_poll_found_or_why_it_failed(config, receiver, monkeypatch):
    source = mailbox_with_a_question()
    real_sync, server_up = jobs.sync, [True, False]

    def sync(config, environ, now):
        if server_up.pop(0):
            return real_sync(config, environ, now, source=source)
        raise SourceError("cannot connect to the IMAP server imap.example.com:993")

    monkeypatch.setattr(jobs, "sync", sync)
    daemon = Daemon(config, {"NOTIFY_SOCKET": receiver.address}, clock=lambda: NOW)

    daemon.poll()
    receiver.wait_for(lambda messages: len(messages) == 1)
    daemon.poll()
    receiver.wait_for(lambda messages: len(messages) == 2)
    synced, failed = receiver.statuses()
    # 10:30 in Berlin; the scheduler is not running, so no poll is scheduled
    assert synced == "synced 2 folders at 10:30, 1 open reminder; next poll not scheduled"
    assert failed == ("sync failed at 10:30: cannot connect to the IMAP server imap.example.com:993; "
                      "next try not scheduled")


class HungSync:
    """A sync that blocks until released, in the daemon's worker thread."""

    def __init__(self):
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, *args, **kwargs):
        self.entered.set()
        self.release.wait(30)
        raise SourceError("connection reset")


def test_a_long_job_does_not_stop_the_watchdog_ping(config, receiver, monkeypatch):
    hung = HungSync()
    monkeypatch.setattr(jobs, "sync", hung)
    daemon = Daemon(config, {"NOTIFY_SOCKET": receiver.address})  # a job may run for 30 minutes
    worker = threading.Thread(target=daemon.poll)
    worker.start()
    try:
        assert hung.entered.wait(5)
        assert daemon.ping_watchdog() is True
        receiver.wait_for_message("WATCHDOG=1")
    finally:
        hung.release.set()
        worker.join(10)


def test_a_job_running_too_long_stops_the_ping_until_it_ends(config, receiver, monkeypatch, caplog):
    hung = HungSync()
    monkeypatch.setattr(jobs, "sync", hung)
    daemon = Daemon(config, {"NOTIFY_SOCKET": receiver.address}, job_stuck_after=0)
    assert daemon.ping_watchdog() is True  # idle: pinged
    worker = threading.Thread(target=daemon.poll)
    worker.start()
    try:
        assert hung.entered.wait(5)
        with caplog.at_level(logging.ERROR, logger="watcher.daemon"):
            assert daemon.ping_watchdog() is False
            assert daemon.ping_watchdog() is False
        [said] = [r.getMessage() for r in caplog.records if r.name == "watcher.daemon"]
        assert "the poll job has been running for" in said and "restart" in said
    finally:
        hung.release.set()
        worker.join(10)
    assert daemon.ping_watchdog() is True  # the job ended: the daemon is alive again
    # One ping before the job, none while it hung, one after it (its status in between).
    before, status, after = receiver.wait_for(lambda messages: len(messages) == 3)
    assert (before, after) == ("WATCHDOG=1", "WATCHDOG=1")
    assert status.startswith("STATUS=sync failed at ") and "connection reset" in status


def test_the_status_line_keeps_the_last_poll_and_adds_the_nudge(tmp_path, receiver, monkeypatch):
    monkeypatch.setattr(store, "_kept", None)
    config = make_config(tmp_path, send_time="08:00")
    source, real_sync = mailbox_with_a_question(), jobs.sync
    monkeypatch.setattr(jobs, "sync", lambda config, environ, now: real_sync(config, environ, now, source=source))

    def deliver(message, config, environ, on_handover):
        on_handover()
        return "sent to pat@example.com through smtp.example.com"

    monkeypatch.setattr("watcher.deliver.deliver", deliver)  # send_nudge imports it when it runs
    daemon = Daemon(config, {"NOTIFY_SOCKET": receiver.address}, clock=lambda: NOW)
    daemon.nudge_if_due()  # 10:30 in Berlin, after the 08:00 send time: sync, then send
    receiver.wait_for(lambda messages: len(messages) == 2)
    assert receiver.statuses()[-1] == (
        "synced 2 folders at 10:30, 1 open reminder; next poll not scheduled; "
        "nudge with 1 item sent to pat@example.com through smtp.example.com (10:30)")
