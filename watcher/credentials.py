"""Fetching a password or an OAuth2 access token at login time, from where the config says it lives.

Order: ``token_command`` (an OAuth2 token helper), a systemd credential
(``$CREDENTIALS_DIRECTORY/<name>``), ``password_command``, ``password_file``, ``password_env``, a
literal ``password``; then the spec's fallback (the SMTP login reuses the IMAP password or
token). The secret is read at every login, so rotation just works and an access token (valid for
about an hour) is always fresh; it is never stored, and never appears in an error message, a log
line or the state.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from collections.abc import Mapping
from pathlib import Path

from watcher.config import SecretSpec
from watcher.errors import AuthError

COMMAND_TIMEOUT = 30  # seconds; a password manager may ask for a PIN on a hardware key
# RFC 6750's b64token, the form every provider's access tokens take: nothing a helper's message
# ("Please open this URL ...") on stdout could pass for.
_ACCESS_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


class AccessToken(str):
    """An OAuth2 access token from ``token_command``, as ``resolve_secret`` returns it.

    A str, so it travels wherever a password does; its type tells the IMAP and SMTP logins to
    authenticate with SASL XOAUTH2 (or OAUTHBEARER) instead of a password, and ``key`` names the
    section whose ``token_command`` printed it, for messages. Its repr never shows the token."""

    key: str

    def __new__(cls, token: str, key: str) -> "AccessToken":
        instance = super().__new__(cls, token)
        instance.key = key
        return instance

    def __repr__(self) -> str:
        return f"<access token from {self.key}.token_command>"


def resolve_secret(spec: SecretSpec, environ: Mapping[str, str]) -> str:
    """Given where a password lives, return it; with ``token_command``, return a fresh
    ``AccessToken``. Raise AuthError naming the key to fix."""
    key = spec.key
    if spec.token_command:
        return _access_token(spec.token_command, key)
    credentials = environ.get("CREDENTIALS_DIRECTORY")
    if spec.credential:
        if not credentials:
            raise AuthError(f"{key}.credential = {spec.credential!r} needs a systemd credential, but "
                            f"$CREDENTIALS_DIRECTORY is not set; add LoadCredential={spec.credential}:... to "
                            f"the unit, or use {key}.password_command")
        return _read_secret_file(Path(credentials) / spec.credential, f"{key}.credential", private=False)
    if spec.password_command:
        return _run_command(spec.password_command, f"{key}.password_command", "the password",
                            "is the password store locked?")
    if spec.password_file:
        return _read_secret_file(spec.password_file, f"{key}.password_file", private=True)
    if spec.password_env:
        value = environ.get(spec.password_env, "")
        if not value:
            raise AuthError(f"{key}.password_env: the environment variable {spec.password_env} is not set or empty")
        return value
    if spec.password is not None:
        return spec.password
    if credentials and spec.default_credential and (Path(credentials) / spec.default_credential).is_file():
        return _read_secret_file(Path(credentials) / spec.default_credential, f"{key} credential", private=False)
    if spec.fallback is not None:
        return resolve_secret(spec.fallback, environ)
    raise AuthError(f"{key}: no password configured; set {key}.password_command (for example "
                    f"[\"pass\", \"show\", \"mail\"]), {key}.password_file, or load the systemd "
                    f"credential {spec.default_credential or key + '-password'}; or, for OAuth2, "
                    f"{key}.token_command")


def _strip_newline(text: str) -> str:
    """Return the first line: password tools end it with a newline, and ``pass`` keeps notes
    (user name, URL) on the lines after the password."""
    return text.split("\n", 1)[0].removesuffix("\r")


def _read_secret_file(path: Path, what: str, private: bool) -> str:
    try:
        info = path.stat()
        if private and info.st_mode & 0o077:
            raise AuthError(f"{what}: {path} can be read by other users (mode "
                            f"{stat.S_IMODE(info.st_mode):04o}); run chmod 600 {path}")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthError(f"{what}: {path} does not exist") from None
    except PermissionError:
        raise AuthError(f"{what}: {path} cannot be read by this user (uid {os.getuid()})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AuthError(f"{what}: cannot read {path} ({error.__class__.__name__})") from None
    secret = _strip_newline(text)
    if not secret:
        raise AuthError(f"{what}: {path} is empty")
    return secret


def _access_token(argv: tuple[str, ...], key: str) -> AccessToken:
    setting = f"{key}.token_command"
    token = _run_command(argv, setting, "an OAuth2 access token",
                         "is the helper waiting for you to sign in? Run it by hand once")
    if not _ACCESS_TOKEN.fullmatch(token):
        raise AuthError(f"{setting} ({argv[0]}): printed something that is not an access token (a single "
                        f"word of letters, digits and -._~+/); it should print only the token, as "
                        f"`oama access ADDRESS` does")
    return AccessToken(token, key)


def _run_command(argv: tuple[str, ...], setting: str, prints: str, stuck: str) -> str:
    """Run ``argv`` (no shell) and return the first line it prints. ``setting`` names the key,
    ``prints`` what the command should print, ``stuck`` the likely reason for a timeout."""
    where = f"{setting} ({argv[0]})"
    program = argv[0] if "/" in argv[0] else shutil.which(argv[0])
    if program is None or not Path(program).exists():
        raise AuthError(f"{where}: command not found; check the program name and PATH")
    try:
        result = subprocess.run([program, *argv[1:]], stdin=subprocess.DEVNULL, capture_output=True,
                                timeout=COMMAND_TIMEOUT, check=False)
    except FileNotFoundError:
        raise AuthError(f"{where}: command not found; check the program name and PATH") from None
    except PermissionError:
        raise AuthError(f"{where}: the command is not executable") from None
    except subprocess.TimeoutExpired:
        raise AuthError(f"{where}: gave no answer within {COMMAND_TIMEOUT} seconds ({stuck})") from None
    if result.returncode != 0:
        # stderr of a password tool says why it failed ("gpg: decryption failed"); stdout might
        # hold a partial secret and is never shown.
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f": {reason[-1][:200]}" if reason else ""
        advice = ("; if its sign-in expired or was revoked, authorise the helper again (run it by hand)"
                  if setting.endswith(".token_command") else "")
        raise AuthError(f"{where}: exited with status {result.returncode}{detail}{advice}")
    secret = _strip_newline(result.stdout.decode("utf-8", "replace"))
    if not secret:
        raise AuthError(f"{where}: printed nothing; it should print {prints}")
    return secret
