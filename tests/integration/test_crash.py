"""SIGKILL in the middle of a sync, then another sync: nothing lost, nothing duplicated."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.integration.mailservers import make_message, run_cli, write_config

NOW = datetime.now(timezone.utc)
KILLS = 30


def seed(dovecot, user):
    """Sixty unanswered questions to different people, some answered, in Sent and INBOX."""
    rng = random.Random(7)
    for n in range(60):
        sent_at = NOW - timedelta(days=rng.uniform(4, 25))
        dovecot.append(user, "Sent", make_message(
            sender=user, to=f"contact{n}@client{n % 7}.example", subject=f"Proposal {n}",
            body=f"Could you confirm proposal {n} by Friday?", date=sent_at, message_id=f"<q{n}@example.com>"))
        if n % 3 == 0:
            dovecot.append(user, "INBOX", make_message(
                sender=f"contact{n}@client{n % 7}.example", to=user, subject=f"Re: Proposal {n}",
                body="Confirmed.", date=sent_at + timedelta(days=1), message_id=f"<a{n}@client.example>",
                in_reply_to=f"<q{n}@example.com>", references=f"<q{n}@example.com>"))
    for n in range(200):
        dovecot.append(user, "INBOX", make_message(
            sender=f"news{n}@shop.example", to=user, subject=f"Offer {n}", body="Deals.",
            date=NOW - timedelta(days=rng.uniform(0, 20)), message_id=f"<n{n}@shop.example>"))


def reminders(config):
    result = run_cli("list", "--json", config=config)
    assert result.returncode == 0, result.stderr
    return sorted((item["id"], item["due"], item["followups"]) for item in json.loads(result.stdout))


def test_sigkill_during_sync_loses_and_duplicates_nothing(dovecot, mail_user, tmp_path):
    user, password = mail_user
    seed(dovecot, user)
    clean = write_config(tmp_path / "clean.toml", dovecot_port=dovecot.port, user=user, password=password,
                         state_path=tmp_path / "clean" / "state.json", delivery="imap")
    assert run_cli("sync", config=clean).returncode == 0
    expected = reminders(clean)
    assert len(expected) == 40

    crashy = write_config(tmp_path / "crashy.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "crashy" / "state.json", delivery="imap")
    command = [str(Path(sys.executable).parent / "followup-watcher"), "--config", str(crashy), "sync"]
    rng = random.Random(11)
    for _ in range(KILLS):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        loads = run_cli("list", "--json", config=crashy)  # the state always loads
        assert loads.returncode == 0 and "Traceback" not in loads.stderr, loads.stderr
        json.loads(loads.stdout)
    finished = run_cli("sync", config=crashy)
    assert finished.returncode == 0, finished.stderr
    assert reminders(crashy) == expected
    state = json.loads((tmp_path / "crashy" / "state.json").read_text())
    ids = [doc["id"] for doc in state["messages"].values()]
    assert len(ids) == len(set(ids))
