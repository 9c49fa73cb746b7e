"""`followup-watcher init`'s pure parts: provider detection, the config it writes (always one the
validator accepts), and how it writes it (0600, never over an existing file unasked)."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from watcher.config import parse_config
from watcher.errors import ConfigError
from watcher.init import Setup, detect_provider, render, save_password, validate, write_new_config


@pytest.mark.parametrize("address, provider", [
    ("pat@gmail.com", "gmail"), ("Pat@GoogleMail.com", "gmail"), ("pat@hotmail.com", "outlook"),
    ("pat@outlook.com", "outlook"), ("pat@fastmail.com", "fastmail"), ("pat@icloud.com", "icloud"),
    ("pat@me.com", "icloud"), ("pat@yahoo.com", "yahoo"), ("pat@example.com", None), ("pat@gmail.com.evil", None),
])
def test_known_mail_domains_name_their_provider(address, provider):
    assert detect_provider(address) == provider


def generic(tmp_path, **overrides) -> Setup:
    password = tmp_path / "imap-password"
    password.write_text("secret\n")
    password.chmod(0o600)
    values = dict(email="pat@example.com", name='Pat "P." Weber', imap_host="imap.example.com",
                  imap_security="tls", secret=("password_file", password), smtp_host="smtp.example.com",
                  smtp_security="starttls", timezone="Europe/Berlin")
    values.update(overrides)
    return Setup(**values)


@pytest.mark.parametrize("overrides", [
    {},
    {"secret": ("password_command", ["pass", "show", "mail/work \"x\""])},
    {"secret": ("password_env", "IMAP_PASSWORD")},
    {"delivery": "imap", "smtp_host": None},
    {"imap_port": 1993, "username": "pat", "folders": ["*"], "send_time": "07:30", "name": ""},
    {"email": "jörg@bücher.example", "name": "Jörg Müller"},
])
def test_what_init_writes_is_a_valid_config_with_the_given_values(tmp_path, overrides):
    setup = generic(tmp_path, **overrides)
    text = render(setup)
    validate(text, tmp_path / "config.toml", {"HOME": str(tmp_path)})
    config = parse_config(tomllib.loads(text), {"HOME": str(tmp_path)}, tmp_path / "config.toml")
    assert config.account.email == setup.email and config.account.name == setup.name
    assert config.imap.host == setup.imap_host and config.imap.folders == tuple(setup.folders)
    assert config.digest.delivery == setup.delivery and config.digest.timezone_name == "Europe/Berlin"
    if setup.delivery == "smtp":
        assert config.smtp.host == "smtp.example.com" and config.smtp.username == (setup.username or setup.email)
    kind, value = setup.secret
    spec = config.imap.secret
    got = {"password_file": spec.password_file, "password_command": list(spec.password_command or ()),
           "password_env": spec.password_env}[kind]
    assert got == value


def test_an_invalid_answer_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ConfigError, match="digest.time"):
        validate(render(generic(tmp_path, send_time="25:99")), tmp_path / "config.toml", {})


def test_the_config_is_0600_in_a_0700_folder_and_an_existing_one_is_kept(tmp_path):
    path = tmp_path / "new" / "config.toml"
    assert write_new_config(path, "x = 1\n") is None
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    with pytest.raises(ConfigError, match="exists already.*--force"):
        write_new_config(path, "x = 2\n")
    assert path.read_text() == "x = 1\n"
    backup = write_new_config(path, "x = 2\n", replace=True)
    assert backup.read_text() == "x = 1\n" and path.read_text() == "x = 2\n"


def test_a_typed_password_is_kept_in_a_0600_file_beside_the_config(tmp_path):
    target = save_password(tmp_path / "cfg" / "config.toml", "pa ss\"word")
    assert target == tmp_path / "cfg" / "imap-password"
    assert target.read_text() == "pa ss\"word\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


@pytest.mark.parametrize("email, provider, imap_host, smtp_host, username", [
    ("pat@fastmail.com", "fastmail", "imap.fastmail.com", "smtp.fastmail.com", "pat@fastmail.com"),
    ("pat@icloud.com", "icloud", "imap.mail.me.com", "smtp.mail.me.com", "pat"),
    ("pat@gmail.com", "gmail", "imap.gmail.com", "smtp.gmail.com", "pat@gmail.com"),
])
def test_with_a_provider_init_writes_only_its_name_and_the_preset_fills_the_servers(tmp_path, email, provider,
                                                                                    imap_host, smtp_host, username):
    setup = Setup(email=email, provider=provider, secret=("token_command", ["oama", "access", email]),
                  timezone="UTC")
    text = render(setup)
    assert not [line for line in text.splitlines() if line.startswith(("host", "port"))]  # the preset has them
    config = parse_config(tomllib.loads(text), {"HOME": str(tmp_path)}, tmp_path / "config.toml")
    assert (config.imap.host, config.smtp.host, config.imap.username) == (imap_host, smtp_host, username)
    assert list(config.imap.secret.token_command) == ["oama", "access", email]
