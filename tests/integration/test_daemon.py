"""`followup-watcher run` as a user runs it: catch-up nudge at start, once a day, clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.integration.mailservers import make_message, run_cli, write_config


def watcher_command() -> Path:
    import sys

    return Path(sys.executable).parent / "followup-watcher"


class RunningDaemon:
    def __init__(self, config: Path, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [str(watcher_command()), "--config", str(config), "-vv", "run"],
            stdout=subprocess.DEVNULL, stderr=log.open("w"), env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def wait_for_log(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            content = self.log.read_text()
            if text in content:
                return content
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"daemon log never showed {text!r}:\n{self.log.read_text()[-3000:]}")

    def stop(self, sig=signal.SIGTERM, timeout: float = 20) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout)


@pytest.fixture
def config(dovecot, mail_user, smtp_sink, tmp_path):
    user, password = mail_user
    sent_at = datetime.now(timezone.utc) - timedelta(days=9)
    dovecot.append(user, "Sent", make_message(
        sender=f"Pat Weber <{user}>", to="Dana Lee <dana@northwind.example>", subject="Pricing",
        body="Could you send me the price list?", date=sent_at, message_id="<q1@example.com>"))
    return write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                        state_path=tmp_path / "state.json", smtp_port=smtp_sink.port,
                        extra_sections={"digest": {"time": "00:00"}, "daemon": {"poll_interval": "30s"}})


def test_missed_nudge_is_sent_once_at_start_and_sigterm_stops_cleanly(config, smtp_sink, tmp_path):
    daemon = RunningDaemon(config, tmp_path / "run1.log")
    try:
        [nudge] = smtp_sink.wait_for(1, timeout=30)
        daemon.wait_for_log("nudge with 1 item")
    finally:
        code = daemon.stop()
    assert code == 0
    assert "stopped" in daemon.log.read_text()

    # Started again the same day: the nudge was already sent, so nothing goes out.
    again = RunningDaemon(config, tmp_path / "run2.log")
    try:
        again.wait_for_log("already handled today")
    finally:
        assert again.stop(signal.SIGINT) == 0
    assert len(smtp_sink.messages) == 1
    listed = json.loads(run_cli("list", "--json", config=config).stdout)
    assert [item["contact"] for item in listed] == ["dana@northwind.example"]


def test_second_run_refuses_and_names_the_first(config, tmp_path):
    first = RunningDaemon(config, tmp_path / "first.log")
    try:
        first.wait_for_log("running (pid")
        second = run_cli("run", config=config, timeout=30)
        assert second.returncode == 75
        assert f"pid {first.process.pid}" in second.stderr
    finally:
        assert first.stop() == 0
