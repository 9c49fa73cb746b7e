"""Delivering a finished nudge: SMTP, or IMAP APPEND straight into the user's INBOX."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from email.message import EmailMessage

from watcher.credentials import AccessToken, resolve_secret
from watcher.errors import DeliveryError
from watcher.imap_source import ImapSource, tls_context
from watcher.providers import password_hint


def smtp_login_check(smtp, password: str | None) -> None:
    """Connect and log in to the SMTP server without sending anything (``followup-watcher check``)."""
    send_smtp(None, smtp, password)


def _nothing() -> None:
    return None


def send_smtp(message: EmailMessage | None, smtp, password: str | None,
              on_handover: Callable[[], None] = _nothing) -> None:
    """Send ``message`` through the server described by an ``SmtpConfig`` (None: only log in).
    ``on_handover`` runs once the server has accepted sender and recipient, right before the
    message itself goes over (SMTP DATA): from then on, the server may have it.

    Raise DeliveryError with what to check on any failure."""
    where = f"{smtp.host}:{smtp.port}"
    context = tls_context(smtp.ca_file) if smtp.security != "none" else None
    try:
        if smtp.security == "tls":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            client.ehlo()
            if smtp.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if password is not None:
                _authenticate(client, smtp, password)
            if message is not None:
                data = client.data

                def handover_then_data(payload):
                    on_handover()
                    return data(payload)

                client.data = handover_then_data  # send_message's own MAIL/RCPT/DATA, with a mark before DATA
                client.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(_refused(smtp, password, where)) from error
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError(
            f"the SMTP server {where} refused the recipient; check digest.to"
        ) from error
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(
            f"the TLS certificate of {where} is not trusted ({error.verify_message}); "
            f"set smtp.ca_file if it uses a private CA"
        ) from error
    except (smtplib.SMTPException, OSError, socket.timeout) as error:
        raise DeliveryError(
            f"sending the nudge through {where} failed ({error}); check smtp.host, smtp.port "
            f"and smtp.security, or use digest.delivery = \"imap\""
        ) from error


def _authenticate(client: smtplib.SMTP, smtp, secret: str) -> None:
    """Log in with a password, or with an OAuth2 ``AccessToken`` by SASL XOAUTH2 (OAUTHBEARER when
    the server offers only that). Raise DeliveryError if the server offers no OAuth2 login."""
    if not isinstance(secret, AccessToken):
        client.login(smtp.username, secret)
        return
    offered = client.esmtp_features.get("auth", "").upper().split()
    # After a refusal the server sends its error details as a challenge, which the client answers
    # with an empty line (XOAUTH2) or a single ^A (OAUTHBEARER, RFC 7628 3.2.3) to hear the verdict.
    if "XOAUTH2" in offered:
        mechanism, response, after_error = "XOAUTH2", f"user={smtp.username}\1auth=Bearer {secret}\1\1", ""
    elif "OAUTHBEARER" in offered:
        identity = smtp.username.replace("=", "=3D").replace(",", "=2C")
        mechanism, response, after_error = "OAUTHBEARER", f"n,a={identity},\1auth=Bearer {secret}\1\1", "\1"
    else:
        raise DeliveryError(f"the SMTP server {smtp.host}:{smtp.port} offers no OAuth2 login (neither XOAUTH2 "
                            f"nor OAUTHBEARER), so {secret.key}.token_command cannot be used with it; give "
                            f"smtp a password setting instead")

    def answer(challenge: bytes | None = None) -> str:
        return response if challenge is None else after_error  # called without a challenge first

    client.auth(mechanism, answer)


def _refused(smtp, secret: str | None, where: str) -> str:
    """The sentence for a refused SMTP login: what to check, and the provider's rule for passwords."""
    if isinstance(secret, AccessToken):
        return (f"the SMTP server {where} refused the OAuth2 access token for {smtp.username!r}: it has expired "
                f"or been revoked, or it lacks SMTP access; authorise the helper in {secret.key}.token_command "
                f"again (run it by hand to check), and check smtp.username")
    hint = password_hint(smtp.provider, "smtp")
    return (f"the SMTP server {where} refused the login for {smtp.username!r}; check smtp.username and "
            f"smtp's password setting" + (f". {hint}" if hint else ""))


def append_imap(message: EmailMessage, imap, password: str | None, folder: str,
                on_handover: Callable[[], None] = _nothing) -> None:
    """Put ``message`` into ``folder`` of the IMAP account, unread; ``on_handover`` runs right
    before the APPEND."""
    source = ImapSource.connect(imap, password)
    try:
        on_handover()
        source.append(folder, message.as_bytes())
    finally:
        source.close()


def deliver(message: EmailMessage, config, environ: Mapping[str, str],
            on_handover: Callable[[], None] = _nothing) -> str:
    """Deliver the nudge as ``config.digest.delivery`` says; return where it went.
    ``on_handover`` runs right before the step after which the server may hold the message."""
    if config.digest.delivery == "imap":
        append_imap(message, config.imap, resolve_secret(config.imap.secret, environ), config.digest.folder,
                    on_handover)
        return f"appended to {config.digest.folder} of {config.imap.username}"
    send_smtp(message, config.smtp, resolve_secret(config.smtp.secret, environ) if config.smtp.secret else None,
              on_handover)
    return f"sent to {config.digest.to} through {config.smtp.host}"
