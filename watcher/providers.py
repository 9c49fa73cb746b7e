"""Presets for the mail providers people have: servers, ports, security and how each logs in.

``imap.provider = "gmail"`` fills in what the provider publishes for IMAP and for sending the
nudge over SMTP; a key set in the config always wins over the preset. This module is plain data:
``watcher.config`` reads the servers, and the IMAP and SMTP edges add ``password_hint`` to a
refused password login, because for most of these providers the usual cause is that the
account password is not accepted at all.

The values are the providers' published IMAP/SMTP client settings; each comment names the page.
Sent folders are not fixed here: Gmail and Microsoft 365 localise folder names ("[Gmail]/Gesendet",
"Gesendete Elemente"), so ``sent_folder = "auto"`` (SPECIAL-USE ``\\Sent``, then well-known names)
is right for every provider; ``sent_folder`` below records each one's usual name, and a test
checks that ``auto`` finds it even on a server that marks no folder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    security: str  # "tls" (TLS from the first byte) or "starttls"


@dataclass(frozen=True)
class Provider:
    """One provider's preset. ``password_hint`` completes "the server refused the password";
    ``{key}`` stands for the config section (``imap`` or ``smtp``). ``local_part_login_domains``:
    addresses at these domains log in to IMAP with the part before the @ only."""

    imap: Endpoint
    smtp: Endpoint
    sent_folder: str
    password_hint: str
    local_part_login_domains: tuple[str, ...] = ()


PROVIDERS: dict[str, Provider] = {
    # Google Help, "Check Gmail through other email platforms" (support.google.com/mail/answer/7126229):
    # imap.gmail.com 993 SSL; smtp.gmail.com 465 SSL (or 587 STARTTLS). Password IMAP ended for
    # Workspace accounts on 2024-09-30; personal accounts take an app password (needs 2-Step
    # Verification) or OAuth2 (developers.google.com/gmail/imap/xoauth2-protocol).
    "gmail": Provider(
        imap=Endpoint("imap.gmail.com", 993, "tls"),
        smtp=Endpoint("smtp.gmail.com", 465, "tls"),
        sent_folder="[Gmail]/Sent Mail",
        password_hint="Gmail no longer accepts your Google password for IMAP or SMTP; use an app password "
                      "(Google Account, Security, 2-Step Verification, App passwords) or {key}.token_command "
                      "(OAuth2)",
    ),
    # Microsoft, "POP, IMAP, and SMTP settings for Outlook.com" and Exchange Online's "How to set up a
    # multifunction device or application to send email" (learn.microsoft.com): outlook.office365.com
    # 993 SSL/TLS; smtp.office365.com 587 STARTTLS (Outlook.com also lists smtp-mail.outlook.com,
    # the same service). Basic authentication is turned off in every Exchange Online tenant and for
    # Outlook.com: only OAuth2 logs in (learn.microsoft.com, "Deprecation of Basic authentication
    # in Exchange Online").
    "outlook": Provider(
        imap=Endpoint("outlook.office365.com", 993, "tls"),
        smtp=Endpoint("smtp.office365.com", 587, "starttls"),
        sent_folder="Sent Items",
        password_hint="Outlook.com and Microsoft 365 no longer accept passwords for IMAP or SMTP (basic "
                      "authentication is off); set {key}.token_command to an OAuth2 token helper such as "
                      "oama or mutt_oauth2.py",
    ),
    # Fastmail Help, "Server names and ports" (fastmail.help):
    # imap.fastmail.com 993 SSL; smtp.fastmail.com 465 SSL (or 587 STARTTLS). Third-party clients
    # log in with an app password, never the account password.
    "fastmail": Provider(
        imap=Endpoint("imap.fastmail.com", 993, "tls"),
        smtp=Endpoint("smtp.fastmail.com", 465, "tls"),
        sent_folder="Sent",
        password_hint="Fastmail needs an app password for IMAP and SMTP, not your account password; create "
                      "one in Fastmail's settings under Privacy & Security (app passwords)",
    ),
    # Apple Support, "iCloud Mail server settings for other email client apps" (support.apple.com/HT202304):
    # imap.mail.me.com 993 SSL; smtp.mail.me.com 587 STARTTLS; an app-specific password. The IMAP
    # user name is "usually the name part of your iCloud Mail address (johnappleseed, not
    # johnappleseed@icloud.com)"; SMTP takes the full address (Thunderbird's ISP database agrees).
    "icloud": Provider(
        imap=Endpoint("imap.mail.me.com", 993, "tls"),
        smtp=Endpoint("smtp.mail.me.com", 587, "starttls"),
        sent_folder="Sent Messages",
        password_hint="iCloud Mail needs an app-specific password, not your Apple Account password "
                      "(account.apple.com, Sign-In and Security, App-Specific Passwords); the IMAP user "
                      "name is the part of your @icloud.com address before the @ (set imap.username if "
                      "your account address is on another domain)",
        local_part_login_domains=("icloud.com", "me.com", "mac.com"),
    ),
    # Yahoo Help, "IMAP server settings for Yahoo Mail" (help.yahoo.com/kb/SLN4075): imap.mail.yahoo.com
    # 993 SSL; smtp.mail.yahoo.com 465 SSL (or 587 STARTTLS). Other mail apps need an app password
    # (Account security, Generate app password).
    "yahoo": Provider(
        imap=Endpoint("imap.mail.yahoo.com", 993, "tls"),
        smtp=Endpoint("smtp.mail.yahoo.com", 465, "tls"),
        sent_folder="Sent",
        password_hint="Yahoo Mail needs an app password, not your account password; generate one under "
                      "Account Info, Account security, Generate app password",
    ),
}


def password_hint(provider: str | None, key: str) -> str:
    """The sentence to add when ``provider``'s server refuses a password for section ``key``
    (empty for no or an unknown provider)."""
    preset = PROVIDERS.get(provider or "")
    return preset.password_hint.format(key=key) if preset else ""
