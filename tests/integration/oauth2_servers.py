"""OAuth2 test doubles for the integration tests: an authorisation server, a token helper, a
Dovecot that accepts only OAuth2 logins, and an SMTP server that accepts only OAuth2 logins.

- ``TokenAuthority``: the provider's side, over HTTP on a loopback port. A token endpoint trades a
  refresh token for a fresh access token (RFC 6749, section 6), and an introspection endpoint
  (RFC 7662) says whether an access token is active and whose it is. Tokens can be revoked.
- ``token_command_for``: a small Python script that works as real helpers do (oama,
  mutt_oauth2.py): it POSTs the refresh token it keeps to the token endpoint and prints the access
  token it gets back.
- ``OAuth2Dovecot``: a private Dovecot as in ``mailservers.Dovecot``, but its only passdb is
  ``driver = oauth2``, which asks the authority's introspection endpoint about every token offered
  with SASL XOAUTH2 or OAUTHBEARER. No password logs in.
- ``OAuth2SmtpSink``: an aiosmtpd server that requires AUTH and offers XOAUTH2 and/or OAUTHBEARER,
  checking tokens with the same authority.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.integration.mailservers import Dovecot, SmtpSink, _toml, free_port

CLIENT_ID = "followup-watcher-tests"


# --- the authorisation server -----------------------------------------------------------------------
class TokenAuthority:
    """The provider's OAuth2 server: ``/token`` (refresh-token grant) and ``/introspect``."""

    def __init__(self):
        self._lock = threading.Lock()
        self._grants: dict[str, str] = {}         # refresh token -> user
        self._active: dict[str, str] = {}         # access token -> user, while it is valid
        self._refused: set[str] = set()           # users whose access tokens servers must refuse
        self.issued: list[str] = []               # every access token ever handed out
        self.exchanged: list[str] = []            # those the token endpoint handed to a helper
        self.introspected: list[str] = []         # every token a server asked about, in order
        self.refresh_tokens: list[str] = []       # every refresh token ever made
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="oauth2-authority", daemon=True)
        self._thread.start()

    @property
    def token_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    @property
    def introspection_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/introspect"

    def add_account(self, user: str) -> str:
        """Authorise ``user`` (what a helper's first interactive sign-in does); return the refresh token."""
        refresh = "rt-" + secrets.token_urlsafe(24)
        with self._lock:
            self._grants[refresh] = user
            self.refresh_tokens.append(refresh)
        return refresh

    def issue(self, user: str) -> str:
        """A fresh access token for ``user``, as the token endpoint hands out."""
        token = "at-" + secrets.token_urlsafe(32)
        with self._lock:
            self._active[token] = user
            self.issued.append(token)
        return token

    def revoke_tokens(self, user: str) -> None:
        """Servers stop accepting ``user``'s access tokens, old and new, while the token endpoint
        still hands them out: what a revoked token, or one without mail scope, looks like."""
        with self._lock:
            self._refused.add(user)

    def revoke_grant(self, user: str) -> None:
        """The user withdrew the app's access: the refresh token no longer works either."""
        with self._lock:
            self._grants = {refresh: owner for refresh, owner in self._grants.items() if owner != user}
            self._active = {token: owner for token, owner in self._active.items() if owner != user}

    def owner(self, token: str) -> str | None:
        """The user an active token belongs to, else None."""
        with self._lock:
            user = self._active.get(token)
            return None if user in self._refused else user

    def _exchange(self, form: dict[str, str]) -> tuple[int, dict]:
        if form.get("grant_type") != "refresh_token" or form.get("client_id") != CLIENT_ID:
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            user = self._grants.get(form.get("refresh_token", ""))
        if user is None:
            return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        token = self.issue(user)
        with self._lock:
            self.exchanged.append(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3599}

    def _introspect(self, form: dict[str, str]) -> tuple[int, dict]:
        token = form.get("token", "")
        with self._lock:
            self.introspected.append(token)
        user = self.owner(token)
        return 200, ({"active": True, "username": user, "scope": "https://mail.example/imap"} if user
                     else {"active": False})

    def _handler(self):
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("ascii", "replace")))
                route = {"/token": authority._exchange, "/introspect": authority._introspect}.get(self.path)
                status, answer = route(form) if route else (404, {"error": "not_found"})
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # keep pytest's output clean
                pass

        return Handler

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- the token helper -------------------------------------------------------------------------------
TOKEN_HELPER = f'''\
"""A token helper as oama or mutt_oauth2.py are: trade the refresh token kept in a file for a
fresh access token at the provider's token endpoint, and print only the access token."""
import json, sys, urllib.error, urllib.parse, urllib.request

endpoint, refresh_file = sys.argv[1], sys.argv[2]
with open(refresh_file, encoding="ascii") as kept:
    refresh_token = kept.read().strip()
form = urllib.parse.urlencode({{"grant_type": "refresh_token", "refresh_token": refresh_token,
                               "client_id": "{CLIENT_ID}"}}).encode()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({{}}))  # loopback: never a proxy
try:
    with opener.open(endpoint, form, timeout=10) as response:
        print(json.load(response)["access_token"])
except urllib.error.HTTPError as error:
    print("oauth2 helper: the token endpoint said " + json.load(error).get("error", str(error.code)), file=sys.stderr)
    sys.exit(1)
'''


def token_command_for(directory: Path, authority: TokenAuthority, refresh_token: str) -> list[str]:
    """Install the helper and its refresh token (0600) in ``directory``; return the argv for
    ``token_command``."""
    directory.mkdir(parents=True, exist_ok=True)
    helper = directory / "oauth2_helper.py"
    helper.write_text(TOKEN_HELPER)
    kept = directory / "refresh-token"
    kept.write_text(refresh_token + "\n")
    os.chmod(kept, 0o600)
    return [sys.executable, str(helper), authority.token_url, str(kept)]


def write_oauth2_config(path: Path, imap_port: int, user: str, token_command: list[str], state_path: Path,
                        smtp: dict | None = None, extra_sections: dict | None = None) -> Path:
    """Write a config whose IMAP login is ``token_command``'s OAuth2 token; with ``smtp`` (the
    [smtp] keys) the nudge goes by SMTP, else it is appended over IMAP."""
    sections: dict[str, dict] = {
        "account": {"email": user, "name": "Pat Weber"},
        "imap": {"host": "127.0.0.1", "port": imap_port, "security": "none", "username": user,
                 "token_command": token_command, "folders": ["INBOX"], "timeout": "20s"},
        "digest": {"to": user, "time": "08:00", "timezone": "UTC", "delivery": "smtp" if smtp else "imap",
                   "weekdays_only": False},  # tests run on real dates, weekends too
        "rules": {"no_reply_after": "3d", "lookback": "30d"},
        "state": {"path": str(state_path)},
    }
    if smtp:
        sections["smtp"] = dict(smtp)
    for section, values in (extra_sections or {}).items():
        sections.setdefault(section, {}).update(values)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"[{name}]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in values.items())
                            + "\n" for name, values in sections.items()))
    return path


# --- Dovecot with an oauth2 passdb ------------------------------------------------------------------
# Dovecot 2.3's oauth2 passdb settings (doc: /usr/share/dovecot/dovecot-oauth2.conf.ext).
OAUTH2_PASSDB_CONF = """\
introspection_url = {introspection_url}
introspection_mode = post
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
"""


class OAuth2Dovecot(Dovecot):
    """A private Dovecot whose users log in only with OAuth2 tokens from ``authority``.
    ``mechanisms`` is Dovecot's ``auth_mechanisms`` (``"xoauth2 oauthbearer"``, or one of them)."""

    def __init__(self, authority: TokenAuthority, mechanisms: str = "xoauth2 oauthbearer"):
        super().__init__()
        self.authority = authority
        self.mechanisms = mechanisms

    def auth_settings(self) -> str:
        # The only passdb: every XOAUTH2/OAUTHBEARER token is checked at the authority's
        # introspection endpoint (no auth cache: a revoked token is refused at once). Refusals
        # are what several tests are about: answer them at once; Dovecot waits 2 s by default.
        return (f"auth_mechanisms = {self.mechanisms}\nauth_failure_delay = 0\n"
                f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
                f"  args = {self.root}/dovecot-oauth2.conf.ext\n}}")

    def anvil_settings(self) -> str:
        # No growing penalty for repeated failures from the same address.
        return "  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n"

    def before_start(self) -> None:
        (self.root / "dovecot-oauth2.conf.ext").write_text(
            OAUTH2_PASSDB_CONF.format(introspection_url=self.authority.introspection_url))

    def add_user(self) -> tuple[str, str]:
        """Create a fresh, empty mailbox and authorise it at the authority; return
        ``(user, refresh_token)``."""
        user = f"user{next(self._users)}-{secrets.token_hex(3)}@example.com"
        home = self.root / "home" / user
        home.mkdir()
        if os.geteuid() == 0:
            os.chown(home, self.mail_uid, self.mail_gid)
        refresh_token = self.authority.add_account(user)
        with self.client(user):
            pass  # proves the OAuth2 login works before a test relies on it
        return user, refresh_token

    def client(self, user: str):
        """An imapclient connection logged in with a fresh token (the tests' own back door for
        putting mail in place and reading it)."""
        import imapclient

        client = imapclient.IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=20)
        token = self.authority.issue(user)
        if b"AUTH=XOAUTH2" in client.capabilities():
            client.oauth2_login(user, token)
        else:
            client.oauthbearer_login(user, token)
        return client

    def login_methods(self) -> list[str]:
        """The SASL mechanism of every successful login so far, from Dovecot's log ("method=...")."""
        log = self.root / "dovecot.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return [line.split("method=", 1)[1].split(",", 1)[0] for line in text.splitlines()
                if ": Login: user=<" in line and "method=" in line]

    def logins_since(self, mark: int, count: int, timeout: float = 5.0) -> list[str]:
        """The mechanisms of the logins after the first ``mark``, once ``count`` of them are in the
        log (Dovecot's log process writes a moment after the login)."""
        deadline = time.monotonic() + timeout
        while len(self.login_methods()) < mark + count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.login_methods()[mark:]


# --- SMTP with OAuth2 -------------------------------------------------------------------------------
class OAuth2SmtpSink(SmtpSink):
    """A real SMTP server (aiosmtpd) that takes mail only after an OAuth2 login whose token
    ``authority`` says is active and belongs to the user named in it. ``mechanisms`` are those
    offered (``XOAUTH2``, ``OAUTHBEARER``); ``logins`` records ``(mechanism, user)`` of each success."""

    def __init__(self, authority: TokenAuthority, mechanisms: tuple[str, ...] = ("XOAUTH2", "OAUTHBEARER")):
        from aiosmtpd.controller import Controller

        self.authority = authority
        self.logins: list[tuple[str, str]] = []
        self.refusals = 0
        self.messages = []
        self._arrived = threading.Condition()
        self.port = free_port()
        excluded = ["LOGIN", "PLAIN"] + [m for m in ("XOAUTH2", "OAUTHBEARER") if m not in mechanisms]
        # Loopback only, so AUTH without TLS is allowed here; auth_required: no mail before a login.
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, auth_required=True,
                                     auth_require_tls=False, auth_exclude_mechanism=excluded)
        self.controller.start()

    async def auth_XOAUTH2(self, server, args):  # aiosmtpd's hook for "AUTH XOAUTH2"
        # user=<user>^Aauth=Bearer <token>^A^A
        fields = dict(part.split("=", 1) for part in self._initial(args).split("\1") if "=" in part)
        return await self._verify(server, "XOAUTH2", fields.get("user", ""), fields.get("auth", ""))

    async def auth_OAUTHBEARER(self, server, args):  # "AUTH OAUTHBEARER": RFC 7628
        # n,a=<user>,^Aauth=Bearer <token>^A^A
        gs2, _, rest = self._initial(args).partition("\1")
        user = next((p[2:] for p in gs2.split(",") if p.startswith("a=")), "").replace("=2C", ",").replace("=3D", "=")
        fields = dict(part.split("=", 1) for part in rest.split("\1") if "=" in part)
        return await self._verify(server, "OAUTHBEARER", user, fields.get("auth", ""))

    @staticmethod
    def _initial(args) -> str:
        return base64.b64decode(args[1]).decode("utf-8", "replace") if len(args) > 1 else ""

    async def _verify(self, server, mechanism: str, user: str, auth: str):
        from aiosmtpd.smtp import AuthResult

        token = auth.removeprefix("Bearer ")
        if user and self.authority.owner(token) == user:
            self.logins.append((mechanism, user))
            return AuthResult(success=True, auth_data=user)
        # As Gmail does: the error details as a challenge, the verdict after the client's answer.
        self.refusals += 1
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}))
        return AuthResult(success=False, handled=False)
