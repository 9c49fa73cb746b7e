"""Configuration: look-up order, defaults, and validation that reports every problem at once."""

from __future__ import annotations

import os
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from watcher.config import (
    SYSTEM_CONFIG, find_config_path, load_config, parse_config, parse_duration, schema_keys,
)
from watcher.errors import EXIT_CONFIG, ConfigError

REPO = Path(__file__).resolve().parents[2]
MINIMAL = {"account": {"email": "Pat@Example.com"}, "imap": {"host": "imap.example.com"}}


def problems_of(data, environ=None) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_config(data, environ or {"HOME": "/home/pat"})
    assert raised.value.exit_code == EXIT_CONFIG
    return raised.value.problems


def test_minimal_config_gets_documented_defaults():
    config = parse_config(MINIMAL, {"HOME": "/home/pat", "TZ": "Europe/Berlin"})
    assert config.account.email == "pat@example.com"
    assert config.imap.port == 993 and config.imap.security == "tls"
    assert config.imap.username == "pat@example.com"
    assert config.imap.sent_folder == "auto" and config.imap.folders == ("INBOX",)
    assert config.digest.to == "pat@example.com" and config.digest.time == time(8, 0)
    assert config.digest.timezone_name == "Europe/Berlin"
    assert config.digest.delivery == "imap"  # no [smtp]: the nudge is appended over IMAP
    assert config.rules.no_reply_after == timedelta(days=3) and config.rules.lookback == timedelta(days=30)
    assert config.rules.business_days is True
    assert config.daemon.poll_interval == timedelta(minutes=5)
    assert config.state.path == Path("/home/pat/.local/state/followup-watcher/state.json")


def test_every_problem_is_reported_with_its_dotted_key():
    problems = problems_of({
        "account": {"emial": "pat@example.com"},
        "imap": {"host": "imap.example.com", "port": "imaps", "security": "ssl", "folders": "INBOX"},
        "digest": {"time": "8am", "timezone": "Mars/Olympus"},
        "rules": {"no_reply_after": "3", "holidays": ["2026-12-32"]},
        "daemon": {"poll_interval": "5s"},
        "smpt": {"host": "x"},
    })
    text = "\n".join(problems)
    for expected in ("account.emial: unknown key (did you mean 'email'?)", "account.email: required",
                     "imap.port: expected a port number", "imap.security: expected one of tls, starttls, none",
                     "imap.folders: expected a list", "digest.time:", "digest.timezone: unknown time zone",
                     "rules.no_reply_after: expected a duration", "rules.holidays:",
                     "daemon.poll_interval: must be at least 30s", "smpt: unknown section (did you mean 'smtp'?)"):
        assert expected in text
    assert len(problems) == 11


def test_plaintext_is_refused_except_on_loopback():
    assert any(p.startswith("imap.security:") for p in
               problems_of({**MINIMAL, "imap": {"host": "mail.example.com", "security": "none"}}))
    for host in ("127.0.0.1", "localhost", "::1"):
        assert parse_config({**MINIMAL, "imap": {"host": host, "security": "none"}}, {}).imap.port == 143
    allowed = parse_config({**MINIMAL, "imap": {"host": "mail.lan", "security": "none", "allow_insecure": True}}, {})
    assert allowed.imap.security == "none"


def test_exactly_one_mail_source():
    assert any("either [imap]" in p for p in problems_of({**MINIMAL, "local": {"path": "/"}}))
    assert any(p.startswith("imap: required") for p in problems_of({"account": {"email": "p@example.com"}}))


def test_smtp_delivery_needs_an_smtp_section():
    problems = problems_of({**MINIMAL, "digest": {"delivery": "smtp"}})
    assert any(p.startswith("digest.delivery:") and "[smtp]" in p for p in problems)


def test_only_one_password_source_per_section():
    problems = problems_of({**MINIMAL, "imap": {"host": "h.example", "password_env": "X", "password_command": ["p"]}})
    assert any("give only one of" in p for p in problems)


def test_password_command_must_be_a_list():
    problems = problems_of({**MINIMAL, "imap": {"host": "h.example", "password_command": "pass show mail"}})
    assert any(p.startswith("imap.password_command: expected a list") for p in problems)


def test_smtp_login_reuses_the_imap_password_by_default():
    config = parse_config({**MINIMAL, "imap": {"host": "h.example", "password_env": "MAIL_PW"},
                           "smtp": {"host": "smtp.example.com", "username": "pat"}}, {})
    assert config.smtp.port == 587 and config.smtp.security == "starttls"
    assert config.smtp.secret.fallback.password_env == "MAIL_PW"
    relay = parse_config({**MINIMAL, "smtp": {"host": "localhost", "security": "none"}}, {})
    assert relay.smtp.secret is None and relay.smtp.port == 25


def test_relative_paths_are_relative_to_the_config_file(tmp_path):
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    path.write_text('[account]\nemail = "p@example.com"\n[imap]\nhost = "h.example"\n'
                    'password_file = "secret"\n[state]\npath = "state/state.json"\n')
    config = load_config(path, {})
    assert config.imap.secret.password_file == path.parent / "secret"
    assert config.state.path == path.parent / "state" / "state.json"


def test_state_path_defaults_follow_systemd_then_xdg():
    assert parse_config(MINIMAL, {"STATE_DIRECTORY": "/var/lib/followup-watcher"}).state.path == \
        Path("/var/lib/followup-watcher/state.json")
    assert parse_config(MINIMAL, {"XDG_STATE_HOME": "/x/state"}).state.path == \
        Path("/x/state/followup-watcher/state.json")


def test_holidays_accept_toml_dates_and_strings():
    config = parse_config({**MINIMAL, "rules": {"holidays": [date(2026, 12, 25), "2026-12-26"]}}, {})
    assert config.rules.holidays == {date(2026, 12, 25), date(2026, 12, 26)}


@pytest.mark.parametrize("text, expected", [
    ("3d", timedelta(days=3)), ("5m", timedelta(minutes=5)), ("1h30m", timedelta(minutes=90)),
    ("2w", timedelta(weeks=2)), ("45s", timedelta(seconds=45)), (" 2 d ", timedelta(days=2)),
])
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["5", "3 days", "d", "", "1x", 5, "-3d"])
def test_bad_durations_are_refused(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_lookup_order(tmp_path):
    xdg = tmp_path / "xdg" / "followup-watcher" / "config.toml"
    xdg.parent.mkdir(parents=True)
    xdg.write_text("")
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("")
    from_env = tmp_path / "env.toml"
    from_env.write_text("")
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "FOLLOWUP_WATCHER_CONFIG": str(from_env)}
    assert find_config_path(str(explicit), environ) == explicit
    assert find_config_path(None, environ) == from_env
    assert find_config_path(None, {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}) == xdg


def test_missing_config_names_every_place_looked(tmp_path):
    if SYSTEM_CONFIG.exists():
        pytest.skip(f"{SYSTEM_CONFIG} exists on this machine")
    with pytest.raises(ConfigError) as raised:
        find_config_path(None, {"HOME": str(tmp_path)})
    assert str(tmp_path / ".config" / "followup-watcher" / "config.toml") in str(raised.value)
    assert str(SYSTEM_CONFIG) in str(raised.value)
    with pytest.raises(ConfigError, match="--config: .* does not exist"):
        find_config_path(str(tmp_path / "nope.toml"), {})


def test_toml_syntax_error_is_a_config_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[account]\nemail = "p@example.com\n')
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, {})


def test_literal_password_requires_a_private_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[account]\nemail = "p@example.com"\n[imap]\nhost = "h.example"\npassword = "hunter2"\n')
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError) as raised:
        load_config(path, {})
    assert "chmod 600" in str(raised.value) and "hunter2" not in str(raised.value)
    os.chmod(path, 0o600)
    assert load_config(path, {}).imap.secret.password == "hunter2"


def test_the_example_config_is_valid_and_complete():
    config = load_config(REPO / "config" / "followup-watcher.example.toml", {"HOME": "/home/pat"})
    assert config.account.aliases == ("pat@old.example",)
    assert config.digest.timezone_name == "Europe/Berlin"
    assert len(schema_keys()) == len(set(schema_keys()))


# --- cadence, max_followups, per-contact overrides, the daily focus --------------------------------
def test_cadence_and_focus_defaults():
    config = parse_config(MINIMAL, {"HOME": "/home/pat"})
    days = [timedelta(days=n) for n in (3, 5, 7, 14, 30)]
    assert config.rules.cadence == tuple(days) and config.rules.max_followups == 5
    assert config.rules.contacts == () and config.rules.no_reply_after == timedelta(days=3)
    assert config.digest.max_items == 10 and config.digest.weekdays_only is True


@pytest.mark.parametrize("rules, cadence", [
    ({"no_reply_after": "2d"}, ["2d", "5d", "7d", "14d", "30d"]),  # an old config keeps its first wait
    ({"cadence": ["1d", "2w"]}, ["1d", "2w"]),
    ({"cadence": ["4d"], "no_reply_after": "3d"}, ["4d"]),  # both given: the cadence is the whole schedule
])
def test_no_reply_after_is_the_first_step_unless_a_cadence_is_given(rules, cadence):
    config = parse_config({**MINIMAL, "rules": rules}, {})
    assert config.rules.cadence == tuple(parse_duration(step) for step in cadence)
    assert config.rules.no_reply_after == parse_duration(cadence[0])


def test_contact_overrides_are_read_in_order():
    config = parse_config({**MINIMAL, "rules": {"contact": [
        {"match": "@bigcorp.example", "cadence": ["5d", "10d"], "max_followups": 3},
        {"match": "*@*.gov.example", "max_followups": 1},
    ]}}, {})
    first, second = config.rules.contacts
    assert (first.match, first.cadence, first.max_followups) == (
        "@bigcorp.example", (timedelta(days=5), timedelta(days=10)), 3)
    assert (second.match, second.cadence, second.max_followups) == ("*@*.gov.example", None, 1)


@pytest.mark.parametrize("section, values, expected", [
    ("rules", {"cadence": []}, 'rules.cadence: expected a list of durations such as ["3d", "5d", "7d"], got []'),
    ("rules", {"cadence": "3d"}, 'rules.cadence: expected a list of durations such as ["3d", "5d", "7d"], got "3d"'),
    ("rules", {"cadence": ["3d", "5"]}, 'rules.cadence[1]: expected a duration such as "3d", "5m" or "1h30m", got "5"'),
    ("rules", {"cadence": ["0d"]}, "rules.cadence[0]: must be longer than zero"),
    ("rules", {"max_followups": 0}, "rules.max_followups: expected a whole number from 1 to 100, got 0"),
    ("rules", {"max_followups": "5"}, 'rules.max_followups: expected a whole number from 1 to 100, got "5"'),
    ("rules", {"max_followups": True}, "rules.max_followups: expected a whole number from 1 to 100, got true"),
    ("rules", {"no_reply_after": "0d"}, "rules.no_reply_after: must be longer than zero"),
    ("rules", {"cadence": ["40d"]}, "rules.lookback: must be longer than rules.cadence[0], or nothing could ever be due"),
    ("rules", {"no_reply_after": "40d"},
     "rules.lookback: must be longer than rules.no_reply_after, or nothing could ever be due"),
    ("rules", {"contact": {"match": "@x.example"}},
     'rules.contact: expected [[rules.contact]] tables, got {\'match\': \'@x.example\'}'),
    ("rules", {"contact": [{"cadence": ["5d"]}]}, "rules.contact[0].match: required"),
    ("rules", {"contact": [{"match": "@x.example"}]},
     "rules.contact[0]: give cadence, max_followups or both; without them this entry changes nothing"),
    ("rules", {"contact": [{"match": "@x.example", "cadance": ["5d"]}]},
     "rules.contact[0].cadance: unknown key (did you mean 'cadence'?)"),
    ("rules", {"contact": [{"match": "@x.example", "max_followups": 1}, {"match": "@y.example", "cadence": ["5d", ""]}]},
     'rules.contact[1].cadence[1]: expected a duration such as "3d", "5m" or "1h30m", got ""'),
    ("rules", {"contact": [{"match": "", "max_followups": 2}]}, 'rules.contact[0].match: expected a non-empty string'),
    ("rules", {"contact": [{"match": "@x.example", "max_followups": 101}]},
     "rules.contact[0].max_followups: expected a whole number from 1 to 100, got 101"),
    ("digest", {"max_items": 0}, "digest.max_items: expected a whole number from 1 to 100, got 0"),
    ("digest", {"weekdays_only": "yes"}, 'digest.weekdays_only: expected true or false, got "yes"'),
])
def test_cadence_and_focus_problems_name_their_dotted_key(section, values, expected):
    problems = problems_of({**MINIMAL, section: values})
    assert any(problem.startswith(expected) for problem in problems), problems
    assert len(problems) == 1, problems


def test_a_wrong_cadence_in_a_contact_is_reported_once():
    problems = problems_of({**MINIMAL, "rules": {"contact": [{"match": "@x.example", "cadence": "5d"}]}})
    assert problems == ['rules.contact[0].cadence: expected a list of durations such as ["3d", "5d", "7d"], got "5d"']


# --- OAuth2: token_command ------------------------------------------------------------------------
OAMA = ["oama", "access", "pat@gmail.com"]


def test_token_command_is_read_and_smtp_falls_back_to_it():
    config = parse_config({**MINIMAL, "imap": {"host": "h.example", "token_command": OAMA},
                           "smtp": {"host": "smtp.example.com", "username": "pat"}}, {})
    assert config.imap.secret.token_command == tuple(OAMA)
    assert config.smtp.secret.token_command is None
    assert config.smtp.secret.fallback.token_command == tuple(OAMA)
    own = parse_config({**MINIMAL, "imap": {"host": "h.example", "token_command": OAMA},
                        "smtp": {"host": "smtp.example.com", "token_command": ["oama", "access", "other"]}}, {})
    assert own.smtp.secret.token_command == ("oama", "access", "other")
    assert own.smtp.username == "pat@example.com"  # a token_command alone means: log in


@pytest.mark.parametrize("value, expected", [
    ("oama access pat@gmail.com", 'imap.token_command: expected a list such as ["pass", "show", "mail"] (it is '
                                  'run without a shell), got "oama access pat@gmail.com"'),
    ([], 'imap.token_command: expected a non-empty list'),
    (["oama", 3], 'imap.token_command: expected a non-empty string, got 3'),
    (["oama", ""], 'imap.token_command: expected a non-empty string, got ""'),
])
def test_token_command_must_be_a_list_of_strings(value, expected):
    problems = problems_of({**MINIMAL, "imap": {"host": "h.example", "token_command": value}})
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize("section, passwords, expected", [
    ("imap", {"password_command": ["pass", "show", "mail"]},
     "imap.token_command: logs in with an OAuth2 access token instead of a password; remove "
     "imap.password_command, or this key"),
    ("imap", {"password": "x", "credential": "imap-password"},
     "imap.token_command: logs in with an OAuth2 access token instead of a password; remove "
     "imap.credential and imap.password, or this key"),
    ("smtp", {"password_env": "SMTP_PW"},
     "smtp.token_command: logs in with an OAuth2 access token instead of a password; remove "
     "smtp.password_env, or this key"),
])
def test_token_command_and_a_password_key_together_are_refused(section, passwords, expected):
    data = {**MINIMAL, "smtp": {"host": "smtp.example.com"}}
    data[section] = {**data.get(section, {}), "token_command": OAMA, **passwords}
    assert problems_of(data) == [expected]


def test_choices_suggest_the_closest_one():
    problems = problems_of({**MINIMAL, "imap": {"host": "h.example", "security": "TLS"}})
    assert problems == ["imap.security: expected one of tls, starttls, none, got \"TLS\" (did you mean 'tls'?)"]
