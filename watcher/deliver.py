"""Delivering a finished nudge: SMTP, or IMAP APPEND straight into the user's INBOX."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from email.message import EmailMessage

from watcher.credentials import resolve_secret
from watcher.errors import DeliveryError
from watcher.imap_source import ImapSource, tls_context


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
                client.login(smtp.username, password)
            if message is not None:
                data = client.data

                def handover_then_data(payload):
                    on_handover()
                    return data(payload)

                client.data = handover_then_data  # send_message's own MAIL/RCPT/DATA, with a mark before DATA
                client.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(
            f"the SMTP server {where} refused the login for {smtp.username!r}; check "
            f"smtp.username and smtp's password setting"
        ) from error
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
