"""OAuth2 logins (SASL XOAUTH2 and OAUTHBEARER) through ``token_command``, against a real Dovecot
whose only passdb is ``driver = oauth2`` and a real SMTP server that takes only OAuth2 logins.

Both ask a local authorisation server whether a token is active; the token command is a helper
that trades a refresh token for a fresh access token at that server's token endpoint, as oama and
mutt_oauth2.py do. The installed command is driven as a user would.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.integration.mailservers import make_message, run_cli, write_config
from tests.integration.oauth2_servers import (
    OAuth2Dovecot, OAuth2SmtpSink, TokenAuthority, token_command_for, write_oauth2_config,
)
from watcher.config import load_config
from watcher.errors import EXIT_FAILURE

# The SMTP double takes AUTH without TLS: on loopback only, as the other test servers.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

NOW = datetime.now(timezone.utc)
DANA = "Dana Lee <dana@northwind.example>"


@pytest.fixture(scope="module")
def authority():
    server = TokenAuthority()
    yield server
    server.stop()


def _dovecot(authority, mechanisms: str):
    server = OAuth2Dovecot(authority, mechanisms)
    if server.binary is None:
        pytest.skip("Dovecot is not installed: apt-get install -y dovecot-imapd")
    return server.start()


@pytest.fixture(scope="module")
def oauth2_dovecot(authority):
    server = _dovecot(authority, "xoauth2 oauthbearer")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def oauthbearer_dovecot(authority):
    server = _dovecot(authority, "oauthbearer")
    yield server
    server.stop()


class Account:
    """A fresh mailbox on an OAuth2-only Dovecot, its refresh token kept by a token helper, and
    the paths a config for it needs."""

    def __init__(self, dovecot: OAuth2Dovecot, tmp_path: Path):
        self.dovecot = dovecot
        self.authority = dovecot.authority
        self.email, self.refresh_token = dovecot.add_user()
        self.token_command = token_command_for(tmp_path / "helper", self.authority, self.refresh_token)
        self.state_dir = tmp_path / "state"
        self.path = tmp_path / "config.toml"

    def config(self, **kwargs) -> Path:
        return write_oauth2_config(self.path, self.dovecot.port, self.email, self.token_command,
                                   self.state_dir / "state.json", **kwargs)

    def add_unanswered_question(self) -> None:
        self.dovecot.append(self.email, "Sent", make_message(
            sender=f"Pat Weber <{self.email}>", to=DANA, subject="Pricing for the 2027 rollout",
            body="Hi Dana,\n\ncould you send me the updated price list for 2027?\n\nThanks,\nPat",
            date=NOW - timedelta(days=9), message_id="<q1@example.com>"), flags=[b"\\Seen"])


@pytest.fixture
def account(oauth2_dovecot, tmp_path) -> Account:
    return Account(oauth2_dovecot, tmp_path)


def secrets_shown(authority: TokenAuthority, outputs: list[str], state_dir: Path) -> list[str]:
    """Every access or refresh token found in ``outputs`` or in any file under ``state_dir``."""
    texts = list(outputs) + [path.read_text(errors="replace") for path in state_dir.rglob("*") if path.is_file()]
    return [secret for secret in authority.issued + authority.refresh_tokens
            if any(secret in text for text in texts)]


# --- IMAP ---------------------------------------------------------------------------------------
def test_sync_and_check_log_in_with_xoauth2_and_a_fresh_token_each_time(account):
    config = account.config()
    account.add_unanswered_question()
    before, mark = len(account.authority.exchanged), len(account.dovecot.login_methods())

    synced = run_cli("-vv", "sync", config=config)
    assert synced.returncode == 0, synced.stderr
    assert "1 open reminder" in synced.stdout
    checked = run_cli("-vv", "check", config=config)
    assert checked.returncode == 0, checked.stderr
    assert f"mail: logged in, {account.email} on 127.0.0.1:{account.dovecot.port}" in checked.stdout

    tokens = account.authority.exchanged[before:]
    assert len(tokens) == len(set(tokens)) == 2  # one new token per connection, from the helper
    assert all(token in account.authority.introspected for token in tokens)  # Dovecot checked each
    assert account.dovecot.logins_since(mark, 2) == ["XOAUTH2", "XOAUTH2"]
    outputs = [synced.stdout, synced.stderr, checked.stdout, checked.stderr]
    assert "UID SEARCH" in synced.stderr  # -vv shows the IMAP commands, yet no secret
    assert secrets_shown(account.authority, outputs, account.state_dir) == []


def test_the_daemon_gets_a_fresh_token_for_every_poll(account, caplog):
    from watcher.daemon import Daemon

    config = load_config(account.config(), {})
    daemon = Daemon(config, {})
    before = len(account.authority.exchanged)
    with caplog.at_level(logging.INFO, logger="watcher"):
        daemon.poll()
        daemon.poll()
    tokens = account.authority.exchanged[before:]
    assert len(set(tokens)) == 2
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert sum("synced" in r.getMessage() for r in caplog.records) == 2
    assert secrets_shown(account.authority, [caplog.text], account.state_dir) == []


def test_oauthbearer_is_used_when_the_server_offers_only_that(oauthbearer_dovecot, tmp_path):
    account = Account(oauthbearer_dovecot, tmp_path)
    mark = len(oauthbearer_dovecot.login_methods())
    result = run_cli("sync", config=account.config())
    assert result.returncode == 0, result.stderr
    assert oauthbearer_dovecot.logins_since(mark, 1) == ["OAUTHBEARER"]


def test_a_refused_token_says_to_authorise_the_helper_again(account):
    config = account.config()
    account.authority.revoke_tokens(account.email)  # the helper still gets tokens; the server refuses them
    outputs = []
    for command in ("sync", "check"):
        result = run_cli("-vv", command, config=config)
        outputs += [result.stdout, result.stderr]
        assert result.returncode == EXIT_FAILURE, result.stderr
        assert f"the IMAP server 127.0.0.1:{account.dovecot.port} refused the OAuth2 access token for " \
               f"'{account.email}'" in result.stderr
        assert "authorise the helper in imap.token_command again" in result.stderr
        assert "Traceback" not in result.stderr
    status = run_cli("status", config=config)
    assert "refused the OAuth2 access token" in status.stdout  # recorded for `status` too
    assert secrets_shown(account.authority, outputs + [status.stdout], account.state_dir) == []


def test_a_revoked_grant_is_reported_from_the_helper(account):
    config = account.config()
    account.authority.revoke_grant(account.email)  # the refresh token is dead: no new access token
    result = run_cli("-vv", "sync", config=config)
    assert result.returncode == EXIT_FAILURE
    message = result.stderr
    assert "imap.token_command" in message and "exited with status 1" in message
    assert "invalid_grant" in message and "authorise the helper again" in message
    assert secrets_shown(account.authority, [result.stdout, message], account.state_dir) == []


def test_a_password_refused_by_a_provider_says_what_it_needs(oauth2_dovecot, tmp_path):
    """A Gmail account configured with its password: the server (here one that takes only
    OAuth2, as Gmail does for account passwords) refuses it, and the message says why."""
    user, _refresh = oauth2_dovecot.add_user()
    config = write_config(tmp_path / "config.toml", dovecot_port=oauth2_dovecot.port, user=user,
                          password="my-google-password", state_path=tmp_path / "state.json", delivery="imap",
                          extra_sections={"imap": {"provider": "gmail"}})
    result = run_cli("check", config=config)
    assert result.returncode == EXIT_FAILURE
    assert "refused the login" in result.stderr
    assert "Gmail no longer accepts your Google password" in result.stderr
    assert "imap.token_command (OAuth2)" in result.stderr


def test_a_server_without_oauth2_says_so(dovecot, mail_user, authority, tmp_path):
    user, _password = mail_user  # the shared Dovecot offers only PLAIN and LOGIN
    command = token_command_for(tmp_path / "helper", authority, authority.add_account(user))
    config = write_oauth2_config(tmp_path / "config.toml", dovecot.port, user, command, tmp_path / "state.json")
    result = run_cli("sync", config=config)
    assert result.returncode == EXIT_FAILURE
    assert "offers no OAuth2 login (neither XOAUTH2 nor OAUTHBEARER)" in result.stderr
    assert "imap.token_command cannot be used with it" in result.stderr


# --- SMTP ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_digest_send_logs_in_to_smtp_with_the_imap_token_command(account, mechanism):
    sink = OAuth2SmtpSink(account.authority, (mechanism,))
    try:
        # No password keys in [smtp]: the login falls back to imap.token_command, like passwords.
        config = account.config(smtp={"host": "127.0.0.1", "port": sink.port, "security": "none",
                                      "username": account.email})
        account.add_unanswered_question()
        assert run_cli("sync", config=config).returncode == 0
        sent = run_cli("-vv", "digest", "--send", config=config)
        assert sent.returncode == 0, sent.stderr
        [delivered] = sink.wait_for(1)
        assert b"Pricing for the 2027 rollout" in delivered.raw
        assert sink.logins == [(mechanism, account.email)]
        assert secrets_shown(account.authority, [sent.stdout, sent.stderr], account.state_dir) == []
    finally:
        sink.stop()


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_smtp_token_command_of_its_own_and_its_refusal(account, tmp_path, mechanism):
    """``smtp.token_command`` is used for SMTP when given; a token the SMTP server refuses fails
    the delivery with a message naming that key."""
    sink = OAuth2SmtpSink(account.authority, (mechanism,))
    try:
        sender = f"nudges-{account.email}"
        command = token_command_for(tmp_path / "smtp-helper", account.authority,
                                    account.authority.add_account(sender))
        config = account.config(smtp={"host": "127.0.0.1", "port": sink.port, "security": "none",
                                      "username": sender, "token_command": command})
        account.add_unanswered_question()
        assert run_cli("sync", config=config).returncode == 0
        assert run_cli("check", config=config).returncode == 0
        assert sink.logins == [(mechanism, sender)]

        account.authority.revoke_tokens(sender)
        sent = run_cli("digest", "--send", config=config)
        assert sent.returncode == EXIT_FAILURE
        assert f"the SMTP server 127.0.0.1:{sink.port} refused the OAuth2 access token for '{sender}'" in sent.stderr
        assert "authorise the helper in smtp.token_command again" in sent.stderr
        assert sink.messages == [] and sink.refusals == 1
        assert secrets_shown(account.authority, [sent.stdout, sent.stderr], account.state_dir) == []
    finally:
        sink.stop()
