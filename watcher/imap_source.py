"""The IMAP edge: the only module that imports imapclient.

Folders are opened with EXAMINE (``readonly=True``) and bodies fetched with ``BODY.PEEK``, so
the user's ``\\Seen`` and other flags never change. UIDs are always passed as lists of ints:
imapclient 4.x raises after the fact on range strings (tech notes, section 2.1).
"""

from __future__ import annotations

import logging
import socket
import ssl
from datetime import date, datetime

import imapclient
from imapclient.exceptions import IMAPClientError, LoginError

from watcher import imap_wire
from watcher.credentials import AccessToken
from watcher.errors import AuthError, DeliveryError, SourceError
from watcher.body import decoded_part_text
from watcher.parse import HEADER_FIELDS
from watcher.providers import password_hint
from watcher.source import FetchedHeaders, FolderListing, FolderStatus

log = logging.getLogger(__name__)

FETCH_CHUNK = 500
_HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (" + " ".join(HEADER_FIELDS) + ")]"
NETWORK_ERRORS = (OSError, socket.timeout, ssl.SSLError, IMAPClientError)


def tls_context(ca_file) -> ssl.SSLContext:
    """A verifying TLS context; ``ca_file`` replaces the system's trust store when given."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class ImapSource:
    """A logged-in IMAP connection; ``ImapSource.connect(config, secret)`` opens it."""

    incremental = True

    def __init__(self, client: imapclient.IMAPClient, description: str):
        self._client = client
        self.description = description
        self.capabilities = {c.decode().upper() for c in client.capabilities()}

    @classmethod
    def connect(cls, config, password: str | None, key: str = "imap") -> "ImapSource":
        """Connect and log in as described by an ``ImapConfig`` (or any object with host, port,
        security, username, timeout, ca_file, and optionally provider). ``password`` is a password,
        or an ``AccessToken`` for an OAuth2 login (SASL XOAUTH2, or OAUTHBEARER when the server
        offers only that). Raise SourceError/AuthError with what to check."""
        where = f"{config.host}:{config.port}"
        context = tls_context(config.ca_file) if config.security != "none" else None
        try:
            client = imapclient.IMAPClient(
                config.host, port=config.port, ssl=config.security == "tls", ssl_context=context,
                timeout=imapclient.SocketTimeout(connect=min(15.0, config.timeout), read=config.timeout),
            )
        except ssl.SSLCertVerificationError as error:
            raise SourceError(
                f"the TLS certificate of {where} is not trusted ({error.verify_message}); "
                f"if the server uses a private CA, set {key}.ca_file to its certificate"
            ) from error
        except (OSError, IMAPClientError) as error:
            raise SourceError(
                f"cannot connect to the IMAP server {where} ({_reason(error)}); check {key}.host "
                f"and {key}.port, and that the server is reachable"
            ) from error
        # imaplib replays its recent command log through imapclient's adapter when a connection
        # aborts, with an argument the adapter cannot format: a "--- Logging error ---" dump at
        # -vv. imapclient logs every command itself (secrets redacted), so imaplib's own echo
        # adds nothing: turn it off.
        client._imap.debug = 0
        try:
            client.normalise_times = False
            if config.security == "starttls":
                client.starttls(context)
            if password is None:
                raise AuthError(f"{key}: no password configured")
            if isinstance(password, AccessToken):
                _oauth2_login(client, config.username, password, where)
            else:
                client.login(config.username, password)
        except LoginError as error:
            _drop(client)
            raise AuthError(_refused(config, password, key, where)) from error
        except (OSError, IMAPClientError) as error:
            _drop(client)
            raise SourceError(f"IMAP session with {where} failed during login: {_reason(error)}") from error
        except BaseException:
            _drop(client)
            raise
        return cls(client, f"{config.username} on {where}")

    # --- reading ------------------------------------------------------------------------------
    def list_folders(self) -> list[FolderListing]:
        try:
            rows = self._client.list_folders()
        except NETWORK_ERRORS as error:
            raise SourceError(f"listing folders failed: {_reason(error)}") from error
        return [
            FolderListing(name, frozenset(f.decode().lower() for f in flags))
            for flags, _delimiter, name in rows
            if b"\\Noselect" not in flags and b"\\NonExistent" not in flags
        ]

    def select(self, folder: str) -> FolderStatus:
        try:
            info = self._client.select_folder(folder, readonly=True)
        except NETWORK_ERRORS as error:
            raise SourceError(f"cannot open folder {folder!r}: {_reason(error)}") from error
        uidnext = int(info.get(b"UIDNEXT", 0) or 0)
        return FolderStatus(folder, int(info.get(b"UIDVALIDITY", 0) or 0), uidnext,
                            int(info.get(b"EXISTS", 0) or 0))

    def new_uids(self, after_uid: int, since: date | None) -> list[int]:
        try:
            if after_uid == 0 and since is not None:
                uids = self._client.search(["SINCE", since])
            else:
                # "N:*" always matches the highest UID, even below N: filter client-side.
                uids = self._client.search(["UID", f"{after_uid + 1}:*"])
        except NETWORK_ERRORS as error:
            raise SourceError(f"searching for new mail failed: {_reason(error)}") from error
        return sorted(uid for uid in uids if uid > after_uid)

    def fetch_headers(self, uids: list[int]) -> list[FetchedHeaders]:
        result = []
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[start:start + FETCH_CHUNK]
            response = self._fetch_headers_quickly(chunk)
            for uid in chunk:
                data = response.get(uid)
                if not data:
                    continue  # expunged meanwhile
                raw = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER.FIELDS")), b"")
                internal = data.get(b"INTERNALDATE")
                if isinstance(internal, bytes):
                    internal = imap_wire.internaldate(internal)
                size = data.get(b"RFC822.SIZE")
                gm_thread = data.get(b"X-GM-THRID")
                result.append(FetchedHeaders(
                    uid, raw if isinstance(raw, bytes) else b"", size if isinstance(size, int) else 0,
                    internal if isinstance(internal, datetime) else None,
                    str(gm_thread) if isinstance(gm_thread, int) else None,
                ))
        return result

    def _fetch_headers_quickly(self, chunk: list[int]) -> dict[int, dict]:
        """The header items of ``chunk`` by UID. The response is read by ``watcher.imap_wire``
        (several times faster than imapclient's parser, which dominated a first sync); one it
        cannot read is fetched again through imapclient."""
        items = ["RFC822.SIZE", "INTERNALDATE", _HEADER_ITEM]
        if "X-GM-EXT-1" in self.capabilities:
            items.append("X-GM-THRID")  # Gmail's own conversation id, a strong threading hint
        try:
            typ, data = self._client._imap.uid("FETCH", imap_wire.uid_set(chunk), f"({' '.join(items)})")
        except NETWORK_ERRORS as error:
            raise SourceError(f"fetching messages failed: {_reason(error)}") from error
        if typ != "OK":
            raise SourceError(f"fetching messages failed: the server said {typ} {_reason_text(data)}")
        try:
            by_uid = {}
            for message in imap_wire.messages(data):
                uid = message.get(b"UID")
                if isinstance(uid, int):
                    by_uid[uid] = message
            return by_uid
        except imap_wire.WireError as error:
            log.debug("reading a FETCH response failed (%s); fetching %d messages again through imapclient",
                      error, len(chunk))
            return self._fetch(chunk, items)

    def fetch_texts(self, uids: list[int], max_bytes: int) -> dict[int, str]:
        texts: dict[int, str] = {}
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[start:start + FETCH_CHUNK]
            structures = self._fetch(chunk, ["BODYSTRUCTURE"])
            by_section: dict[str, list[tuple[int, str, str, str]]] = {}
            for uid, data in structures.items():
                part = text_part(data.get(b"BODYSTRUCTURE"))
                if part:
                    section, subtype, encoding, charset = part
                    by_section.setdefault(section, []).append((uid, subtype, encoding, charset))
            for section, entries in by_section.items():
                item = f"BODY.PEEK[{section}]<0.{max_bytes}>"
                response = self._fetch([e[0] for e in entries], [item])
                for uid, subtype, encoding, charset in entries:
                    data = response.get(uid, {})
                    payload = next((v for k, v in data.items() if k.startswith(b"BODY[")), None)
                    if payload is not None:
                        texts[uid] = decoded_part_text(payload, encoding, charset, subtype)
        return texts

    def _fetch(self, uids: list[int], items: list[str]) -> dict:
        try:
            return self._client.fetch(uids, items)
        except NETWORK_ERRORS as error:
            raise SourceError(f"fetching messages failed: {_reason(error)}") from error

    # --- the watcher's own mail -------------------------------------------------------------------
    def append(self, folder: str, raw: bytes, when: datetime | None = None) -> None:
        """Add a new message (the nudge) to ``folder``, unread. Nothing else is ever written."""
        try:
            self._client.append(folder, raw, flags=(), msg_time=when)
        except NETWORK_ERRORS as error:
            raise DeliveryError(f"appending the nudge to {folder!r} failed: {_reason(error)}") from error

    def discard(self, folder: str, uids: list[int]) -> int:
        """Move the watcher's own applied command mails to Trash: the one change, besides adding
        the nudge, that the watcher makes to a mailbox. Uses MOVE (RFC 6851), or COPY and a UID
        EXPUNGE (RFC 4315) of just those messages; never a plain EXPUNGE, which would also remove
        messages the user marked deleted. Return how many were moved (0 when the server offers
        neither, or has no Trash folder)."""
        trash = self._trash_folder()
        if trash is None or not uids or folder == trash:
            return 0
        try:
            capabilities = {c.upper() for c in self._client.capabilities()}
            self._client.select_folder(folder, readonly=False)
            try:
                if b"MOVE" in capabilities:
                    self._client.move(uids, trash)
                elif b"UIDPLUS" in capabilities:
                    self._client.copy(uids, trash)
                    self._client.add_flags(uids, [b"\\Deleted"], silent=True)
                    self._client.uid_expunge(uids)
                else:
                    log.warning("%s offers neither MOVE nor UIDPLUS: applied command mails stay in %s",
                                self.description, folder)
                    return 0
            finally:
                self._client.unselect_folder() if b"UNSELECT" in capabilities else self._client.close_folder()
        except NETWORK_ERRORS as error:
            raise SourceError(f"moving command mails from {folder!r} to {trash!r} failed: {_reason(error)}") from error
        return len(uids)

    def _trash_folder(self) -> str | None:
        folders = self.list_folders()
        for listing in folders:
            if "\\trash" in listing.special_use:
                return listing.name
        names = {listing.name.lower(): listing.name for listing in folders}
        for candidate in ("trash", "deleted items", "deleted messages", "papierkorb", "[gmail]/trash"):
            if candidate in names:
                return names[candidate]
        return None

    def close(self) -> None:
        try:
            self._client.logout()
        except Exception:  # the connection may already be gone; logging out is a courtesy
            _drop(self._client)


def _oauth2_login(client: imapclient.IMAPClient, username: str, token: AccessToken, where: str) -> None:
    """Log in with an OAuth2 access token: SASL XOAUTH2 (Gmail, Microsoft 365), or OAUTHBEARER
    (RFC 7628) when the server offers only that. Raise AuthError if it offers neither."""
    offered = set(client.capabilities())
    if b"AUTH=XOAUTH2" in offered:
        client.oauth2_login(username, token)
    elif b"AUTH=OAUTHBEARER" in offered:
        client.oauthbearer_login(username, token)
    else:
        raise AuthError(f"the IMAP server {where} offers no OAuth2 login (neither XOAUTH2 nor OAUTHBEARER), "
                        f"so {token.key}.token_command cannot be used with it; give a password setting instead")


def _refused(config, secret: str, key: str, where: str) -> str:
    """The sentence for a refused login: what to check, and the provider's own rule for passwords."""
    if isinstance(secret, AccessToken):
        return (f"the IMAP server {where} refused the OAuth2 access token for {config.username!r}: it has "
                f"expired or been revoked, or it is for another account or lacks IMAP access; authorise the "
                f"helper in {secret.key}.token_command again (run it by hand to check), and check {key}.username")
    hint = password_hint(getattr(config, "provider", None), key)
    return (f"the IMAP server {where} refused the login for {config.username!r}; check {key}.username and "
            f"the password ({key}.password_command, {key}.password_file or {key}.password_env)"
            + (f". {hint}" if hint else ""))


def text_part(structure) -> tuple[str, str, str, str] | None:
    """Given a BODYSTRUCTURE, return ``(section, subtype, encoding, charset)`` of the part to read:
    the first text/plain outside attachments and forwarded messages, else the first text/html."""
    if structure is None:
        return None
    found: list[tuple[int, tuple[str, str, str, str]]] = []

    def walk(node, section: str) -> None:
        if getattr(node, "is_multipart", False):
            for index, child in enumerate(node[0], 1):
                walk(child, f"{section}.{index}" if section else str(index))
            return
        if len(node) < 7:
            return
        ctype, subtype = _text(node[0]).lower(), _text(node[1]).lower()
        if ctype != "text" or subtype not in ("plain", "html"):
            return
        if _is_attachment(node):
            return
        params = node[2] or ()
        charset = ""
        for name, value in zip(params[::2], params[1::2]):
            if _text(name).lower() == "charset":
                charset = _text(value)
        found.append((0 if subtype == "plain" else 1, (section or "1", subtype, _text(node[5]), charset)))

    walk(structure, "")
    if not found:
        return None
    return min(found, key=lambda entry: entry[0])[1]


def _is_attachment(node) -> bool:
    # Extension data of a single part: md5, (disposition (params)), language, location.
    for extra in node[7:] if len(node) > 7 else ():
        if isinstance(extra, tuple) and extra and isinstance(extra[0], bytes):
            if extra[0].lower() == b"attachment":
                return True
    return False


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    return "" if value is None else str(value)


def _reason(error: BaseException) -> str:
    text = str(error) or error.__class__.__name__
    return text if len(text) < 200 else text[:200] + "…"


def _reason_text(data) -> str:
    parts = [d.decode("utf-8", "replace") if isinstance(d, bytes) else str(d) for d in data or () if d]
    return _reason(Exception(" ".join(parts)))


def _drop(client) -> None:
    try:
        client.shutdown()
    except Exception:  # best effort: the socket may be dead already
        pass
