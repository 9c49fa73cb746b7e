"""Real mail servers for the integration tests: a private Dovecot (IMAP) and an aiosmtpd sink (SMTP),
plus helpers to build messages, write a config for them and run the installed command.

Dovecot runs from a temp dir with its own config on a free loopback port, as root (CI) or as an
ordinary user; see the facts in the project's Dovecot notes: as root the login and mail processes
must run as Dovecot's own unprivileged users.
"""

from __future__ import annotations

import grp
import itertools
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DOVECOT_MISSING = "Dovecot is not installed: apt-get install -y dovecot-imapd (CI installs it via .ci/run)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                if connection.recv(64).startswith(b"* OK"):
                    return True
        except OSError:
            time.sleep(0.05)
    return False


DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
{auth}
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
mail_location = maildir:~/Maildir
first_valid_uid = 0
mail_uid = {mail_uid}
mail_gid = {mail_gid}

userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}

namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
  mailbox Junk {{
    special_use = \\Junk
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
}}

service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
{anvil}}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class Dovecot:
    """A private Dovecot IMAP server; ``start()`` it, then ``add_user()`` per test."""

    def __init__(self):
        self.binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
        self.doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
        self.root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
        self.port = free_port()
        self.conf = self.root / "dovecot.conf"
        self._users = itertools.count(1)
        self.password = secrets.token_urlsafe(12)

    def auth_settings(self) -> str:
        """The authentication part of the config. Every user shares one random password: the
        mailboxes are what tests need apart, and a static passdb has no file to re-read
        (passwd-file changes within the same second can go unnoticed)."""
        return ("auth_mechanisms = plain login\n"
                f"passdb {{\n  driver = static\n  args = password={self.password}\n}}")

    def anvil_settings(self) -> str:
        """Extra lines for ``service anvil``: none here."""
        return ""

    def before_start(self) -> None:
        """Write any file the config refers to (subclasses)."""

    def start(self) -> "Dovecot":
        if self.binary is None:
            raise FileNotFoundError(DOVECOT_MISSING)
        if os.geteuid() == 0:
            # Dovecot refuses to run login processes as root and userdb may not return uid 0.
            mail = pwd.getpwnam("dovecot")
            login_user, internal_user, uid, gid = "dovenull", "dovecot", mail.pw_uid, mail.pw_gid
            internal_group = "dovecot"
            os.chmod(self.root, 0o755)
        else:
            me = pwd.getpwuid(os.getuid())
            login_user = internal_user = me.pw_name
            uid, gid = me.pw_uid, me.pw_gid
            internal_group = grp.getgrgid(gid).gr_name
        self.mail_uid, self.mail_gid = uid, gid
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir()
        self.before_start()
        self.conf.write_text(DOVECOT_CONF.format(
            root=self.root, port=self.port, auth=self.auth_settings(), anvil=self.anvil_settings(),
            login_user=login_user, internal_user=internal_user, internal_group=internal_group,
            mail_uid=uid, mail_gid=gid))
        if os.geteuid() == 0:
            os.chown(self.root / "home", uid, gid)
        # The master forks into the background and keeps its descriptors: no pipes, or run() waits forever.
        with (self.root / "startup.log").open("w") as startup:
            result = subprocess.run([self.binary, "-c", str(self.conf)], stdin=subprocess.DEVNULL,
                                    stdout=startup, stderr=startup, timeout=30)
        if result.returncode != 0 or not wait_for_port(self.port):
            raise RuntimeError(f"Dovecot did not start (exit {result.returncode}): "
                               f"{(self.root / 'startup.log').read_text().strip()}\n{self.log_tail()}")
        return self

    def log_tail(self, lines: int = 20) -> str:
        log = self.root / "dovecot.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def stop(self) -> None:
        subprocess.run([self.doveadm, "-c", str(self.conf), "stop"], capture_output=True, timeout=20)
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            except (ValueError, ProcessLookupError):
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    # --- users and mail -------------------------------------------------------------------------
    def add_user(self) -> tuple[str, str]:
        """Create a fresh, empty mailbox; return ``(user, password)``."""
        user = f"user{next(self._users)}-{secrets.token_hex(3)}@example.com"
        home = self.root / "home" / user
        home.mkdir()
        if os.geteuid() == 0:
            os.chown(home, self.mail_uid, self.mail_gid)
        with self.client(user):
            pass  # proves the login works before a test relies on it
        return user, self.password

    def client(self, user: str):
        import imapclient

        client = imapclient.IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=20)
        client.login(user, self.password)
        return client

    def create_folder(self, user: str, folder: str) -> None:
        with self.client(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)

    def append(self, user: str, folder: str, raw: bytes, flags=(), arrived: datetime | None = None) -> int:
        """Put ``raw`` into ``folder`` (created if missing) with ``flags``; return its UID.
        ``arrived`` sets the server's INTERNALDATE (default: now)."""
        with self.client(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=arrived)
        # "[APPENDUID <uidvalidity> <uid>] Append completed."
        text = response.decode() if isinstance(response, bytes) else str(response)
        return int(text.split("APPENDUID", 1)[1].split("]", 1)[0].split()[1])

    def folders(self, user: str) -> list[str]:
        with self.client(user) as client:
            return [name for _flags, _sep, name in client.list_folders()]

    def snapshot_flags(self, user: str) -> dict[tuple[str, int], tuple[bytes, ...]]:
        """Every message's flags (but the session flag \\Recent) in every folder, read without
        changing anything (EXAMINE + FLAGS)."""
        snapshot = {}
        with self.client(user) as client:
            for _flags, _sep, name in client.list_folders():
                client.select_folder(name, readonly=True)
                uids = client.search("ALL")  # imapclient 4.x cannot fetch "1:*" (see tech notes)
                if not uids:
                    continue
                for uid, data in client.fetch(uids, ["FLAGS"]).items():
                    # \Recent belongs to the IMAP session, not the message: the server moves it.
                    snapshot[(name, uid)] = tuple(sorted(f for f in data[b"FLAGS"] if f != b"\\Recent"))
        return snapshot

    def messages(self, user: str, folder: str) -> list[bytes]:
        """The raw messages in ``folder``, in UID order, read with BODY.PEEK (no flag changes)."""
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return []
            fetched = client.fetch(uids, ["BODY.PEEK[]"])
            return [fetched[uid][b"BODY[]"] for uid in sorted(fetched)]


# --- SMTP -----------------------------------------------------------------------------------------
@dataclass
class Delivered:
    raw: bytes
    mail_from: str
    rcpt_tos: list[str] = field(default_factory=list)


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a loopback port that keeps what it receives."""

    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller

        self.messages: list[Delivered] = []
        self._arrived = threading.Condition()
        self.port = port or free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        with self._arrived:
            self.messages.append(Delivered(envelope.original_content or envelope.content,
                                           envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivered]:
        """Return the first ``count`` messages once they arrived; fail after ``timeout`` seconds."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                raise AssertionError(f"expected {count} message(s) by SMTP within {timeout}s, got {len(self.messages)}")
            return list(self.messages[:count])

    def clear(self) -> None:
        with self._arrived:
            self.messages.clear()

    def stop(self) -> None:
        self.controller.stop()


# --- messages, config, command --------------------------------------------------------------------
def make_message(sender: str, to: str, subject: str, body: str, date: datetime, message_id: str | None = None,
                 in_reply_to: str | None = None, references: str | None = None, cc: str | None = None,
                 extra_headers: dict[str, str] | None = None) -> bytes:
    """A plain-text RFC 5322 message with CRLF line endings, as a server stores it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (extra_headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def write_config(path: Path, dovecot_port: int, user: str, password: str, state_path: Path,
                 smtp_port: int | None = None, delivery: str = "smtp", extra_sections: dict | None = None) -> Path:
    """Write a config for the private servers; the IMAP password goes to a 0600 file next to it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    password_file = path.parent / "imap-password"
    password_file.write_text(password + "\n")
    os.chmod(password_file, 0o600)
    sections: dict[str, dict] = {
        "account": {"email": user, "name": "Pat Weber"},
        "imap": {"host": "127.0.0.1", "port": dovecot_port, "security": "none", "username": user,
                 "password_file": str(password_file), "sent_folder": "auto", "folders": ["INBOX"],
                 "timeout": "20s"},
        "digest": {"to": user, "time": "08:00", "timezone": "UTC", "delivery": delivery,
                   "weekdays_only": False},  # tests run on real dates, weekends too
        "rules": {"no_reply_after": "3d", "lookback": "30d"},
        "state": {"path": str(state_path)},
        "daemon": {"poll_interval": "5m"},
    }
    if delivery == "smtp":
        sections["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "none"}
    for section, values in (extra_sections or {}).items():
        sections.setdefault(section, {}).update(values)
    text = "".join(f"[{name}]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in values.items()) + "\n"
                   for name, values in sections.items())
    path.write_text(text)
    return path


def installed_command() -> Path:
    command = Path(sys.executable).parent / "followup-watcher"
    if not command.exists():
        raise AssertionError(f"{command} is missing: install the project first with pip install -e '.[test]'")
    return command


def cli_for(config: Path):
    """A function that runs the installed command with ``config`` and ARGS, checks that it
    succeeded (showing its stderr if not) and returns what it printed."""
    def cli(*args: str) -> str:
        result = run_cli(*args, config=config)
        assert result.returncode == 0, result.stderr
        return result.stdout
    return cli


def run_cli(*args: str, config: Path, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``followup-watcher --config CONFIG ARGS...`` as a user would."""
    return subprocess.run([str(installed_command()), "--config", str(config), *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})
