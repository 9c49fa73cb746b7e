"""Find, load and validate the TOML configuration into frozen dataclasses.

Every key the program reads is declared once in ``SCHEMA`` (with its type, default and a one-line
description); validation walks the whole file and collects *every* problem with its dotted key
before raising one ``ConfigError``, so a user fixes the file in one pass. Unknown keys are errors
with a "did you mean" hint: a typo must never silently do nothing.

Relative paths in the file are taken relative to the file's own directory; ``~`` is expanded.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watcher.errors import ConfigError
from watcher.providers import PROVIDERS, Endpoint

CONFIG_ENV = "FOLLOWUP_WATCHER_CONFIG"
SYSTEM_CONFIG = Path("/etc/followup-watcher/config.toml")
MIN_POLL_INTERVAL = timedelta(seconds=30)
SECURITY_CHOICES = ("tls", "starttls", "none")
DEFAULT_PORTS = {"imap": {"tls": 993, "starttls": 143, "none": 143},
                 "smtp": {"tls": 465, "starttls": 587, "none": 25}}
SECRET_KEYS = ("credential", "password_command", "password_file", "password_env", "password", "token_command")


# --- the schema -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Key:
    """One configuration key: its kind (see ``CHECKS``, or ``"tables"`` for an array of tables
    whose keys are ``fields``), default (as written in TOML, or None for "not set"/"computed"),
    whether it must be given, and the sentence the README shows."""

    kind: str
    default: object = None
    doc: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: Mapping[str, "Key"] | None = None  # the keys of each table, for kind "tables"


def _secret_keys(section: str) -> dict[str, Key]:
    return {
        "credential": Key("str", None, f"Name of a systemd credential holding the password, read from "
                          f"`$CREDENTIALS_DIRECTORY`. Default: `{section}-password` when that credential exists."),
        "password_command": Key("argv", None, "Command (a list, run without a shell) that prints the "
                                "password, e.g. `[\"pass\", \"show\", \"mail\"]`. Run at every login."),
        "password_file": Key("path", None, "File holding the password; must not be readable by others (0600)."),
        "password_env": Key("str", None, "Name of an environment variable holding the password (last resort)."),
        "password": Key("str", None, "The password itself. Discouraged: the config file must then be 0600."),
        "token_command": Key("argv", None, "Instead of a password: command (a list, run without a shell) that "
                             "prints an OAuth2 access token, e.g. `[\"oama\", \"access\", \"me@gmail.com\"]`; "
                             "the login then uses XOAUTH2 (or OAUTHBEARER). Run at every login, since "
                             "tokens expire within the hour."),
    }


SCHEMA: dict[str, dict[str, Key]] = {
    "account": {
        "email": Key("email", None, "Your address: mail from it is yours, mail to it is to you.", required=True),
        "name": Key("str", "", "Your name, used in drafts and the nudge."),
        "aliases": Key("emails", [], "Other addresses that are also you."),
    },
    "imap": {
        "provider": Key("choice", None, "Your mail provider: " + ", ".join(f"`{name}`" for name in PROVIDERS)
                        + " (`outlook` is Outlook.com and Microsoft 365). Fills in host, port and security of "
                        "`[imap]` and `[smtp]`; keys you set win.", choices=tuple(PROVIDERS)),
        "host": Key("str", None, "IMAP server name. Required unless `imap.provider` is set."),
        "port": Key("port", None, "IMAP port. Default: the provider's, else 993 for `tls`, 143 otherwise."),
        "security": Key("choice", "tls", "`tls`, `starttls`, or `none` (only for loopback hosts). Default: "
                        "the provider's, else `tls`.", choices=SECURITY_CHOICES),
        "username": Key("str", None, "Login name. Default: `account.email` (for `icloud` addresses, the part "
                        "before the @)."),
        **_secret_keys("imap"),
        "sent_folder": Key("str", "auto", "Folder of sent mail; `auto` finds it by SPECIAL-USE `\\Sent`, "
                           "then by well-known names."),
        "folders": Key("strs", ["INBOX"], "Folders where replies may land; `\"*\"` means every folder "
                       "but Trash, Junk, Drafts."),
        "timeout": Key("duration", "60s", "Network timeout for connecting and reading."),
        "ca_file": Key("path", None, "CA certificate file for a server with a private CA."),
        "allow_insecure": Key("bool", False, "Allow `security = \"none\"` to a host that is not loopback."),
    },
    "local": {
        "path": Key("path", None, "Maildir root, Maildir or mbox file (e.g. kept by mbsync or "
                    "offlineimap); used instead of `[imap]`.", required=True),
        "sent_folder": Key("str", "auto", "Folder of sent mail; `auto` looks for well-known names."),
        "folders": Key("strs", ["INBOX"], "Folders where replies may land; `\"*\"` means all."),
    },
    "smtp": {
        "host": Key("str", None, "SMTP server for sending the nudge. Default: `imap.provider`'s; required "
                    "without it."),
        "port": Key("port", None, "SMTP port. Default: the provider's, else 465 for `tls`, 587 for `starttls`, "
                    "25 for `none`."),
        "security": Key("choice", "starttls", "`tls`, `starttls`, or `none` (only for loopback hosts). Default: "
                        "the provider's, else `starttls`.", choices=SECURITY_CHOICES),
        "username": Key("str", None, "Login name. Without it, without password keys and without "
                        "`imap.provider` no login is attempted. Default when logging in: `account.email`."),
        **_secret_keys("smtp"),
        "timeout": Key("duration", "60s", "Network timeout."),
        "ca_file": Key("path", None, "CA certificate file for a server with a private CA."),
        "allow_insecure": Key("bool", False, "Allow `security = \"none\"` to a host that is not loopback."),
    },
    "digest": {
        "to": Key("email", None, "Where the nudge goes. Default: `account.email`."),
        "sender": Key("email", None, "The nudge's From address. Default: `account.email`."),
        "time": Key("clock", "08:00", "When the daily nudge is sent (24-hour `HH:MM`)."),
        "timezone": Key("zone", None, "IANA time zone for `digest.time` and due dates. Default: the "
                        "system's zone."),
        "delivery": Key("choice", None, "`smtp`, or `imap` (append straight into `digest.folder`, no "
                        "SMTP account needed). Default: `smtp` when `[smtp]` is present, else `imap`.",
                        choices=("smtp", "imap")),
        "folder": Key("str", "INBOX", "Folder the nudge is appended to when `delivery = \"imap\"`."),
        "max_items": Key("count", 10, "At most this many items in the nudge, most pressing first; the rest "
                         "are counted at the end (`followup-watcher list` shows them all)."),
        "weekdays_only": Key("bool", True, "Send no nudge on Saturday and Sunday (in `digest.timezone`); "
                             "what falls due at the weekend comes on Monday."),
        "command_address": Key("email", None, "Where the nudge's action links (Done, Snooze, Stop, Mute) send "
                               "their command mail; it must reach a folder the watcher reads, from one of your "
                               "addresses. Default: `account.email`."),
        "command_mail": Key("choice", "trash", "What happens to a command mail once applied: `trash` moves it "
                            "to Trash, `keep` leaves it where it is.", choices=("trash", "keep")),
        "calendar": Key("bool", False, "Attach an iCalendar file (`.ics`) with your open promises, each on "
                        "its due day, so they land in your calendar; importing it again updates them."),
    },
    "rules": {
        "cadence": Key("durations", ["3d", "5d", "7d", "14d", "30d"], "How long to wait for an answer: the "
                       "first step after your message, the next after each follow-up of yours (the last step "
                       "repeats). Whole days count business days unless `rules.business_days = false`."),
        "max_followups": Key("count", 5, "After this many unanswered follow-ups the nudge asks once \"stop, "
                             "or keep going?\" and then stops reminding you (1-100)."),
        "no_reply_after": Key("duration", "3d", "Older name for the first wait: used as `rules.cadence`'s first "
                              "step when `rules.cadence` is not set, ignored when it is."),
        "lookback": Key("duration", "30d", "How far back mail is read and remembered."),
        "ignore": Key("strs", [], "Addresses never to track: globs (`*@news.example.com`), `@domain`, "
                      "or exact addresses."),
        "contact": Key("tables", [], "Per-contact or per-domain cadence, as `[[rules.contact]]` tables; "
                       "the first whose `match` fits the contact wins.", fields={
                           "match": Key("str", None, "An address, `@domain` or glob, as in `rules.ignore`.",
                                        required=True),
                           "cadence": Key("durations", None, "The waits for this contact. Default: "
                                          "`rules.cadence`."),
                           "max_followups": Key("count", None, "Follow-ups before the last call for this contact. "
                                                "Default: `rules.max_followups`."),
                       }),
        "business_days": Key("bool", True, "Count waits in business days (Monday to Friday, minus holidays)."),
        "holidays": Key("dates", [], "Days that are not business days, as `YYYY-MM-DD`."),
        "track": Key("choice", "expecting_reply", "Which sent mail may become a `no_reply` reminder: "
                     "`expecting_reply` (it asks something of the recipient) or `all`.",
                     choices=("expecting_reply", "all")),
        "promise_default_due": Key("duration", "2d", "When a promise of yours names no time, it is due "
                                   "this long after you wrote it."),
        "date_order": Key("choice", "dmy", "How to read numeric dates such as `3/12`: `dmy` (3 December) "
                          "or `mdy` (March 12).", choices=("dmy", "mdy")),
        "keep_in_touch_after": Key("duration", None, "Suggest getting back in touch with people you had a "
                                   "two-way conversation with once it has been silent this long (calendar "
                                   "days, at least 14d), at most two a day. Off unless set, e.g. `\"90d\"`."),
    },
    "state": {
        "path": Key("path", None, "State file. Default: `$STATE_DIRECTORY/state.json` (systemd), else "
                    "`$XDG_STATE_HOME/followup-watcher/state.json`, else "
                    "`~/.local/state/followup-watcher/state.json`."),
    },
    "daemon": {
        "poll_interval": Key("duration", "5m", "How often `run` polls the mailbox (at least 30s)."),
    },
}

OPTIONAL_SECTIONS = ("imap", "local", "smtp")


def schema_keys() -> list[str]:
    """Every configuration key as ``section.key``, in schema order."""
    return [f"{section}.{name}" for section, keys in SCHEMA.items() for name in keys]


# --- the result -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AccountConfig:
    email: str
    name: str = ""
    aliases: tuple[str, ...] = ()

    def is_me(self, address: str) -> bool:
        """True if ``address`` is the account address or one of its aliases (case-insensitive)."""
        address = address.lower()
        return address == self.email or address in self.aliases


@dataclass(frozen=True)
class SecretSpec:
    """Where a password, or with ``token_command`` an OAuth2 access token, comes from (never the
    secret itself, except a literal ``password``).

    ``key`` is the section it belongs to, for messages; ``default_credential`` is the systemd
    credential name tried when nothing else is configured; ``fallback`` is tried last."""

    key: str
    credential: str | None = None
    password_command: tuple[str, ...] | None = None
    password_file: Path | None = None
    password_env: str | None = None
    password: str | None = field(default=None, repr=False)
    default_credential: str | None = None
    fallback: "SecretSpec | None" = None
    token_command: tuple[str, ...] | None = None

    @property
    def configured(self) -> bool:
        return any(v is not None for v in (self.credential, self.password_command, self.password_file,
                                             self.password_env, self.password, self.token_command))


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    security: str
    username: str
    secret: SecretSpec
    sent_folder: str = "auto"
    folders: tuple[str, ...] = ("INBOX",)
    timeout: float = 60.0
    ca_file: Path | None = None
    allow_insecure: bool = False
    provider: str | None = None  # a key of watcher.providers.PROVIDERS


@dataclass(frozen=True)
class LocalConfig:
    path: Path
    sent_folder: str = "auto"
    folders: tuple[str, ...] = ("INBOX",)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str | None
    secret: SecretSpec | None
    timeout: float = 60.0
    ca_file: Path | None = None
    allow_insecure: bool = False
    provider: str | None = None  # set when the server is imap.provider's


@dataclass(frozen=True)
class DigestConfig:
    to: str
    sender: str
    time: time
    timezone: tzinfo
    timezone_name: str
    delivery: str
    folder: str = "INBOX"
    max_items: int = 10
    weekdays_only: bool = True
    command_address: str = ""
    command_mail: str = "trash"
    calendar: bool = False


@dataclass(frozen=True)
class ContactRule:
    """One ``[[rules.contact]]`` table; ``None`` means "as for everyone"."""

    match: str
    cadence: tuple[timedelta, ...] | None = None
    max_followups: int | None = None


DEFAULT_CADENCE = (timedelta(days=3), timedelta(days=5), timedelta(days=7), timedelta(days=14), timedelta(days=30))
KEEP_IN_TOUCH_MIN = timedelta(days=14)


@dataclass(frozen=True)
class RulesConfig:
    """``no_reply_after`` is always the first step of ``cadence``."""

    no_reply_after: timedelta = timedelta(days=3)
    lookback: timedelta = timedelta(days=30)
    ignore: tuple[str, ...] = ()
    business_days: bool = True
    holidays: frozenset[date] = frozenset()
    track: str = "expecting_reply"
    promise_default_due: timedelta = timedelta(days=2)
    date_order: str = "dmy"
    cadence: tuple[timedelta, ...] = DEFAULT_CADENCE
    max_followups: int = 5
    contacts: tuple[ContactRule, ...] = ()
    keep_in_touch_after: timedelta | None = None


@dataclass(frozen=True)
class StateConfig:
    path: Path


@dataclass(frozen=True)
class DaemonConfig:
    poll_interval: timedelta = timedelta(minutes=5)


@dataclass(frozen=True)
class Config:
    account: AccountConfig
    imap: ImapConfig | None
    local: LocalConfig | None
    smtp: SmtpConfig | None
    digest: DigestConfig
    rules: RulesConfig
    state: StateConfig
    daemon: DaemonConfig
    path: Path | None = None


# --- value checks ---------------------------------------------------------------------------------
class Invalid(ValueError):
    """A value has the wrong form; the message says what was expected. ``where`` narrows the
    dotted key to a part of the value, e.g. ``"[1]"`` for a list's second item."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


_DURATION = re.compile(r"(\d+)\s*(w|d|h|m|s)", re.IGNORECASE)
_DURATION_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1),
                   "m": timedelta(minutes=1), "s": timedelta(seconds=1)}
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$|^[^@\s<>]+@localhost$")


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value).replace("True", "true").replace("False", "false")


def parse_duration(value: object) -> timedelta:
    """Given ``"3d"``, ``"5m"``, ``"1h30m"``, ``"2w"`` or ``"45s"``, return the timedelta.

    Raise Invalid for anything else (bare numbers are refused: "5" minutes or seconds?)."""
    if not isinstance(value, str):
        raise Invalid(f"expected a duration such as \"3d\", \"5m\" or \"1h30m\", got {_show(value)}")
    text = value.strip().replace(" ", "")
    if not text or _DURATION.sub("", text) or not _DURATION.search(text):
        raise Invalid(f"expected a duration such as \"3d\", \"5m\" or \"1h30m\", got {_show(value)}")
    return sum((int(n) * _DURATION_UNITS[unit.lower()] for n, unit in _DURATION.findall(text)), timedelta())


def _check_str(value, key):
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"expected a non-empty string, got {_show(value)}")
    return value.strip()


def _check_email(value, key):
    text = _check_str(value, key)
    if not _EMAIL.match(text):
        raise Invalid(f"expected an email address such as \"pat@example.com\", got {_show(value)}")
    return text.lower()


def _check_list(value, item_check):
    if not isinstance(value, list):
        raise Invalid(f"expected a list such as [\"...\"], got {_show(value)}")
    return tuple(item_check(item, None) for item in value)


def _check_port(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise Invalid(f"expected a port number 1-65535, got {_show(value)}")
    return value


def _check_bool(value, key):
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {_show(value)}")
    return value


def _check_clock(value, key):
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip()) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise Invalid(f"expected a 24-hour time such as \"08:00\", got {_show(value)}")
    return time(int(match[1]), int(match[2]))


def _check_zone(value, key):
    text = _check_str(value, key)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {_show(value)}; use an IANA name such as \"Europe/Berlin\"") from None


def _check_date(value, key):
    if isinstance(value, date):  # TOML has a date type: holidays = [2026-12-25]
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(f"expected dates as \"YYYY-MM-DD\", got {_show(value)}")


def _check_argv(value, key):
    if isinstance(value, str):
        raise Invalid(f"expected a list such as [\"pass\", \"show\", \"mail\"] (it is run without a "
                      f"shell), got {_show(value)}")
    argv = _check_list(value, _check_str)
    if not argv:
        raise Invalid("expected a non-empty list such as [\"pass\", \"show\", \"mail\"]")
    return argv


def _check_choice(value, key):
    return value  # checked against Key.choices by the caller


def _check_count(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise Invalid(f"expected a whole number from 1 to 100, got {_show(value)}")
    return value


def _check_durations(value, key):
    if not isinstance(value, list) or not value:
        raise Invalid(f"expected a list of durations such as [\"3d\", \"5d\", \"7d\"], got {_show(value)}")
    steps = []
    for index, item in enumerate(value):
        try:
            step = parse_duration(item)
        except Invalid as error:
            raise Invalid(str(error), f"[{index}]") from None
        if step <= timedelta(0):
            raise Invalid("must be longer than zero", f"[{index}]")
        steps.append(step)
    return tuple(steps)


CHECKS: dict[str, Callable] = {
    "str": _check_str, "email": _check_email, "port": _check_port, "bool": _check_bool,
    "clock": _check_clock, "zone": _check_zone, "argv": _check_argv, "choice": _check_choice,
    "path": _check_str, "duration": lambda v, k: parse_duration(v),
    "strs": lambda v, k: _check_list(v, _check_str),
    "emails": lambda v, k: _check_list(v, _check_email),
    "dates": lambda v, k: frozenset(_check_list(v, _check_date)),
    "count": _check_count, "durations": _check_durations,
}


# --- reading a section ----------------------------------------------------------------------------
class Section:
    """The checked values of one TOML table; problems go to the shared list."""

    def __init__(self, name: str, data: Mapping, problems: list[str], base_dir: Path | None):
        self.name = name
        self.problems = problems
        self.base_dir = base_dir
        self.given = set(data)
        self.values: dict[str, object] = {}
        schema = SCHEMA[name]
        for key, value in data.items():
            if key not in schema:
                problems.append(f"{name}.{key}: unknown key{_suggest(key, schema)}")
                continue
            spec = schema[key]
            if spec.kind == "tables":
                self.values[key] = self._tables(key, spec, value)
                continue
            try:
                self.values[key] = self._checked(spec, value)
            except Invalid as error:
                problems.append(f"{name}.{key}{error.where}: {error}")
        for key, spec in schema.items():
            if spec.required and key not in data:
                problems.append(f"{name}.{key}: required")

    def _checked(self, spec: Key, value: object) -> object:
        checked = CHECKS[spec.kind](value, self.name)
        if spec.choices and checked not in spec.choices:
            hint = _suggest(value.lower(), spec.choices) if isinstance(value, str) else ""
            raise Invalid(f"expected one of {', '.join(spec.choices)}, got {_show(value)}{hint}")
        return self._path(checked) if spec.kind == "path" else checked

    def _tables(self, key: str, spec: Key, value: object) -> tuple[dict, ...]:
        """Check an array of tables key by key; problems name the table: ``rules.contact[0].match``."""
        if not isinstance(value, list) or not all(isinstance(table, dict) for table in value):
            self.problem(key, f"expected [[{self.name}.{key}]] tables, got {_show(value)}")
            return ()
        tables = []
        for index, table in enumerate(value):
            where, checked = f"{key}[{index}]", {}
            for name, item in table.items():
                checked[name] = None  # given, even if wrong: reported here, never again as missing
                if name not in spec.fields:
                    self.problem(f"{where}.{name}", f"unknown key{_suggest(name, spec.fields)}")
                    continue
                try:
                    checked[name] = self._checked(spec.fields[name], item)
                except Invalid as error:
                    self.problem(f"{where}.{name}{error.where}", str(error))
            self.problems += [f"{self.name}.{where}.{name}: required"
                              for name, field_spec in spec.fields.items() if field_spec.required and name not in table]
            tables.append(checked)
        return tuple(tables)

    def _path(self, text: str) -> Path:
        path = Path(text).expanduser()
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        return path

    def get(self, key: str, default: object = None) -> object:
        if key in self.values:
            return self.values[key]
        spec = SCHEMA[self.name][key]
        if key in self.given or spec.default is None or spec.kind == "tables":
            return default  # given but invalid (already reported), or computed by the caller
        return CHECKS[spec.kind](spec.default, key) if spec.kind not in ("str", "choice") else spec.default

    def problem(self, key: str, text: str) -> None:
        self.problems.append(f"{self.name}.{key}: {text}")


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --- building the config --------------------------------------------------------------------------
def parse_config(data: Mapping, environ: Mapping[str, str], path: Path | None = None) -> Config:
    """Given the parsed TOML ``data``, return the validated Config.

    Raise ConfigError listing every problem, each with its dotted key."""
    problems: list[str] = []
    base_dir = Path(path).resolve().parent if path else None
    for name, table in data.items():
        if name not in SCHEMA:
            problems.append(f"{name}: unknown section{_suggest(name, SCHEMA)}")
        elif not isinstance(table, dict):
            problems.append(f"{name}: expected a [{name}] table")
    sections = {name: Section(name, data[name] if isinstance(data.get(name), dict) else {}, problems, base_dir)
                for name in SCHEMA if name not in OPTIONAL_SECTIONS or isinstance(data.get(name), dict)}

    account = _account(sections["account"])
    if "imap" in sections and "local" in sections:
        problems.append("imap, local: give either [imap] (a server) or [local] (mail on disk), not both")
    if "imap" not in sections and "local" not in sections:
        problems.append("imap: required: add an [imap] section for your mail server "
                        "(or [local] for mail kept on disk)")
    imap = _imap(sections["imap"], account) if "imap" in sections else None
    local = _local(sections["local"]) if "local" in sections else None
    provider_given = "imap" in sections and "provider" in sections["imap"].given
    smtp = _smtp(sections["smtp"], account, imap, provider_given) if "smtp" in sections else None
    digest = _digest(sections["digest"], account, smtp, imap, environ)
    rules = _rules(sections["rules"])
    daemon = DaemonConfig(poll_interval=sections["daemon"].get("poll_interval"))
    if daemon.poll_interval is not None and daemon.poll_interval < MIN_POLL_INTERVAL:
        sections["daemon"].problem("poll_interval", "must be at least 30s (servers throttle faster polling)")
    state = StateConfig(path=sections["state"].get("path") or default_state_path(environ))
    if problems:
        raise ConfigError(problems, str(path) if path else None)
    return Config(account=account, imap=imap, local=local, smtp=smtp, digest=digest, rules=rules,
                  state=state, daemon=daemon, path=Path(path) if path else None)


def _rules(section: Section) -> RulesConfig:
    cadence, first_key = _cadence(section)
    lookback = section.get("lookback")
    if lookback is not None and cadence and lookback <= cadence[0]:
        section.problem("lookback", f"must be longer than {first_key}, or nothing could ever be due")
    return RulesConfig(
        no_reply_after=cadence[0] if cadence else None, lookback=lookback,
        ignore=section.get("ignore", ()), business_days=section.get("business_days"),
        holidays=section.get("holidays", frozenset()), track=section.get("track", "expecting_reply"),
        promise_default_due=section.get("promise_default_due", timedelta(days=2)),
        date_order=section.get("date_order", "dmy"), cadence=cadence or DEFAULT_CADENCE,
        max_followups=section.get("max_followups", 5), contacts=_contacts(section),
        keep_in_touch_after=_keep_in_touch_after(section),
    )


def _keep_in_touch_after(section: Section) -> timedelta | None:
    after = section.get("keep_in_touch_after")
    if after is not None and after < KEEP_IN_TOUCH_MIN:
        section.problem("keep_in_touch_after", f"must be at least {KEEP_IN_TOUCH_MIN.days}d: a shorter "
                        "silence is not one (leave it out to turn keep-in-touch off)")
        return None
    return after


def _cadence(section: Section) -> tuple[tuple[timedelta, ...], str]:
    """The cadence for everyone and the key its first step comes from. Without ``rules.cadence``
    the first step is ``rules.no_reply_after`` (configs from before cadences keep their wait)."""
    first = section.get("no_reply_after")
    if first is not None and first <= timedelta(0):
        section.problem("no_reply_after", "must be longer than zero")
        first = None
    if "cadence" in section.given:
        return section.get("cadence", ()), "rules.cadence[0]"
    return ((first, *DEFAULT_CADENCE[1:]) if first is not None else ()), "rules.no_reply_after"


def _contacts(section: Section) -> tuple[ContactRule, ...]:
    contacts = []
    for index, table in enumerate(section.get("contact", ())):
        if not set(table) - {"match"}:
            section.problem(f"contact[{index}]", "give cadence, max_followups or both; "
                            "without them this entry changes nothing")
        if table.get("match"):
            contacts.append(ContactRule(table["match"], table.get("cadence"), table.get("max_followups")))
    return tuple(contacts)


def _account(section: Section) -> AccountConfig:
    return AccountConfig(email=section.get("email", ""), name=section.get("name", "") or "",
                         aliases=tuple(a for a in section.get("aliases", ()) if a != section.get("email")))


def _secret(section: Section, default_credential: str, fallback: SecretSpec | None = None) -> SecretSpec:
    given = [key for key in SECRET_KEYS if key in section.given]
    passwords = [key for key in given if key != "token_command"]
    if "token_command" in given and passwords:
        section.problem("token_command", f"logs in with an OAuth2 access token instead of a password; remove "
                        f"{' and '.join(f'{section.name}.{key}' for key in passwords)}, or this key")
    elif len(given) > 1:
        section.problem(given[1], f"give only one of {section.name}.{given[0]} and {section.name}.{given[1]}")
    return SecretSpec(
        key=section.name, credential=section.get("credential"), password_command=section.get("password_command"),
        password_file=section.get("password_file"), password_env=section.get("password_env"),
        password=section.get("password"), default_credential=default_credential, fallback=fallback,
        token_command=section.get("token_command"),
    )


def _endpoint(section: Section, service: str, preset: Endpoint | None,
              missing_host: str | None) -> tuple[str, int, str]:
    """Host, port and security from the section; what it leaves out comes from the provider's
    ``preset``. The preset's port goes with the preset's security only: a config that asks for
    another security gets that security's usual port. ``missing_host`` is the problem to report
    when neither gives a host (None: a wrong imap.provider explains it, and is reported already)."""
    if "host" not in section.given and preset is None and missing_host:
        section.problem("host", missing_host)
    host = section.get("host") or (preset.host if preset and "host" not in section.given else "")
    security = section.get("security") if "security" in section.given or preset is None else preset.security
    security = security or "tls"  # given but invalid: reported already
    if section.get("port"):
        port = section.get("port")
    elif preset is not None and security == preset.security:
        port = preset.port
    else:
        port = DEFAULT_PORTS[service].get(security, 0)
    if security == "none" and host and not _is_loopback(host) and not section.get("allow_insecure"):
        section.problem("security", f"\"none\" would send your password unencrypted to {host}; use "
                        f"\"tls\" or \"starttls\" (or set {section.name}.allow_insecure = true if you "
                        f"really mean it)")
    return host, port, security


def _missing_host(provider_given: bool, offer_provider: bool) -> str | None:
    if provider_given:
        return None
    return "required" + (f" (or set imap.provider to one of {', '.join(PROVIDERS)})" if offer_provider else "")


def _imap(section: Section, account: AccountConfig) -> ImapConfig:
    provider = section.get("provider")
    preset = PROVIDERS.get(provider or "")
    host, port, security = _endpoint(section, "imap", preset.imap if preset else None,
                                     _missing_host("provider" in section.given, offer_provider=True))
    username = section.get("username") or account.email
    local_part, _, domain = account.email.partition("@")
    if preset and "username" not in section.given and domain in preset.local_part_login_domains:
        username = local_part
    return ImapConfig(
        host=host, port=port, security=security, username=username,
        secret=_secret(section, "imap-password"), sent_folder=section.get("sent_folder"),
        folders=section.get("folders", ("INBOX",)) or ("INBOX",),
        timeout=(section.get("timeout") or timedelta(seconds=60)).total_seconds(),
        ca_file=section.get("ca_file"), allow_insecure=bool(section.get("allow_insecure")),
        provider=provider,
    )


def _local(section: Section) -> LocalConfig:
    path = section.get("path")
    if path is not None and not Path(path).exists():
        section.problem("path", f"{path} does not exist")
    return LocalConfig(path=path or Path("."), sent_folder=section.get("sent_folder"),
                       folders=section.get("folders", ("INBOX",)) or ("INBOX",))


def _smtp(section: Section, account: AccountConfig, imap: ImapConfig | None, provider_given: bool) -> SmtpConfig:
    """``provider_given``: imap.provider is set (if it is wrong, it explains a missing host)."""
    provider = imap.provider if imap is not None and "host" not in section.given else None
    preset = PROVIDERS.get(provider or "")
    host, port, security = _endpoint(section, "smtp", preset.smtp if preset else None,
                                     _missing_host(provider_given, offer_provider=imap is not None))
    username = section.get("username")
    secret = None
    # A provider's SMTP server always wants a login; a local relay may want none.
    if username or any(key in section.given for key in SECRET_KEYS) or preset is not None:
        # Without its own password the SMTP login reuses the IMAP one: usually the same account.
        secret = _secret(section, "smtp-password", fallback=imap.secret if imap else None)
        username = username or account.email
    return SmtpConfig(
        host=host, port=port, security=security, username=username, secret=secret,
        timeout=(section.get("timeout") or timedelta(seconds=60)).total_seconds(),
        ca_file=section.get("ca_file"), allow_insecure=bool(section.get("allow_insecure")),
        provider=provider,
    )


def _digest(section: Section, account: AccountConfig, smtp, imap, environ) -> DigestConfig:
    delivery = section.get("delivery") or ("smtp" if smtp is not None or imap is None else "imap")
    if delivery == "smtp" and smtp is None:
        section.problem("delivery", "\"smtp\" needs an [smtp] section; add one, or set "
                        "digest.delivery = \"imap\" to append the nudge to your INBOX")
    if delivery == "imap" and imap is None:
        section.problem("delivery", "\"imap\" needs an [imap] section; with [local] mail use "
                        "digest.delivery = \"smtp\" and an [smtp] section")
    zone = section.get("timezone")
    zone_name = getattr(zone, "key", None) if zone is not None else None
    if zone is None:
        zone, zone_name = system_timezone(environ)
    return DigestConfig(
        to=section.get("to") or account.email, sender=section.get("sender") or account.email,
        time=section.get("time") or time(8, 0), timezone=zone, timezone_name=zone_name or "UTC",
        delivery=delivery, folder=section.get("folder"), max_items=section.get("max_items", 10),
        weekdays_only=section.get("weekdays_only", True),
        command_address=section.get("command_address") or account.email,
        command_mail=section.get("command_mail", "trash"),
        calendar=bool(section.get("calendar", False)),
    )


def system_timezone(environ: Mapping[str, str]) -> tuple[tzinfo, str]:
    """Return the system's IANA zone and its name: $TZ, /etc/timezone, the /etc/localtime link;
    UTC when none of them names a zone."""
    candidates = [environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name and not name.startswith("/"):
            try:
                return ZoneInfo(name), name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC"), "UTC"


def default_state_path(environ: Mapping[str, str]) -> Path:
    """$STATE_DIRECTORY/state.json under systemd, else the XDG state directory."""
    if environ.get("STATE_DIRECTORY"):
        return Path(environ["STATE_DIRECTORY"].split(":")[0]) / "state.json"
    if environ.get("XDG_STATE_HOME"):
        return Path(environ["XDG_STATE_HOME"]) / "followup-watcher" / "state.json"
    return Path(environ.get("HOME") or Path.home()) / ".local" / "state" / "followup-watcher" / "state.json"


# --- finding and loading --------------------------------------------------------------------------
def config_candidates(environ: Mapping[str, str]) -> list[Path]:
    """The default look-up order after --config: $FOLLOWUP_WATCHER_CONFIG, the XDG config file,
    the system-wide file."""
    candidates = []
    if environ.get(CONFIG_ENV):
        candidates.append(Path(environ[CONFIG_ENV]).expanduser())
    config_home = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".config")
    candidates.append(Path(config_home) / "followup-watcher" / "config.toml")
    candidates.append(SYSTEM_CONFIG)
    return candidates


def find_config_path(cli_path: str | None, environ: Mapping[str, str]) -> Path:
    """Return the configuration file to use. Raise ConfigError naming what was tried."""
    if cli_path:
        path = Path(cli_path).expanduser()
        if not path.is_file():
            raise ConfigError([f"--config: {path} does not exist"])
        return path
    candidates = config_candidates(environ)
    if environ.get(CONFIG_ENV) and not candidates[0].is_file():
        raise ConfigError([f"{CONFIG_ENV}: {candidates[0]} does not exist"])
    for path in candidates:
        if path.is_file():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise ConfigError([f"no configuration file found (looked at {tried}); copy "
                       f"config/followup-watcher.example.toml to the first place and fill in your "
                       f"account, or pass --config PATH"])


def load_config(path: Path, environ: Mapping[str, str]) -> Config:
    """Read and validate the TOML file at ``path``. Raise ConfigError with every problem."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError([f"cannot read the file: {error.strerror}"], str(path)) from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError([f"the file is not UTF-8 text ({error.reason} at byte {error.start})"], str(path)) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"not valid TOML: {error}"], str(path)) from error
    config = parse_config(data, environ, path)
    literal = [s for s in (config.imap, config.smtp) if s is not None and s.secret and s.secret.password]
    if literal and Path(path).stat().st_mode & 0o077:
        raise ConfigError([f"{literal[0].secret.key}.password: the file holds a password but other users "
                           f"can read it; run chmod 600 {path}, or better use password_command"], str(path))
    return config


def reference_markdown() -> str:
    """The README's configuration reference, generated from ``SCHEMA`` (a test keeps them equal)."""
    lines = []
    for section, keys in SCHEMA.items():
        lines += [f"**`[{section}]`**", "", "| key | default | meaning |", "| --- | --- | --- |"]
        for name, spec in keys.items():
            lines.append(_reference_row(f"{section}.{name}", spec))
            lines += [_reference_row(f"{section}.{name}[].{field_name}", field_spec)
                      for field_name, field_spec in (spec.fields or {}).items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _reference_row(key: str, spec: Key) -> str:
    default = "required" if spec.required else ("" if spec.default is None else f"`{_toml_value(spec.default)}`")
    return f"| `{key}` | {default} | {spec.doc} |"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return f'"{value}"' if isinstance(value, str) else str(value)
