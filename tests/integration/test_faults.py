"""Faults, against the real Dovecot and SMTP server through the installed command: SIGKILL during
the nudge, the SMTP server down at nudge time, the IMAP server cut off in the middle of a sync,
a UIDVALIDITY reset, a watched folder deleted, and secrets kept out of logs, state and `ps`."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.integration.mailservers import SmtpSink, installed_command, make_message, run_cli, write_config
from tests.integration.test_daemon import RunningDaemon

NOW = datetime.now(timezone.utc)
NUDGE_KILLS = 30


def questions(dovecot, user, count=3, folder="Sent", prefix="q"):
    for n in range(count):
        dovecot.append(user, folder, make_message(
            sender=f"Pat Weber <{user}>", to=f"Contact {n} <c{n}@client.example>", subject=f"Proposal {prefix}{n}",
            body=f"Could you confirm proposal {n}?", date=NOW - timedelta(days=9 - n),
            message_id=f"<{prefix}{n}@example.com>"), flags=[b"\\Seen"])


def listed(config) -> list[tuple]:
    result = run_cli("list", "--json", config=config)
    assert result.returncode == 0, result.stderr
    return sorted((i["id"], i["kind"], i["due"], i["followups"]) for i in json.loads(result.stdout))


def nudge_phase(state: Path):
    data = json.loads(state.read_text())
    return (data.get("meta", {}).get("1", {}).get("nudge_attempt") or {}).get("phase")


def settled_count(sink, quiet: float = 0.5, limit: float = 10.0) -> int:
    """How many messages the sink holds once nothing new arrived for ``quiet`` seconds."""
    deadline = time.monotonic() + limit
    count, since = len(sink.messages), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if len(sink.messages) != count:
            count, since = len(sink.messages), time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return count


def test_sigkill_during_the_nudge_never_sends_it_twice(dovecot, mail_user, smtp_sink, tmp_path):
    user, password = mail_user
    questions(dovecot, user)
    base = tmp_path / "base"
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=base / "state.json", smtp_port=smtp_sink.port)
    assert run_cli("sync", config=config).returncode == 0
    synced = (base / "state.json").read_bytes()
    command = [str(installed_command()), "--config", str(config), "digest", "--send"]
    rng = random.Random(5)
    outcomes = {}
    for kill in range(NUDGE_KILLS):
        (base / "state.json").write_bytes(synced)  # a fresh day: nothing sent yet
        smtp_sink.clear()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.7))
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        phase = nudge_phase(base / "state.json")
        again = run_cli("digest", "--send", config=config)  # the restart
        assert again.returncode == 0, again.stderr
        assert run_cli("digest", "--send", config=config).returncode == 0  # and once more: nothing new
        count = settled_count(smtp_sink)  # a message the killed process handed over may land late
        outcomes[phase] = outcomes.get(phase, 0) + 1
        if phase in (None, "composed", "sent"):
            assert count == 1, f"kill {kill} at phase {phase}: {count} nudges delivered"
        else:  # handover: the server may or may not have it; never a second one
            assert count <= 1, f"kill {kill} at phase {phase}: {count} nudges delivered"
    assert len(outcomes) >= 2, f"the kills all landed in one phase: {outcomes}"


def test_smtp_down_at_nudge_time_is_reported_and_sent_once_when_back(dovecot, mail_user, tmp_path):
    user, password = mail_user
    questions(dovecot, user)
    sink = SmtpSink()
    port = sink.port
    sink.stop()  # the server is down
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state.json", smtp_port=port)
    assert run_cli("sync", config=config).returncode == 0
    failed = run_cli("digest", "--send", config=config)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "check smtp.host, smtp.port" in failed.stderr
    status = run_cli("status", config=config).stdout
    assert "not delivered yet (1 tries); next try at" in status and "errors in the last 24 hours: 1" in status
    back = SmtpSink(port=port)
    try:
        assert run_cli("digest", "--send", config=config).returncode == 0
        assert len(back.wait_for(1)) == 1
        assert run_cli("digest", "--send", config=config).returncode == 0
        time.sleep(0.3)
        assert len(back.messages) == 1
    finally:
        back.stop()
    assert "last nudge: " in run_cli("status", config=config).stdout


class CuttableProxy:
    """A TCP forwarder to the real server that can be cut (every connection reset, new ones
    refused) and restored, like a server that goes away and comes back."""

    def __init__(self, target_port: int):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []
        self.forwarded = 0
        self.cut_after: int | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target))
            self.sockets += [client, server]
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()

    def _pipe(self, source, target, counted):
        try:
            while data := source.recv(65536):
                target.sendall(data)
                if counted:
                    self.forwarded += len(data)
                    if self.cut_after is not None and self.forwarded >= self.cut_after:
                        self.cut()
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.up, self.cut_after = False, None
        for s in list(self.sockets):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def restore(self):
        self.up = True


def test_imap_cut_off_in_the_middle_of_a_sync_the_daemon_backs_off_and_finishes(dovecot, mail_user, smtp_sink,
                                                                                 tmp_path):
    user, password = mail_user
    questions(dovecot, user, count=40)
    for n in range(300):  # enough mail that the first sync takes many round trips
        dovecot.append(user, "INBOX", make_message(
            sender=f"news{n}@shop.example", to=user, subject=f"Offer {n}", body="Deals. " * 200,
            date=NOW - timedelta(days=3), message_id=f"<n{n}@shop.example>"))
    proxy = CuttableProxy(dovecot.port)
    proxy.cut_after = 40_000  # mid-sync: after the first ~40 KB from the server
    config = write_config(tmp_path / "config.toml", dovecot_port=proxy.port, user=user, password=password,
                          state_path=tmp_path / "state.json", smtp_port=smtp_sink.port,
                          extra_sections={"daemon": {"poll_interval": "30s"}, "digest": {"time": "23:59"}})
    daemon = RunningDaemon(config, tmp_path / "daemon.log")
    try:
        log = daemon.wait_for_log("sync failed, retrying in", timeout=30)
        assert "Traceback" not in log
        delay = float(log.split("sync failed, retrying in ", 1)[1].split("s", 1)[0])
        assert 5 <= delay <= 10  # the first retry: 10 s with jitter
        proxy.restore()
        log = daemon.wait_for_log("sync works again after", timeout=40)
        assert "Traceback" not in log
    finally:
        assert daemon.stop() == 0
    direct = write_config(tmp_path / "direct.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "direct" / "state.json", smtp_port=smtp_sink.port)
    assert run_cli("sync", config=direct).returncode == 0
    assert listed(config) == listed(direct) and len(listed(config)) == 40


def test_a_uidvalidity_reset_rescans_without_duplicates(dovecot, mail_user, tmp_path):
    user, password = mail_user
    questions(dovecot, user, folder="Projects")
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state.json", delivery="imap",
                          extra_sections={"imap": {"folders": ["INBOX", "Projects"]}})
    assert run_cli("sync", config=config).returncode == 0
    before = listed(config)
    with dovecot.client(user) as client:  # the folder is rebuilt: same mail, new UIDVALIDITY
        old = client.folder_status("Projects", ["UIDVALIDITY"])[b"UIDVALIDITY"]
        raw = [m for m in dovecot.messages(user, "Projects")]
        client.delete_folder("Projects")
    for message in raw:
        dovecot.append(user, "Projects", message)
    with dovecot.client(user) as client:
        assert client.folder_status("Projects", ["UIDVALIDITY"])[b"UIDVALIDITY"] != old
    result = run_cli("sync", config=config)
    assert result.returncode == 0 and "UIDVALIDITY changed" in result.stderr
    assert listed(config) == before
    state = json.loads((tmp_path / "state.json").read_text())
    ids = [doc["id"] for doc in state["messages"].values()]
    assert len(ids) == len(set(ids))


def test_a_deleted_watched_folder_is_a_warning_not_a_crash(dovecot, mail_user, tmp_path):
    user, password = mail_user
    questions(dovecot, user)
    dovecot.create_folder(user, "Projects")
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state.json", delivery="imap",
                          extra_sections={"imap": {"folders": ["INBOX", "Projects"]}})
    assert run_cli("sync", config=config).returncode == 0
    before = listed(config)
    with dovecot.client(user) as client:
        client.delete_folder("Projects")
    result = run_cli("sync", config=config)
    assert result.returncode == 0, result.stderr
    assert "Projects" in result.stderr and "Traceback" not in result.stderr
    assert listed(config) == before


def test_secrets_stay_out_of_logs_state_and_ps(dovecot, mail_user, smtp_sink, tmp_path):
    user, password = mail_user
    questions(dovecot, user)
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state" / "state.json", smtp_port=smtp_sink.port,
                          extra_sections={"daemon": {"poll_interval": "30s"}, "digest": {"time": "00:00"}})
    outputs = []
    for args in (("-vv", "sync"), ("-vv", "digest", "--preview"), ("-vv", "status"), ("-vv", "check")):
        result = run_cli(*args, config=config)
        outputs += [result.stdout, result.stderr]
    daemon = RunningDaemon(config, tmp_path / "daemon.log")
    try:
        daemon.wait_for_log("nudge with", timeout=30)
        cmdline = Path(f"/proc/{daemon.process.pid}/cmdline").read_bytes().decode(errors="replace")
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    finally:
        daemon.stop()
    outputs += [(tmp_path / "daemon.log").read_text(), cmdline, ps]
    state_files = list((tmp_path / "state").iterdir())
    secret = json.loads((tmp_path / "state" / "state.json").read_text())["meta"]["1"]["action_secret"]
    for text in outputs:
        assert password not in text
        assert secret not in text
    for path in state_files:
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path
            assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"


def test_a_wrong_password_is_one_clear_error_and_slower_retries(dovecot, mail_user, tmp_path):
    user, _ = mail_user
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password="not-the-password",
                          state_path=tmp_path / "state.json", delivery="imap",
                          extra_sections={"daemon": {"poll_interval": "30s"}, "digest": {"time": "23:59"}})
    daemon = RunningDaemon(config, tmp_path / "daemon.log")
    try:
        log = daemon.wait_for_log("ERROR sync failed:", timeout=30)
        assert daemon.process.poll() is None  # still running
    finally:
        assert daemon.stop() == 0
    (line,) = [l for l in log.splitlines() if "ERROR" in l]
    assert "refused the login" in line and "imap.username" in line and "imap.password_file" in line
    minutes = float(line.split("next try in ", 1)[1].split(" min", 1)[0])
    assert 2 <= minutes <= 5  # 5 minutes with jitter, not the 10 s of a network failure
    assert "Traceback" not in log and "not-the-password" not in log
    status = run_cli("status", config=config).stdout
    assert "errors in the last 24 hours: 1" in status and "refused the login" in status


@pytest.mark.parametrize("command", [("sync",), ("run",), ("status",), ("digest", "--send")])
def test_a_broken_config_lists_every_problem_with_its_key_and_exit_code_78(tmp_path, command):
    config = tmp_path / "config.toml"
    config.write_text('[account]\nemail = "not-an-address"\n\n[imap]\nhost = "imap.example.com"\nport = "imaps"\n'
                      '\n[digest]\ntime = "25:00"\n\n[rules]\ncadence = ["3d", "soon"]\nbogus = 1\n')
    result = run_cli(*command, config=config)
    assert result.returncode == 78, result.stderr
    assert "Traceback" not in result.stderr
    for key in ("account.email", "imap.port", "digest.time", "rules.cadence", "rules.bogus"):
        assert key in result.stderr, f"{key} missing from:\n{result.stderr}"
