"""Passwords come from where the config says, and never show up in an error message."""

from __future__ import annotations

import os
import sys

import pytest

from watcher.config import SecretSpec
from watcher.credentials import resolve_secret
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
