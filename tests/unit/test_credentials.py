"""Passwords come from where the config says, and never show up in an error message."""

from __future__ import annotations

import os
import sys

import pytest

from watcher.config import SecretSpec
from watcher.credentials import AccessToken, resolve_secret
from watcher.errors import AuthError

SECRET = "s3cr3t-Pa55"


def test_password_command_first_line_only(tmp_path):
    spec = SecretSpec("imap", password_command=(sys.executable, "-c", f"print('{SECRET}'); print('user: pat')"))
    assert resolve_secret(spec, {}) == SECRET


def test_failing_command_reports_status_and_stderr_but_not_stdout():
    spec = SecretSpec("imap", password_command=(
        sys.executable, "-c", f"import sys; print('{SECRET}'); print('gpg: decryption failed', file=sys.stderr); sys.exit(2)"))
    with pytest.raises(AuthError) as raised:
        resolve_secret(spec, {})
    message = str(raised.value)
    assert "imap.password_command" in message and "status 2" in message and "decryption failed" in message
    assert SECRET not in message


def test_missing_command_says_so():
    with pytest.raises(AuthError, match="command not found"):
        resolve_secret(SecretSpec("smtp", password_command=("no-such-password-tool-xyz",)), {})


def test_password_file_must_be_private(tmp_path):
    path = tmp_path / "pw"
    path.write_text(SECRET + "\n")
    os.chmod(path, 0o644)
    with pytest.raises(AuthError) as raised:
        resolve_secret(SecretSpec("imap", password_file=path), {})
    assert "chmod 600" in str(raised.value) and SECRET not in str(raised.value)
    os.chmod(path, 0o600)
    assert resolve_secret(SecretSpec("imap", password_file=path), {}) == SECRET


def test_environment_variable():
    assert resolve_secret(SecretSpec("imap", password_env="MAIL_PW"), {"MAIL_PW": SECRET}) == SECRET
    with pytest.raises(AuthError, match="MAIL_PW is not set"):
        resolve_secret(SecretSpec("imap", password_env="MAIL_PW"), {})


def test_systemd_credential_is_used_by_default_when_present(tmp_path):
    (tmp_path / "imap-password").write_text(SECRET)
    spec = SecretSpec("imap", default_credential="imap-password")
    assert resolve_secret(spec, {"CREDENTIALS_DIRECTORY": str(tmp_path)}) == SECRET
    with pytest.raises(AuthError, match="no password configured"):
        resolve_secret(spec, {})


def test_fallback_is_tried_last():
    spec = SecretSpec("smtp", default_credential="smtp-password", fallback=SecretSpec("imap", password=SECRET))
    assert resolve_secret(spec, {}) == SECRET


# --- token_command: OAuth2 access tokens ---------------------------------------------------------
TOKEN = "ya29.a0AfH6SMBx-Token_~+/=="


def token_helper(tmp_path, body: str) -> tuple[str, ...]:
    script = tmp_path / "helper.py"
    script.write_text(body)
    return (sys.executable, str(script))


def test_token_command_gives_an_access_token_that_names_its_key(tmp_path):
    spec = SecretSpec("imap", token_command=token_helper(tmp_path, f"print('{TOKEN}')\nprint('expires: 3599')\n"))
    token = resolve_secret(spec, {})
    assert isinstance(token, AccessToken) and token == TOKEN and token.key == "imap"
    assert TOKEN not in repr(token) and "imap.token_command" in repr(token)
    # A password is not a token: the login must not switch to XOAUTH2 for it.
    assert not isinstance(resolve_secret(SecretSpec("imap", password=SECRET), {}), AccessToken)


def test_every_login_gets_a_fresh_token(tmp_path):
    counter = tmp_path / "count"
    counter.write_text("0")
    spec = SecretSpec("imap", token_command=token_helper(tmp_path, (
        f"from pathlib import Path\np = Path({str(counter)!r})\nn = int(p.read_text()) + 1\n"
        f"p.write_text(str(n))\nprint(f'token-{{n}}')\n")))
    assert [resolve_secret(spec, {}) for _ in range(3)] == ["token-1", "token-2", "token-3"]


def test_smtp_without_its_own_setting_uses_the_imap_token_command(tmp_path):
    imap = SecretSpec("imap", token_command=token_helper(tmp_path, f"print('{TOKEN}')"))
    token = resolve_secret(SecretSpec("smtp", default_credential="smtp-password", fallback=imap), {})
    assert isinstance(token, AccessToken) and token.key == "imap"


def test_token_command_comes_before_a_systemd_credential(tmp_path):
    (tmp_path / "imap-password").write_text(SECRET)
    spec = SecretSpec("imap", token_command=token_helper(tmp_path, f"print('{TOKEN}')"),
                      default_credential="imap-password")
    assert resolve_secret(spec, {"CREDENTIALS_DIRECTORY": str(tmp_path)}) == TOKEN


def test_a_failing_helper_says_to_authorise_it_again_without_showing_its_output(tmp_path):
    spec = SecretSpec("imap", token_command=token_helper(tmp_path, (
        f"import sys\nprint('{TOKEN}')\nprint('invalid_grant: Token has been expired or revoked.', "
        f"file=sys.stderr)\nsys.exit(1)\n")))
    with pytest.raises(AuthError) as raised:
        resolve_secret(spec, {})
    message = str(raised.value)
    assert message.startswith(f"imap.token_command ({sys.executable}): exited with status 1: invalid_grant")
    assert "authorise the helper again" in message and TOKEN not in message


@pytest.mark.parametrize("printed, expected", [
    ("", "printed nothing; it should print an OAuth2 access token"),
    ("Please open https://accounts.example/authorize?code=abc in your browser",
     "printed something that is not an access token"),
    ("Bearer " + TOKEN, "printed something that is not an access token"),
])
def test_output_that_is_not_a_token_is_refused_without_being_shown(tmp_path, printed, expected):
    spec = SecretSpec("smtp", token_command=token_helper(tmp_path, f"print({printed!r})"))
    with pytest.raises(AuthError) as raised:
        resolve_secret(spec, {})
    assert "smtp.token_command" in str(raised.value) and expected in str(raised.value)
    assert not printed or printed not in str(raised.value)
