"""The benchmark scripts keep working. Their absolute times are for people to read; what is
asserted here are ratios, counts of writes and IMAP commands, and that every message is read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_explain_speed_runs_the_installed_command_and_reports_every_message():
    result = subprocess.run([sys.executable, str(REPO / "bench" / "explain_speed.py"), "-n", "40"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "results printed: 40 (0 unreadable)" in result.stdout
    for line in ("messages:", "wall time:", "throughput:", "target:"):
        assert line in result.stdout


def test_scale_benchmark_at_2000_messages_keeps_its_ratios(tmp_path):
    """The mailbox-scale benchmark, small (N = 2,000), as a smoke test: it must run end to end
    against its own private Dovecot, and its ratios must hold; absolute times are left to people."""
    import shutil

    from tests.integration.mailservers import DOVECOT_MISSING

    if not (shutil.which("dovecot") or Path("/usr/sbin/dovecot").exists()):
        pytest.skip(DOVECOT_MISSING)  # a failure under CI=true, like every skip
    figures = tmp_path / "figures.json"
    result = subprocess.run([sys.executable, str(REPO / "bench" / "scale.py"), "-n", "2000", "--repeat", "3",
                             "--json", str(figures), "--quiet"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    run = json.loads(figures.read_text())["results"][0]
    assert run["read_by_first_sync"] == 2000
    # At 2,000 messages the fixed costs (loading the program, writing the state) weigh more than at
    # 50,000, where the full benchmark holds the 1.5x target. Loading the program and its detectors
    # takes about 0.4 s against a floor of about 0.5 s at this size: here the ratio must stay under 2.5.
    assert run["first_sync_ratio"] <= 2.5, result.stdout
    assert run["first_sync_state_writes"] == 1 and run["new_mail_state_writes"] == 1
    assert run["daemon_new_mail_state_writes"] == 1
    assert run["no_change_state_writes"] == 0 and run["daemon_no_change_state_writes"] == 0
    # A poll of the running daemon that finds nothing costs a small part of reading the mailbox.
    assert run["daemon_no_change_s"] < run["floor_s"] / 5, result.stdout
    folders = len(run["folders"])
    assert len(run["no_change_commands"]) <= 4 + folders, run["no_change_commands"]  # log in, list, one per folder
    assert run["no_change_commands"].count("EXAMINE") == folders
    assert "FETCH" not in run["no_change_commands"] and "UID" not in run["no_change_commands"]
    assert run["explain_messages"] == 2000
    for line in ("floor: bare imapclient header fetch", "first sync", "no new mail: daemon poll",
                 "100 new messages: `sync` command", "state file"):
        assert line in result.stdout
