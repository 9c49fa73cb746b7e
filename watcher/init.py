"""``followup-watcher init``: the few facts a working configuration needs, asked for or given as
flags, written as a commented config file (mode 0600), then a test login and the next command.

Pure parts (``detect_provider``, ``render``) are separate from the edge (``write_new_config``);
the command line in ``watcher.cli`` asks the questions.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from watcher.errors import ConfigError

# Mail domains whose provider is known. Custom domains hosted by these providers cannot be told
# from their address: give --provider (or the host) for those.
PROVIDER_DOMAINS = {
    "gmail.com": "gmail", "googlemail.com": "gmail",
    "outlook.com": "outlook", "hotmail.com": "outlook", "live.com": "outlook", "msn.com": "outlook",
    "outlook.de": "outlook", "hotmail.co.uk": "outlook", "hotmail.de": "outlook", "hotmail.fr": "outlook",
    "fastmail.com": "fastmail", "fastmail.fm": "fastmail", "messagingengine.com": "fastmail",
    "icloud.com": "icloud", "me.com": "icloud", "mac.com": "icloud",
    "yahoo.com": "yahoo", "ymail.com": "yahoo", "yahoo.co.uk": "yahoo", "yahoo.de": "yahoo",
    "yahoo.fr": "yahoo", "rocketmail.com": "yahoo",
}

SECRET_KINDS = ("password_command", "password_file", "password_env", "token_command")


def detect_provider(email: str) -> str | None:
    """The provider of a well-known mail domain (``"gmail"`` for ``x@gmail.com``), else None."""
    return PROVIDER_DOMAINS.get(email.rpartition("@")[2].strip().lower())


@dataclass
class Setup:
    """What ``init`` writes. ``secret`` is one of ``SECRET_KINDS`` with its value (an argv list,
    a path or a variable name); ``imap_host`` is needed unless a provider fills it in."""

    email: str
    name: str = ""
    provider: str | None = None
    imap_host: str | None = None
    imap_port: int | None = None
    imap_security: str | None = None
    username: str | None = None
    secret: tuple[str, object] | None = None
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: str | None = None
    delivery: str = "smtp"
    timezone: str | None = None
    send_time: str = "08:00"
    folders: list[str] = field(default_factory=lambda: ["INBOX"])


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _line(key: str, value, comment: str = "") -> str:
    text = f"{key} = {_toml(value)}"
    return f"{text:<39} # {comment}\n" if comment else text + "\n"


def render(setup: Setup) -> str:
    """The configuration file for ``setup``: every given value, and the most useful other keys
    commented out with their defaults. The full list is in the README and the example config."""
    out = ["# followup-watcher configuration, written by `followup-watcher init`.\n",
           "# Check it with `followup-watcher check`; every key is described in the README\n",
           "# (\"Configuration reference\") and in config/followup-watcher.example.toml.\n\n",
           "[account]\n", _line("email", setup.email, "you: mail from this address is yours")]
    if setup.name:
        out.append(_line("name", setup.name, "used in the nudge and in reply drafts"))
    out.append('# aliases = ["me@old.example"]           # other addresses that are also you\n\n[imap]\n')
    if setup.provider:
        out.append(_line("provider", setup.provider, "fills in hosts, ports and security"))
    if setup.imap_host:
        out.append(_line("host", setup.imap_host))
    if setup.imap_port:
        out.append(_line("port", setup.imap_port))
    if setup.imap_security:
        out.append(_line("security", setup.imap_security, "tls | starttls | none (none only for loopback)"))
    if setup.username and setup.username != setup.email:
        out.append(_line("username", setup.username))
    if setup.secret:
        kind, value = setup.secret
        comments = {"password_command": "run without a shell; its first line of output is the password",
                    "password_file": "must be chmod 600",
                    "password_env": "an environment variable holding the password",
                    "token_command": "prints an OAuth2 access token (XOAUTH2)"}
        out.append(_line(kind, str(value) if kind == "password_file" else value, comments[kind]))
    out.append(_line("folders", setup.folders, 'where replies may land; "*" = every folder'))
    out.append('# sent_folder = "auto"                 # found by SPECIAL-USE \\Sent or its usual names\n\n')
    if setup.delivery == "smtp":
        out.append("[smtp]                                  # for sending you the nudge\n")
        if setup.smtp_host:
            out.append(_line("host", setup.smtp_host))
        if setup.smtp_port:
            out.append(_line("port", setup.smtp_port))
        if setup.smtp_security:
            out.append(_line("security", setup.smtp_security))
        if setup.smtp_host and setup.smtp_security != "none":
            out.append(_line("username", setup.username or setup.email, "the IMAP password is used too"))
        out.append("\n")
    out.append("[digest]\n")
    out.append(_line("time", setup.send_time, "when the daily nudge goes out"))
    if setup.timezone:
        out.append(_line("timezone", setup.timezone, "IANA name"))
    out.append(_line("delivery", setup.delivery, "smtp | imap (append straight into your INBOX)"))
    out.append("# weekdays_only = true                 # no nudge on Saturday and Sunday\n\n")
    out.append("[rules]\n"
               '# cadence = ["3d", "5d", "7d", "14d", "30d"]   # waits between follow-ups\n'
               "# max_followups = 5\n"
               '# lookback = "30d"\n'
               '# ignore = ["*@notifications.example.com"]\n'
               '# keep_in_touch_after = "90d"          # suggest people who went silent this long\n')
    return "".join(out)


def validate(text: str, path: Path, environ) -> None:
    """Raise ConfigError if ``text`` is not a configuration followup-watcher accepts."""
    from watcher.config import parse_config

    parse_config(tomllib.loads(text), environ, path)


def write_new_config(path: Path, text: str, replace: bool = False) -> Path | None:
    """Write ``text`` to ``path`` with mode 0600 (its folder 0700 if new). An existing file is
    kept unless ``replace``; then it is moved to ``<path>.bak`` first, which is returned."""
    from watcher.store import write_atomically

    backup = None
    if path.exists():
        if not replace:
            raise ConfigError([f"{path} exists already; run `followup-watcher check` to test it, or "
                               f"`followup-watcher init --force` to replace it (the old file is kept as "
                               f"{path.name}.bak)"])
        backup = path.with_name(path.name + ".bak")
        os.replace(path, backup)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomically(path, text.encode("utf-8"))  # 0600, via a temp file and a rename
    return backup


def save_password(config_path: Path, password: str) -> Path:
    """Keep a password typed into ``init`` in a 0600 file beside the config; return its path."""
    from watcher.store import write_atomically

    target = config_path.with_name("imap-password")
    config_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomically(target, (password + "\n").encode("utf-8"))
    return target
