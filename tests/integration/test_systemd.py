"""The systemd units and the daemon's side of the bargain.

- Each unit in systemd/ passes `systemd-analyze verify` (a copy whose ExecStart points at the
  installed command, in a temp dir), and the system units rate 2.0 or better in
  `systemd-analyze security --offline=yes`.
- `followup-watcher run` started as systemd starts a Type=notify service ($NOTIFY_SOCKET,
  $WATCHDOG_USEC, $JOURNAL_STREAM, $STATE_DIRECTORY, $CREDENTIALS_DIRECTORY) against the private
  Dovecot: READY=1, a STATUS= after the first poll, WATCHDOG=1 pings (also during a slow first
  login), STOPPING=1 on SIGTERM, and log lines with journal priorities.
There is no systemd to run the units here; the notify socket is a test socket.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.integration.mailservers import installed_command, make_message, write_config
from tests.unit.test_sd_notify import NotifyReceiver
from watcher.errors import EXIT_CONFIG

UNITS = Path(__file__).resolve().parents[2] / "systemd"
SYSTEM_UNITS = {"followup-watcher.service": "followup-watcher.service",
                "followup-watcher@.service": "followup-watcher@sales.service"}  # file: the unit to check
USER_UNIT = UNITS / "user" / "followup-watcher.service"
ALL_UNITS = [UNITS / name for name in SYSTEM_UNITS] + [USER_UNIT]
EXPOSURE_LIMIT = 2.0
SYSTEMD_MISSING = ("systemd-analyze is not installed: apt-get install -y systemd "
                   "(CI installs it via .ci/run)")


@pytest.fixture(scope="module")
def systemd_analyze() -> str:
    path = shutil.which("systemd-analyze")
    if path is None:
        pytest.skip(SYSTEMD_MISSING)
    return path


def runnable_copy(unit: Path, directory: Path, name: str | None = None) -> Path:
    """Copy ``unit`` into ``directory`` (as ``name``), its ExecStart running the installed command:
    verify checks that the program exists, and /usr/local/bin is not where the tests install it."""
    text = unit.read_text(encoding="utf-8")
    [program] = re.findall(r"^ExecStart=(\S+)", text, flags=re.MULTILINE)
    assert program.endswith("/followup-watcher"), program
    copy = directory / (name or unit.name)
    copy.write_text(text.replace(f"ExecStart={program} ", f"ExecStart={installed_command()} "), encoding="utf-8")
    return copy


def analyze(systemd_analyze: str, *args: str, user: bool = False, home: Path | None = None):
    env = dict(os.environ)
    if user:  # a user manager's paths, in a temp dir: there is no session here
        env.update(XDG_RUNTIME_DIR=str(home / "runtime"), HOME=str(home))
        (home / "runtime").mkdir(mode=0o700, exist_ok=True)
    command = [systemd_analyze, *(["--user"] if user else []), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)


def directives(unit: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("=", 1)) for line in unit.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(("#", "[")) and "=" in line]


# --- the unit files -------------------------------------------------------------------------------
@pytest.mark.parametrize("file_name", list(SYSTEM_UNITS))
def test_system_units_pass_verify(systemd_analyze, tmp_path, file_name):
    copy = runnable_copy(UNITS / file_name, tmp_path, SYSTEM_UNITS[file_name])
    result = analyze(systemd_analyze, "verify", str(copy))
    # verify exits 0 on unknown keys and bad values too, but names the file in a warning
    complaints = [line for line in result.stderr.splitlines() if copy.name in line]
    assert result.returncode == 0 and not complaints, result.stderr


def test_user_unit_passes_verify_for_a_user_manager(systemd_analyze, tmp_path):
    copy = runnable_copy(USER_UNIT, tmp_path)
    result = analyze(systemd_analyze, "verify", str(copy), user=True, home=tmp_path)
    complaints = [line for line in result.stderr.splitlines() if copy.name in line]
    assert result.returncode == 0 and not complaints, result.stderr


@pytest.mark.parametrize("file_name", list(SYSTEM_UNITS))
def test_system_units_are_hardened_to_an_exposure_of_2_or_less(systemd_analyze, tmp_path, file_name):
    copy = runnable_copy(UNITS / file_name, tmp_path, SYSTEM_UNITS[file_name])
    result = analyze(systemd_analyze, "security", "--offline=yes", "--no-pager", str(copy))
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match, result.stdout + result.stderr
    exposure = float(match.group(1))
    assert exposure <= EXPOSURE_LIMIT, result.stdout


def test_the_template_is_hardened_exactly_like_the_single_unit():
    def hardening(unit: Path) -> str:
        text = unit.read_text(encoding="utf-8")
        return text[text.index("# Hardening"):text.index("[Install]")]

    assert hardening(UNITS / "followup-watcher@.service") == hardening(UNITS / "followup-watcher.service")


@pytest.mark.parametrize("unit", ALL_UNITS, ids=lambda unit: str(unit.relative_to(UNITS)))
def test_every_hardening_line_says_when_to_relax_it(unit):
    lines = unit.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# Hardening"))
    comment, previous_key = [], None
    for line in lines[start:lines.index("[Install]")]:
        if line.startswith("#"):
            comment.append(line)
        elif line:
            key = line.split("=", 1)[0]
            # A key given twice (SystemCallFilter=) shares one comment.
            assert key == previous_key or "Relax" in " ".join(comment), f"{unit.name}: no 'Relax ...' above {line}"
            comment, previous_key = [], key


@pytest.mark.parametrize("unit", ALL_UNITS, ids=lambda unit: str(unit.relative_to(UNITS)))
def test_every_unit_is_a_notify_service_with_watchdog_and_restart_rules(unit):
    settings = dict(directives(unit))
    assert settings["Type"] == "notify" and settings["NotifyAccess"] == "main"
    assert settings["WatchdogSec"] and settings["Restart"] == "on-failure"
    assert settings["RestartPreventExitStatus"] == str(EXIT_CONFIG)
    assert settings["ExecStart"].endswith(" run")


# --- the daemon under Type=notify -----------------------------------------------------------------
NOW = datetime.now(timezone.utc)


@pytest.fixture
def mailbox(dovecot, mail_user):
    user, password = mail_user
    dovecot.append(user, "Sent", make_message(
        sender=f"Pat Weber <{user}>", to="Dana Lee <dana@northwind.example>", subject="Pricing",
        body="Could you send me the price list?", date=NOW - timedelta(days=9), message_id="<q1@example.com>"))
    return user, password


def systemd_config(path: Path, dovecot, user: str, smtp_port: int, secret_line: str) -> Path:
    """A config as a service has it: no state path (the state goes to $STATE_DIRECTORY) and the
    password from ``secret_line`` instead of the helper's password_file."""
    write_config(path, dovecot_port=dovecot.port, user=user, password="unused", state_path=path.parent / "unused",
                 smtp_port=smtp_port, extra_sections={"digest": {"time": "23:59"}, "daemon": {"poll_interval": "1h"}})
    text = path.read_text()
    text = re.sub(r'^password_file = .*$', secret_line, text, flags=re.MULTILINE)
    text = re.sub(r'^\[state\]\npath = .*\n', "", text, flags=re.MULTILINE)
    path.write_text(text)
    (path.parent / "imap-password").unlink()
    return path


class NotifiedDaemon:
    """``followup-watcher run`` with the environment systemd gives a Type=notify service; its
    stderr is a file that $JOURNAL_STREAM names, as if it were the journal."""

    def __init__(self, config: Path, tmp_path: Path, receiver: NotifyReceiver, extra_env: dict[str, str]):
        self.log = tmp_path / "journal.log"
        self.state_directory = tmp_path / "state"
        self.state_directory.mkdir(mode=0o700)
        stderr = self.log.open("w")
        info = os.fstat(stderr.fileno())
        env = {key: value for key, value in os.environ.items() if key not in ("WATCHDOG_PID", "LISTEN_PID")}
        env.update(PYTHONUNBUFFERED="1", NOTIFY_SOCKET=receiver.address, WATCHDOG_USEC="2000000",
                   JOURNAL_STREAM=f"{info.st_dev}:{info.st_ino}", STATE_DIRECTORY=str(self.state_directory),
                   **extra_env)
        self.process = subprocess.Popen([str(installed_command()), "--config", str(config), "-v", "run"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        stderr.close()

    def stop(self) -> int:
        """SIGTERM, as `systemctl stop` sends it; return the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            pytest.fail(f"followup-watcher did not stop within 30 s of SIGTERM:\n{self.log.read_text()[-3000:]}")


def test_run_reports_ready_status_watchdog_and_stopping(dovecot, mailbox, smtp_sink, tmp_path):
    user, password = mailbox
    credentials = tmp_path / "credentials"  # what LoadCredential=imap-password:... provides
    credentials.mkdir(mode=0o700)
    (credentials / "imap-password").write_text(password)
    config = systemd_config(tmp_path / "config.toml", dovecot, user, smtp_sink.port, secret_line="")
    receiver = NotifyReceiver()
    daemon = NotifiedDaemon(config, tmp_path, receiver, {"CREDENTIALS_DIRECTORY": str(credentials)})
    try:
        receiver.wait_for(lambda messages: any("STATUS=synced" in m for m in messages), timeout=30,
                          what="status after the first poll")
        pings = receiver.messages.count("WATCHDOG=1")
        receiver.wait_for(lambda messages: messages.count("WATCHDOG=1") >= pings + 3, timeout=10,
                          what="watchdog pings every second (WATCHDOG_USEC=2 s)")
    finally:
        code = daemon.stop()
        receiver.close()
    assert code == 0, daemon.log.read_text()
    messages = receiver.messages
    [ready] = [m for m in messages if m.startswith("READY=1")]
    first_poll = next(i for i, m in enumerate(messages) if "STATUS=synced" in m)
    assert messages.index(ready) < first_poll  # ready before the first poll ends
    assert ready == "READY=1\nSTATUS=ready with 0 open reminders; first poll now, then every 60 min"
    assert re.fullmatch(r"STATUS=synced 2 folders at \d\d:\d\d, 1 open reminder; next poll \d\d:\d\d",
                        messages[first_poll]), messages[first_poll]
    assert messages[-1] == "STOPPING=1\nSTATUS=stopping after the running job"
    assert (daemon.state_directory / "state.json").is_file()  # StateDirectory= is where the state goes

    journal = daemon.log.read_text().splitlines()
    assert journal and all(re.match(r"<[2-7]>[A-Z]+ ", line) for line in journal), journal
    assert any(line.startswith("<6>INFO followup-watcher running (pid ") for line in journal)
    assert password not in daemon.log.read_text()


@pytest.mark.parametrize("helper_answers", [True, False], ids=["password", "helper-fails"])
def test_a_slow_first_login_neither_holds_up_the_watchdog_nor_the_stop(dovecot, mailbox, smtp_sink, tmp_path,
                                                                       helper_answers):
    user, password = mailbox
    # A password manager that takes 6 s to answer (a PIN prompt, a slow unlock), or then fails:
    # the first poll waits for it on the worker thread while the pings go on, and SIGTERM comes
    # in the middle. The poll ends (and, failing, reschedules itself), then the daemon exits.
    answer = f'print("{password}")' if helper_answers else 'raise SystemExit("pass: store locked")'
    slow = f"import time; time.sleep(6); {answer}"
    config = systemd_config(tmp_path / "config.toml", dovecot, user, smtp_sink.port,
                            secret_line=f'password_command = ["{sys.executable}", "-c", {slow!r}]')
    receiver = NotifyReceiver()
    daemon = NotifiedDaemon(config, tmp_path, receiver, {})
    try:
        receiver.wait_for(lambda messages: messages.count("WATCHDOG=1") >= 3, timeout=20,
                          what="three watchdog pings while the first poll waits for the password")
        assert not any(m.startswith("STATUS=sync") for m in receiver.messages)  # still in the first poll
    finally:
        code = daemon.stop()
        receiver.close()
    assert code == 0, daemon.log.read_text()
    messages = receiver.messages
    assert messages[0].startswith("READY=1") and messages[-1].startswith("STOPPING=1")
    journal = daemon.log.read_text()
    ended = "<6>INFO synced 2 folders (Sent, INBOX)" if helper_answers else "<3>ERROR sync failed: "
    assert ended in journal and "followup-watcher stopped" in journal, journal
