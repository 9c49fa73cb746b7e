"""`followup-watcher init` against the private Dovecot, as a user runs it: with flags, and answering
its questions; the config it writes works for `check` and `sync`."""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import datetime, timedelta, timezone

from tests.integration.mailservers import installed_command, make_message


def init(tmp_path, *args, answers: str = "", config=None):
    config = config or tmp_path / "conf" / "config.toml"
    # A new session has no controlling terminal, so the password question reads standard input.
    return config, subprocess.run([str(installed_command()), "--config", str(config), "init", *args],
                                  input=answers, capture_output=True, text=True, timeout=60, start_new_session=True,
                                  env={**os.environ, "HOME": str(tmp_path)})


def run(config, *args):
    # HOME as for init: the state goes under the test's own directory, not the user's.
    return subprocess.run([str(installed_command()), "--config", str(config), *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "HOME": str(config.parent.parent), "XDG_STATE_HOME": ""})


def test_init_with_flags_writes_a_0600_config_that_logs_in_and_syncs(tmp_path, dovecot, mail_user):
    user, password = mail_user
    sent = make_message(user, "Dana <dana@northwind.example>", "Pricing", "Could you send the price list?",
                        datetime.now(timezone.utc) - timedelta(days=5), message_id="<q1@example.com>")
    dovecot.append(user, "Sent", sent)
    config, result = init(tmp_path, "--email", user, "--name", "Pat Weber", "--imap-host", "127.0.0.1",
                          "--imap-port", str(dovecot.port), "--security", "none", "--password-stdin",
                          "--delivery", "imap", "--no-input", answers=password + "\n")
    assert result.returncode == 0, result.stderr
    assert f"wrote {config} (mode 0600)" in result.stdout
    assert "mail: logged in" in result.stdout and "sent folder: Sent" in result.stdout
    assert "next:" in result.stdout
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(config.parent / "imap-password").st_mode) == 0o600
    assert password not in config.read_text()
    synced = run(config, "sync")
    assert synced.returncode == 0, synced.stderr
    assert "1 open reminder" in synced.stdout


def test_init_asks_for_what_is_missing(tmp_path, dovecot, mail_user):
    user, password = mail_user
    answers = "\n".join([user, "Pat Weber", "127.0.0.1", password]) + "\n"
    config, result = init(tmp_path, "--imap-port", str(dovecot.port), "--security", "none", "--delivery", "imap",
                          answers=answers)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Your email address" in result.stdout and "IMAP server" in result.stdout
    assert "mail: logged in" in result.stdout
    assert run(config, "check").returncode == 0


def test_a_wrong_password_is_reported_and_the_config_is_kept_to_fix(tmp_path, dovecot, mail_user):
    user, _password = mail_user
    config, result = init(tmp_path, "--email", user, "--imap-host", "127.0.0.1", "--imap-port", str(dovecot.port),
                          "--security", "none", "--password-stdin", "--delivery", "imap", "--no-input",
                          answers="not-the-password\n")
    assert result.returncode == 1
    assert "refused the login" in result.stderr and "Traceback" not in result.stderr
    assert config.exists()


def test_an_existing_config_is_not_replaced_unasked(tmp_path, dovecot, mail_user):
    user, password = mail_user
    config = tmp_path / "conf" / "config.toml"
    config.parent.mkdir()
    config.write_text("# mine\n")
    args = ("--email", user, "--imap-host", "127.0.0.1", "--imap-port", str(dovecot.port), "--security", "none",
            "--password-stdin", "--delivery", "imap", "--no-input", "--no-test")
    _, refused = init(tmp_path, *args, answers=password + "\n", config=config)
    assert refused.returncode == 78 and "--force" in refused.stderr
    assert config.read_text() == "# mine\n"
    _, replaced = init(tmp_path, *args, "--force", answers=password + "\n", config=config)
    assert replaced.returncode == 0, replaced.stderr
    assert (config.parent / "config.toml.bak").read_text() == "# mine\n"


def test_without_input_init_names_the_missing_flags(tmp_path):
    _, result = init(tmp_path, "--no-input")
    assert result.returncode == 78
    assert "--email" in result.stderr
    _, result = init(tmp_path, "--email", "pat@example.com", "--no-input")
    assert result.returncode == 78
    assert "--password-command" in result.stderr
